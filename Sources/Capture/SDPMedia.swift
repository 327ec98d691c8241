/// One `m=` section of an SDP body.
public struct SDPMedia: Sendable, Hashable {
    /// `audio`, `video`, `image` (T.38), …
    public var media: String
    public var port: UInt16
    /// `RTP/AVP`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`, `udptl`, …
    public var transport: String
    /// The payload types listed on the m= line, in preference order (non-numeric formats are dropped).
    public var formats: [UInt8]
    /// The media-level `c=` address, or the session-level one when the section has none.
    public var connectionAddress: IPAddress?
    /// `a=rtpmap` entries by payload type.
    public var rtpMaps: [UInt8: RTPMap] = [:]
    /// `a=fmtp` parameters by payload type, as written.
    public var formatParameters: [UInt8: String] = [:]
    /// `a=ptime` in milliseconds.
    public var packetTime: Int?
    public var maxPacketTime: Int?
    /// The section's direction, or the session's, or nil (RFC 8866 says sendrecv is the default).
    public var direction: SDPDirection?
    /// `a=rtcp-mux` (RFC 5761).
    public var rtcpMux = false
    /// `a=rtcp:PORT` (RFC 3605).
    public var rtcpPort: UInt16?
    /// SDES keys (RFC 4568): the usable `a=crypto` lines (see SDPMedia+Security.swift).
    public var crypto: [SDPCrypto] = []
    /// The `a=crypto` lines that cannot be used, and why.
    public var cryptoProblems: [SDPCryptoProblem] = []
    /// `a=fingerprint` (RFC 8122), the section's or the session's: the keys come from a DTLS handshake.
    public var fingerprints: [SDPFingerprint] = []
    /// `a=zrtp-hash` (RFC 6189 §8.1): the keys come from ZRTP on the media path.
    public var zrtpHash: String?

    public init(media: String, port: UInt16, transport: String, formats: [UInt8]) {
        self.media = media
        self.port = port
        self.transport = transport
        self.formats = formats
    }

    /// `audio 49170[/2] RTP/AVP 0 8 101`.
    init?(mediaLine: String) {
        let parts = mediaLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 3, let port = UInt16(parts[1].split(separator: "/").first ?? "") else { return nil }
        self.init(
            media: String(parts[0]),
            port: port,
            transport: String(parts[2]),
            formats: parts.dropFirst(3).compactMap { UInt8($0) }.filter { $0 < 128 }
        )
    }

    mutating func apply(attribute: String) {
        let colon = attribute.firstIndex(of: ":")
        let name = colon.map { String(attribute[..<$0]) } ?? attribute
        let value = colon.map { attribute[attribute.index(after: $0)...].trimmed() } ?? ""
        switch name {
        case "rtpmap":
            // `96 telephone-event/8000`, `0 PCMU/8000`, `97 opus/48000/2`.
            let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, let payloadType = UInt8(parts[0]), payloadType < 128 else { return }
            let encoding = parts[1].split(separator: "/")
            guard encoding.count >= 2, let clock = Int(encoding[1].trimmed()), clock > 0 else { return }
            let channels = encoding.count >= 3 ? Int(encoding[2].trimmed()) ?? 1 : 1
            rtpMaps[payloadType] = RTPMap(
                payloadType: payloadType,
                encodingName: encoding[0].trimmed(),
                clockRate: clock,
                channels: channels
            )
        case "fmtp":
            let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, let payloadType = UInt8(parts[0]) { formatParameters[payloadType] = String(parts[1]) }
        case "ptime":
            packetTime = Int(value.split(separator: ".").first ?? "")
        case "maxptime":
            maxPacketTime = Int(value.split(separator: ".").first ?? "")
        case "sendrecv", "sendonly", "recvonly", "inactive":
            direction = SDPDirection(rawValue: name)
        case "rtcp-mux":
            rtcpMux = true
        case "rtcp":
            rtcpPort = UInt16(value.split(separator: " ").first ?? "")
        default:
            applySecurity(name: name, value: value)
        }
    }

    /// The codec of a payload type: the rtpmap entry, else the RFC 3551 static assignment (0 PCMU, 8 PCMA,
    /// 9 G722, 13 CN, 18 G729, …), else nil.
    public func rtpMap(for payloadType: UInt8) -> RTPMap? {
        rtpMaps[payloadType] ?? RTPMap.staticPayloadType(payloadType)
    }
}
