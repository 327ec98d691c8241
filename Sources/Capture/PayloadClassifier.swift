/// Says what a UDP payload is, so audio RTP is told apart from what shares its ports or its network.
///
/// The first byte decides the family as RFC 7983 §7 demultiplexes: 0–3 STUN, 16–19 ZRTP, 20–63 DTLS, 64–79
/// TURN channels, 128–191 RTP/RTCP; each is then checked against its own header (magic cookie, lengths) so
/// random UDP (DNS, NTP, T.38 UDPTL, fuzz) is `.other`, not RTP. Inside 128–191, a second byte of 200–211 is
/// RTCP (RFC 5761 §4, which is why RTP payload types 72–76 are never used with rtcp-mux).
///
/// This is a per-packet check; whether a stream really is RTP (one SSRC, advancing sequence numbers) is
/// decided over many packets by the timeline.
public enum PayloadClassifier {
    /// Classifies a datagram: the payload checks, plus its ports. RTP or RTCP to or from a well-known non-media
    /// service port (DNS, DHCP, NTP, NetBIOS, SNMP, IKE, syslog, SSDP, mDNS, LLMNR, SIP, GTP-U, VXLAN), or
    /// with both ports in 1–1023, is `.other`: such services sometimes start with a byte of 0x80–0xBF
    /// (NetBIOS transaction IDs do), and RTP uses dynamic ports (RFC 3550 §11, RFC 3551 §8).
    public static func classify(_ datagram: UDPDatagram) -> PayloadKind {
        let kind = classify(datagram.payload, isTruncated: datagram.isTruncated)
        switch kind {
        case .rtp, .rtcp:
            let source = datagram.source.port
            let destination = datagram.destination.port
            if nonMediaPorts.contains(source) || nonMediaPorts.contains(destination)
                || ((1..<1024).contains(source) && (1..<1024).contains(destination))
            {
                return .other
            }
            return kind
        default:
            return kind
        }
    }

    /// UDP ports of services that are never RTP (IANA service name and port number registry).
    public static let nonMediaPorts: Set<UInt16> = [
        53, 67, 68, 69, 123, 137, 138, 161, 162, 500, 514, 520, 1900, 2152, 4500, 4789, 5060, 5061, 5353, 5355,
    ]

    /// Classifies one UDP payload. `isTruncated` relaxes the RTP padding check (the last byte was not captured).
    public static func classify(_ payload: [UInt8], isTruncated: Bool = false) -> PayloadKind {
        guard let first = payload.first else { return .keepAlive }
        switch first {
        case 128...191:
            if let rtcp = rtcp(payload) { return rtcp }
            guard let packet = try? RTPPacket(parsing: payload, isTruncated: isTruncated) else { return .other }
            // RFC 5761 §4: 72–76 are reserved so that RTP and RTCP stay distinguishable (RFC 3551 §6).
            if (72...76).contains(packet.payloadType) { return .other }
            return .rtp(packet)
        case 0...3:
            // RFC 5389 §6: two zero bits, a length that is a multiple of 4, and the magic cookie 0x2112A442.
            if payload.count >= 20, payload.be32(4) == 0x2112_A442, Int(payload.be16(2)) + 20 == payload.count,
                payload.be16(2) % 4 == 0
            {
                return .stun
            }
        case 16...19:
            // RFC 6189 §5: ZRTP messages carry the magic cookie 'ZRTP' (0x5a525450) at offset 4.
            if payload.count >= 12, payload.be32(4) == 0x5A52_5450 { return .zrtp }
        case 20...63:
            // RFC 6347 §4.1 record header: type, version 0xFEFF/0xFEFD, epoch, sequence (6), length (2).
            if payload.count >= 13, payload[1] == 0xFE, Int(payload.be16(11)) + 13 <= payload.count { return .dtls }
        case 64...79:
            // RFC 8656 §12.4: channel number 0x4000–0x4FFF, then the data length.
            if payload.count >= 4, Int(payload.be16(2)) + 4 <= payload.count { return .turnChannel }
        default:
            break
        }
        if isKeepAlive(payload) { return .keepAlive }
        if isSIP(payload) { return .sip }
        return .other
    }

    /// RTCP when the version is 2, the packet type 200–211 and the first packet's length fits.
    private static func rtcp(_ payload: [UInt8]) -> PayloadKind? {
        guard payload.count >= 8, payload[0] >> 6 == 2, (200...211).contains(payload[1]) else { return nil }
        // RFC 3550 §6.4.1: length in 32-bit words minus one.
        guard (Int(payload.be16(2)) + 1) * 4 <= payload.count else { return nil }
        return .rtcp(packetType: payload[1], ssrc: payload.be32(4))
    }

    /// Tiny payloads (≤ 4 bytes), CRLF runs (RFC 5626 §4.4.1), and all-zero payloads.
    private static func isKeepAlive(_ payload: [UInt8]) -> Bool {
        if payload.count <= 4 { return true }
        if payload.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) { return true }
        return payload.allSatisfy { $0 == 0 }
    }

    /// A SIP status line (`SIP/2.0 200 OK`) or a request line ending in `SIP/2.0` (RFC 3261 §7.1).
    static func isSIP(_ payload: [UInt8]) -> Bool {
        let version = Array("SIP/2.0".utf8)
        if payload.count > version.count, Array(payload[0..<version.count]) == version, payload[version.count] == 0x20 {
            return true
        }
        // Request line: an upper-case method token, a space, a URI, " SIP/2.0", CR LF.
        guard let first = payload.first, (0x41...0x5A).contains(first) else { return false }
        let limit = min(payload.count, 2_048)
        guard let lineEnd = payload[0..<limit].firstIndex(of: 0x0A) else { return false }
        var end = lineEnd
        if end > 0 && payload[end - 1] == 0x0D { end -= 1 }
        guard end >= version.count + 1, Array(payload[(end - version.count)..<end]) == version,
            payload[end - version.count - 1] == 0x20
        else { return false }
        guard let space = payload[0..<end].firstIndex(of: 0x20) else { return false }
        return payload[0..<space].allSatisfy { (0x41...0x5A).contains($0) || $0 == 0x2D }
    }
}
