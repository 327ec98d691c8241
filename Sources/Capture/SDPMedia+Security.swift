/// What an SDP media section says about media encryption (SPEC §2.4): the SRTP profiles, SDES keys
/// (`a=crypto`, RFC 4568), DTLS-SRTP (`a=fingerprint`, RFC 5763/8122) and ZRTP (`a=zrtp-hash`, RFC 6189 §8.1).
extension SDPMedia {
    /// At most this many `a=crypto` lines (and as many problems) and fingerprints are kept per section: an offer
    /// lists a few; a hostile body may list thousands.
    static let securityAttributeLimit = 16

    /// Reads `a=crypto`, `a=fingerprint` and `a=zrtp-hash`; other attributes are left alone.
    mutating func applySecurity(name: String, value: String) {
        switch name {
        case "crypto":
            switch SDPCrypto.parse(value) {
            case .success(let line) where crypto.count < Self.securityAttributeLimit: crypto.append(line)
            case .failure(let problem) where cryptoProblems.count < Self.securityAttributeLimit:
                cryptoProblems.append(problem)
            default: break
            }
        case "fingerprint":
            if let fingerprint = SDPFingerprint(value), fingerprints.count < Self.securityAttributeLimit {
                fingerprints.append(fingerprint)
            }
        case "zrtp-hash":
            zrtpHash = String(value.split(separator: " ").first?.prefix(16) ?? "")
        default:
            break
        }
    }

    /// A session-level attribute that media sections inherit (`fingerprint`, `zrtp-hash`), split into name and
    /// value; nil for others (`a=crypto` is media-level only, RFC 4568 §9.1).
    static func sessionLevelSecurity(_ attribute: String) -> (name: String, value: String)? {
        guard let colon = attribute.firstIndex(of: ":") else { return nil }
        let name = String(attribute[..<colon])
        guard name == "fingerprint" || name == "zrtp-hash" else { return nil }
        return (name, attribute[attribute.index(after: colon)...].trimmed())
    }

    /// Session-level attributes apply where the section has none of its own (RFC 8122 §5).
    mutating func inheritSecurity(_ attributes: [(name: String, value: String)]) {
        let ownFingerprints = !fingerprints.isEmpty
        let ownHash = zrtpHash != nil
        for attribute in attributes {
            if attribute.name == "fingerprint" && ownFingerprints { continue }
            if attribute.name == "zrtp-hash" && ownHash { continue }
            applySecurity(name: attribute.name, value: attribute.value)
        }
    }

    /// The transport profile, as far as encryption goes.
    public var profile: SDPMediaProfile { SDPMediaProfile(transport: transport) }

    /// What the section says about encryption, or nil when it says nothing (plain `RTP/AVP`, no key attributes).
    public var security: SDPMediaSecurity? {
        let suites =
            crypto.map(\.suite.rawValue)
            + cryptoProblems.compactMap { problem -> String? in
                // The problem holds the name quoted when it looks like one (SRTPSuite.shown), else a placeholder.
                guard case .unsupportedSuite(let shown) = problem.reason, shown.hasPrefix("\"") else { return nil }
                return String(shown.dropFirst().dropLast())
            }
        let security = SDPMediaSecurity(
            profile: profile,
            sdesSuites: suites,
            sdesLines: crypto.count + cryptoProblems.count,
            dtlsFingerprint: fingerprints.first?.hashFunction,
            zrtpHash: zrtpHash != nil
        )
        return security.saysEncrypted ? security : nil
    }
}

/// An SDP transport protocol (RFC 8866 §5.14) seen for what it says about SRTP.
public enum SDPMediaProfile: Sendable, Hashable, CustomStringConvertible {
    /// `RTP/AVP`, `RTP/AVPF`: clear RTP (RFC 3551, RFC 4585).
    case clear(String)
    /// `RTP/SAVP` (RFC 3711 §12), `RTP/SAVPF` (RFC 5124): SRTP.
    case srtp(String)
    /// `UDP/TLS/RTP/SAVP`, `UDP/TLS/RTP/SAVPF` (RFC 5764 §8), `TCP/TLS/RTP/SAVPF` (RFC 7850): DTLS-SRTP.
    case dtlsSRTP(String)
    /// Anything else (`udptl`, `TCP/MSRP`, …).
    case other(String)

    public init(transport: String) {
        switch transport.uppercased() {
        case "RTP/SAVP", "RTP/SAVPF": self = .srtp(transport)
        case "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF", "TCP/TLS/RTP/SAVP", "TCP/TLS/RTP/SAVPF", "TCP/DTLS/RTP/SAVPF":
            self = .dtlsSRTP(transport)
        case "RTP/AVP", "RTP/AVPF": self = .clear(transport)
        default: self = .other(transport)
        }
    }

    /// True for the SRTP profiles, DTLS-SRTP included.
    public var isSecure: Bool {
        switch self {
        case .srtp, .dtlsSRTP: true
        case .clear, .other: false
        }
    }

    public var description: String {
        switch self {
        case .clear(let name), .srtp(let name), .dtlsSRTP(let name), .other(let name): name
        }
    }
}

/// What one SDP media section says about encryption: the evidence behind "this stream is SRTP" (SPEC §2.4).
public struct SDPMediaSecurity: Sendable, Hashable, CustomStringConvertible {
    public var profile: SDPMediaProfile
    /// Suites named by `a=crypto` lines, usable or not.
    public var sdesSuites: [String]
    /// The number of `a=crypto` lines.
    public var sdesLines: Int
    /// The hash function of the first `a=fingerprint` (`sha-256`): DTLS-SRTP.
    public var dtlsFingerprint: String?
    /// `a=zrtp-hash` present.
    public var zrtpHash: Bool

    public init(
        profile: SDPMediaProfile,
        sdesSuites: [String],
        sdesLines: Int,
        dtlsFingerprint: String?,
        zrtpHash: Bool
    ) {
        self.profile = profile
        self.sdesSuites = sdesSuites
        self.sdesLines = sdesLines
        self.dtlsFingerprint = dtlsFingerprint
        self.zrtpHash = zrtpHash
    }

    /// Whether anything in the section says the media is (or will be) encrypted.
    public var saysEncrypted: Bool { profile.isSecure || sdesLines > 0 || dtlsFingerprint != nil || zrtpHash }

    /// How the keys are exchanged, as far as the SDP tells.
    public var keyExchange: SRTPKeyExchange {
        if sdesLines > 0 { return .sdes }
        if dtlsFingerprint != nil { return .dtls }
        if zrtpHash { return .zrtp }
        if case .dtlsSRTP = profile { return .dtls }
        return .unknown
    }

    /// `RTP/SAVP with SDES a=crypto (AES_CM_128_HMAC_SHA1_80)`, `UDP/TLS/RTP/SAVPF with a=fingerprint (sha-256,
    /// DTLS-SRTP)`.
    public var description: String {
        var parts: [String] = []
        if sdesLines > 0 {
            let suites = Array(Set(sdesSuites)).sorted().joined(separator: ", ")
            parts.append("SDES a=crypto" + (suites.isEmpty ? "" : " (\(suites))"))
        }
        if let dtlsFingerprint { parts.append("a=fingerprint (\(dtlsFingerprint), DTLS-SRTP)") }
        if zrtpHash { parts.append("a=zrtp-hash (ZRTP)") }
        return parts.isEmpty ? "\(profile)" : "\(profile) with " + parts.joined(separator: " and ")
    }
}

/// How SRTP keys are agreed (SPEC §2.4): only SDES keys can be found in a capture.
public enum SRTPKeyExchange: String, Sendable, Hashable, CustomStringConvertible {
    /// RFC 4568 `a=crypto`: the keys travel in the SDP (readable when SIP is not over TLS).
    case sdes
    /// DTLS-SRTP (RFC 5764): the keys come out of a DTLS handshake and never appear on the wire.
    case dtls
    /// ZRTP (RFC 6189): a Diffie-Hellman exchange on the media path; the keys never appear on the wire.
    case zrtp
    /// A secure profile with nothing saying how keys are agreed (SDES in a SIP message not captured, MIKEY, …).
    case unknown

    public var description: String {
        switch self {
        case .sdes: "SDES (a=crypto)"
        case .dtls: "DTLS-SRTP"
        case .zrtp: "ZRTP"
        case .unknown: "unknown key exchange"
        }
    }

    /// Whether a capture can hold these keys.
    public var keysCanBeInCapture: Bool { self == .sdes || self == .unknown }
}

/// An `a=fingerprint` attribute (RFC 8122 §5): the hash of the DTLS certificate. Public: no key material.
public struct SDPFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// `sha-256`, `sha-1`, … (lower case).
    public var hashFunction: String
    /// The colon-separated upper-case hex, as written.
    public var value: String

    /// `sha-256 AB:CD:…`; nil when there are not two fields.
    public init?(_ text: String) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2, fields[0].count <= 16, fields[1].count <= 200 else { return nil }
        hashFunction = fields[0].lowercased()
        value = String(fields[1])
    }

    public var description: String { "\(hashFunction) \(value)" }
}
