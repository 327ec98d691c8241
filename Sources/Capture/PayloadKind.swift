/// What a UDP payload is, as `PayloadClassifier` sees it.
public enum PayloadKind: Sendable, Hashable {
    /// RTP that passed the header checks (the parsed packet, so it is not parsed twice).
    case rtp(RTPPacket)
    /// RTCP (RFC 3550 §6), also multiplexed on the RTP port (RFC 5761 §4): the first packet's type (200–211)
    /// and the sender's SSRC.
    case rtcp(packetType: UInt8, ssrc: UInt32)
    /// STUN (RFC 5389 magic cookie): ICE connectivity checks and consent freshness.
    case stun
    /// DTLS (RFC 7983 first byte 20–63), the DTLS-SRTP handshake.
    case dtls
    /// ZRTP (RFC 6189 magic cookie 'ZRTP').
    case zrtp
    /// TURN ChannelData (RFC 8656 §12, first byte 64–79).
    case turnChannel
    /// NAT keep-alives: tiny payloads, CRLF (RFC 5626 §4.4.1), runs of zeros.
    case keepAlive
    /// A SIP message (request line or `SIP/2.0` status line).
    case sip
    /// Anything else (DNS, NTP, T.38 UDPTL, random bytes …).
    case other

    /// The kind without its data, for counting.
    public var category: Category {
        switch self {
        case .rtp: .rtp
        case .rtcp: .rtcp
        case .stun: .stun
        case .dtls: .dtls
        case .zrtp: .zrtp
        case .turnChannel: .turnChannel
        case .keepAlive: .keepAlive
        case .sip: .sip
        case .other: .other
        }
    }

    /// Payload kinds without data, for counters and reports.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        case rtp, rtcp, stun, dtls, zrtp, turnChannel, keepAlive, sip, other
    }
}
