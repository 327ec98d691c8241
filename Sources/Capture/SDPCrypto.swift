/// An SDES `a=crypto` attribute (RFC 4568 §9.1): the keys one party encrypts its own media with.
///
/// `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<key‖salt base64>|2^20|1:4 KDR=0` holds a tag, a crypto suite,
/// one or more `inline:` key parameters (key, optional lifetime, optional MKI) and session parameters. The keys
/// are secrets: this type's description shows `inline:<redacted>` in their place.
public struct SDPCrypto: Sendable, Hashable, CustomStringConvertible {
    /// The tag that identifies the line in an offer and its answer (RFC 4568 §4: 1 to 9 digits).
    public var tag: Int
    public var suite: SRTPSuite
    /// The inline keys: one, or several told apart by their MKI (RFC 4568 §6.1).
    public var keys: [SRTPKeyParameter]
    /// Session parameters as written (`KDR=0`, `UNENCRYPTED_SRTCP`, `WSH=64`, …; RFC 4568 §6.3).
    public var sessionParameters: [String]

    public init(tag: Int, suite: SRTPSuite, keys: [SRTPKeyParameter], sessionParameters: [String] = []) {
        self.tag = tag
        self.suite = suite
        self.keys = keys
        self.sessionParameters = sessionParameters
    }

    /// RFC 4568 §6.3.2–§6.3.4: media sent without encryption or without authentication.
    public var isSRTPEncrypted: Bool { !sessionParameters.contains("UNENCRYPTED_SRTP") }
    public var isSRTCPEncrypted: Bool { !sessionParameters.contains("UNENCRYPTED_SRTCP") }
    public var isSRTPAuthenticated: Bool { !sessionParameters.contains("UNAUTHENTICATED_SRTP") }

    /// `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>|2^20|1:4`.
    public var description: String {
        let keyText = keys.map(\.description).joined(separator: ";")
        return (["a=crypto:\(tag)", suite.rawValue, keyText] + sessionParameters).joined(separator: " ")
    }

    /// Parses the value of an `a=crypto` attribute (what follows `crypto:`).
    public static func parse(_ value: String) -> Result<SDPCrypto, SDPCryptoProblem> {
        let fields = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let tagField = fields.first, tagField.count <= 9, let tag = Int(tagField), tag >= 0 else {
            return .failure(SDPCryptoProblem(tag: nil, reason: .malformedTag))
        }
        guard fields.count >= 3 else { return .failure(SDPCryptoProblem(tag: tag, reason: .missingKey)) }
        guard let suite = SRTPSuite(name: fields[1]) else {
            return .failure(SDPCryptoProblem(tag: tag, reason: .unsupportedSuite(SRTPSuite.shown(fields[1]))))
        }
        var keys: [SRTPKeyParameter] = []
        for parameter in fields[2].split(separator: ";", omittingEmptySubsequences: false) {
            switch SRTPKeyParameter.parse(parameter, suite: suite) {
            case .success(let key): keys.append(key)
            case .failure(let reason): return .failure(SDPCryptoProblem(tag: tag, reason: reason))
            }
        }
        // RFC 4568 §6.1: several keys are told apart by their MKI, which then has the same length in each.
        let mkiLengths = Set(keys.map { $0.mki?.bytes.count ?? 0 })
        if keys.count > 1, mkiLengths.count != 1 || mkiLengths.contains(0) {
            return .failure(SDPCryptoProblem(tag: tag, reason: .inconsistentMKI))
        }
        // RFC 4568 §6.3.6: FEC_KEY carries key parameters of its own; kept redacted like the media keys.
        let parameters = fields.dropFirst(3).map {
            $0.hasPrefix("FEC_KEY=") ? "FEC_KEY=<redacted>" : String($0.prefix(64))
        }
        // RFC 4568 §6.3.1: a key derivation rate other than 0 re-derives session keys, which libsrtp2 does not.
        if let rate = parameters.first(where: { $0.hasPrefix("KDR=") }), rate != "KDR=0" {
            return .failure(SDPCryptoProblem(tag: tag, reason: .unsupportedSessionParameter(rate)))
        }
        return .success(SDPCrypto(tag: tag, suite: suite, keys: keys, sessionParameters: parameters))
    }
}

/// One master key with its lifetime and MKI: an `inline:` key parameter of an `a=crypto` line (RFC 4568 §6.1), or a
/// key given on the command line or in a key file (no lifetime, no MKI).
public struct SRTPKeyParameter: Sendable, Hashable, CustomStringConvertible {
    /// Master key ‖ master salt, of the suite's length.
    public var material: SRTPMasterKey
    /// How many packets the key may protect (`|2^31` or `|1048576`), when given.
    public var lifetime: UInt64?
    /// The master key identifier carried in each packet when several keys are in use.
    public var mki: SRTPMasterKeyIdentifier?

    public init(material: SRTPMasterKey, lifetime: UInt64? = nil, mki: SRTPMasterKeyIdentifier? = nil) {
        self.material = material
        self.lifetime = lifetime
        self.mki = mki
    }

    /// `inline:<redacted>|2^20|1:4`.
    public var description: String {
        var text = "inline:<redacted>"
        if let lifetime { text += "|\(lifetime)" }
        if let mki { text += "|\(mki)" }
        return text
    }

    /// `inline:KEY[|LIFETIME][|MKI:LENGTH]`, its key checked against the suite.
    static func parse(_ parameter: Substring, suite: SRTPSuite) -> Result<SRTPKeyParameter, SDPCryptoProblem.Reason> {
        guard let colon = parameter.firstIndex(of: ":") else { return .failure(.missingKey) }
        let method = parameter[..<colon]
        guard method.lowercased() == "inline" else {
            let shown = method.count <= 16 && method.allSatisfy { $0.isASCII && $0.isLetter }
            return .failure(.unsupportedKeyMethod(shown ? String(method) : "(unreadable)"))
        }
        let parts = parameter[parameter.index(after: colon)...].split(separator: "|", omittingEmptySubsequences: false)
        guard let keyText = parts.first, !keyText.isEmpty else { return .failure(.missingKey) }
        guard let material = SRTPMasterKey(base64: keyText.utf8) else { return .failure(.keyNotBase64) }
        guard material.count == suite.keyMaterialLength else {
            return .failure(.keyLength(found: material.count, expected: suite.keyMaterialLength, suite: suite))
        }
        var key = SRTPKeyParameter(material: material)
        for part in parts.dropFirst() {
            // RFC 4568 §9.1: the lifetime comes before the MKI; an MKI is the only part with a colon.
            if part.contains(":") {
                guard key.mki == nil, let mki = SRTPMasterKeyIdentifier(sdes: part) else { return .failure(.badMKI) }
                key.mki = mki
            } else {
                guard key.lifetime == nil, key.mki == nil, let lifetime = Self.lifetime(part) else {
                    return .failure(.badLifetime)
                }
                key.lifetime = lifetime
            }
        }
        return .success(key)
    }

    /// `2^31` or a decimal count; RFC 3711 §9.2 bounds SRTP at 2^48 packets.
    static func lifetime(_ text: Substring) -> UInt64? {
        if text.hasPrefix("2^") {
            guard let exponent = UInt64(text.dropFirst(2)), exponent <= 48 else { return nil }
            return 1 << exponent
        }
        guard let value = UInt64(text), value > 0, value <= 1 << 48 else { return nil }
        return value
    }
}

/// An SRTP master key identifier (RFC 3711 §3.1): the bytes between the payload and the tag that name the master
/// key in use. Not secret: every packet carries it.
public struct SRTPMasterKeyIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The MKI as it appears in packets (big-endian value on its signalled length).
    public var bytes: [UInt8]
    /// The value as written in SDES.
    public var value: UInt64

    /// The MKI of value `value` on `length` bytes (1…128); nil when the value does not fit.
    public init?(value: UInt64, length: Int) {
        guard (1...128).contains(length) else { return nil }
        if length < 8 { guard value >> UInt64(8 * length) == 0 else { return nil } }
        self.value = value
        bytes = (0..<length).map { index in
            let shift = 8 * (length - 1 - index)
            return shift >= 64 ? 0 : UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }

    /// RFC 4568 §9.1 `mki-value ":" mki-length` (decimal value, length in bytes 1–128).
    init?(sdes text: Substring) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count <= 3, let value = UInt64(parts[0]), let length = Int(parts[1]) else {
            return nil
        }
        self.init(value: value, length: length)
    }

    /// `1:4` (value, then length in bytes), as SDES writes it.
    public var description: String { "\(value):\(bytes.count)" }
}

/// Why an `a=crypto` line cannot be used; says what was found, never the key.
public struct SDPCryptoProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Error, Sendable, Hashable, CustomStringConvertible {
        case malformedTag
        case unsupportedSuite(String)
        case missingKey
        case unsupportedKeyMethod(String)
        case keyNotBase64
        case keyLength(found: Int, expected: Int, suite: SRTPSuite)
        case badLifetime
        case badMKI
        case inconsistentMKI
        case unsupportedSessionParameter(String)

        public var description: String {
            switch self {
            case .malformedTag: "no tag of 1 to 9 digits"
            case .unsupportedSuite(let name): "crypto suite \(name) is not supported (supported: \(SRTPSuite.names))"
            case .missingKey: "no inline key"
            case .unsupportedKeyMethod(let method): "key method \(method) is not supported (only inline)"
            case .keyNotBase64: "the inline key is not base64"
            case .keyLength(let found, let expected, let suite):
                "the inline key is \(found) bytes; \(suite) needs \(expected) "
                    + "(\(suite.masterKeyLength)-byte master key and \(suite.masterSaltLength)-byte salt)"
            case .badLifetime: "the key lifetime is not 2^N (N ≤ 48) or a packet count"
            case .badMKI: "the MKI is not VALUE:LENGTH with LENGTH 1 to 128 bytes"
            case .inconsistentMKI: "several keys without an MKI of one length each"
            case .unsupportedSessionParameter(let parameter): "session parameter \(parameter) is not supported"
            }
        }
    }

    /// The line's tag, when it could be read.
    public var tag: Int?
    public var reason: Reason

    public init(tag: Int?, reason: Reason) {
        self.tag = tag
        self.reason = reason
    }

    public var description: String {
        "a=crypto" + (tag.map { " tag \($0)" } ?? "") + ": \(reason)"
    }
}
