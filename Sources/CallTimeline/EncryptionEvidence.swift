public import Capture

/// Why a stream is taken for encrypted media although no key decrypts it (SPEC §2.4): what was seen, for the
/// skip reason and the error message. Encrypted media is never decoded as if it were clear.
public enum EncryptionEvidence: Sendable, Hashable, CustomStringConvertible {
    /// (a) The SDP that announced the stream's media says SRTP: an SRTP profile, `a=crypto`, `a=fingerprint` or
    /// `a=zrtp-hash`.
    case signalled(SDPMediaSecurity)
    /// (b) ZRTP messages (RFC 6189 §5, magic cookie `ZRTP`) between the stream's two endpoints.
    case zrtp(KeyExchangeSighting)
    /// (b) DTLS records (RFC 6347, the DTLS-SRTP handshake of RFC 5764) between the stream's two endpoints.
    case dtls(KeyExchangeSighting)
    /// (c) Payloads longer than the codec's frames for their timestamp step by a constant SRTP tag length.
    case authenticationTag(TagLengthFinding)
    /// (d) A G.711 stream whose decoded audio is loud white noise for most of its length.
    case noiseLikeAudio(NoiseFinding)

    /// `the SDP offers RTP/SAVP with SDES a=crypto (AES_CM_128_HMAC_SHA1_80)`, `ZRTP key agreement on the
    /// stream's ports (Hello, Commit; 8 packets)`, …
    public var description: String {
        switch self {
        case .signalled(let security): "the SDP announces \(security)"
        case .zrtp(let sighting): "ZRTP key agreement on the stream's ports (\(sighting))"
        case .dtls(let sighting): "a DTLS handshake on the stream's ports (\(sighting)): DTLS-SRTP"
        case .authenticationTag(let finding): "\(finding)"
        case .noiseLikeAudio(let finding): "\(finding)"
        }
    }

    /// How the keys were agreed, as far as this evidence tells: only SDES keys can be in a capture.
    public var keyExchange: SRTPKeyExchange {
        switch self {
        case .signalled(let security): security.keyExchange
        case .zrtp: .zrtp
        case .dtls: .dtls
        case .authenticationTag, .noiseLikeAudio: .unknown
        }
    }
}

/// ZRTP or DTLS packets seen between two endpoints: how many, the first capture time, and (ZRTP) the message
/// types or (DTLS) whether a handshake record was among them.
public struct KeyExchangeSighting: Sendable, Hashable, CustomStringConvertible {
    public var packets: Int
    /// Capture time of the first one (ns since the epoch): media before it may be clear (ZRTP starts in clear RTP).
    public var firstArrival: Int64
    /// ZRTP message types in the order first seen (`Hello`, `HelloACK`, `Commit`, `DHPart1`, …), at most 12.
    public var messages: [String]
    /// DTLS: a handshake record (content type 22) was seen.
    public var handshake: Bool

    public init(packets: Int, firstArrival: Int64, messages: [String] = [], handshake: Bool = false) {
        self.packets = packets
        self.firstArrival = firstArrival
        self.messages = messages
        self.handshake = handshake
    }

    /// `Hello, Commit, DHPart1; 8 packets` or `handshake; 6 records`.
    public var description: String {
        var parts: [String] = []
        if !messages.isEmpty { parts.append(messages.joined(separator: ", ")) }
        if handshake { parts.append("handshake") }
        parts.append("\(packets) packet\(packets == 1 ? "" : "s")")
        return parts.joined(separator: "; ")
    }
}

/// (c): a stream's payloads are a constant number of bytes longer than its codec's frames.
public struct TagLengthFinding: Sendable, Hashable, CustomStringConvertible {
    /// The codec the frame lengths were computed for (`PCMA`, `G729`, …).
    public var codec: String
    /// The extra bytes: 4 (HMAC-SHA1-32), 10 (HMAC-SHA1-80) or 16 (AEAD), possibly with an MKI.
    public var extraBytes: Int
    /// Consecutive packet pairs with that excess, of all pairs measured.
    public var pairs: Int
    public var measuredPairs: Int

    public init(codec: String, extraBytes: Int, pairs: Int, measuredPairs: Int) {
        self.codec = codec
        self.extraBytes = extraBytes
        self.pairs = pairs
        self.measuredPairs = measuredPairs
    }

    /// The tag that fits: 4, 10 or 16 bytes, with the rest taken for an MKI.
    public var tagName: String {
        for (tag, name) in [(16, "AEAD (16-byte tag)"), (10, "HMAC-SHA1-80"), (4, "HMAC-SHA1-32")]
        where extraBytes >= tag && extraBytes - tag <= TagLengthTally.maximumMKILength {
            return extraBytes == tag ? name : "\(name) and a \(extraBytes - tag)-byte MKI"
        }
        return "\(extraBytes) bytes"
    }

    /// `payloads are 10 bytes longer than PCMA frames for their timestamp step in 11,886 of 11,887 packet pairs:
    /// SRTP authentication tags (HMAC-SHA1-80)`.
    public var description: String {
        "payloads are \(extraBytes) bytes longer than \(codec) frames for their timestamp step in \(pairs) of "
            + "\(measuredPairs) packet pairs: SRTP authentication tags (\(tagName))"
    }
}

/// (d): a G.711 stream decodes to loud white noise.
public struct NoiseFinding: Sendable, Hashable, CustomStringConvertible {
    public var codec: String
    /// Windows (80 ms or more of audio) that are loud white noise, of those analysed.
    public var noiseWindows: Int
    public var windows: Int

    public init(codec: String, noiseWindows: Int, windows: Int) {
        self.codec = codec
        self.noiseWindows = noiseWindows
        self.windows = windows
    }

    /// `decoded PCMA is loud white noise in 40 of 40 windows analysed (RMS ≥ 7000, |autocorrelation| < 0.2 at
    /// lags 1–4): ciphertext, not audio`.
    public var description: String {
        "decoded \(codec) is loud white noise in \(noiseWindows) of \(windows) windows analysed "
            + "(RMS ≥ \(Int(NoiseLikeAudioDetector.minimumRMS)), |autocorrelation| < "
            + "\(NoiseLikeAudioDetector.maximumCorrelation) at lags 1–4): ciphertext, not audio"
    }
}
