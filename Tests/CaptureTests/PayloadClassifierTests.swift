import Capture
import TestSupport
import Testing

@Suite("PayloadClassifier")
struct PayloadClassifierTests {
    static let stun: [UInt8] =
        [0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 7, count: 12)
        + [0x80, 0x22, 0x00, 0x04, 0x61, 0x62, 0x63, 0x64]
    static let dtls: [UInt8] = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0]
    static let zrtp: [UInt8] = [0x10, 0, 0, 1, 0x5A, 0x52, 0x54, 0x50, 0, 0, 0, 1, 0x50, 0x5A]
    static let senderReport: [UInt8] = [0x80, 200, 0, 6] + [UInt8](repeating: 1, count: 24)
    static let dns: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 0]
    static let ntp: [UInt8] = [0x23] + [UInt8](repeating: 0, count: 47)
    static let invite = Array("INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: x\r\n\r\n".utf8)
    static let ok = Array("SIP/2.0 200 OK\r\n\r\n".utf8)

    static let cases: [([UInt8], PayloadKind.Category)] = [
        (rtpPayload(sequence: 1), .rtp),
        (senderReport, .rtcp),
        ([0x81, 201, 0, 1, 0, 0, 0, 1], .rtcp),
        (stun, .stun),
        (dtls, .dtls),
        (zrtp, .zrtp),
        ([0x40, 0x01, 0, 4, 1, 2, 3, 4], .turnChannel),
        ([], .keepAlive),
        ([0x0D, 0x0A, 0x0D, 0x0A], .keepAlive),
        ([UInt8](repeating: 0, count: 172), .keepAlive),
        (invite, .sip),
        (ok, .sip),
        (dns, .other),
        (ntp, .other),
        // Version 2 but payload type 72 (reserved for RTCP conflict avoidance, RFC 5761 §4).
        ([0x80, 72] + [UInt8](repeating: 0, count: 30), .other),
        // Version 2 with an impossible padding count.
        ([0xA0, 0] + [UInt8](repeating: 0, count: 10) + [0xFF], .other),
    ]

    /// Proves each payload family is recognised by its own header, and non-RTP UDP is not taken for RTP.
    @Test("payload kinds", arguments: cases)
    func kinds(payload: [UInt8], expected: PayloadKind.Category) {
        #expect(PayloadClassifier.classify(payload).category == expected)
    }

    /// Proves RTCP multiplexed on the RTP port (RFC 5761) carries its type and SSRC.
    @Test("rtcp-mux gives type and SSRC")
    func rtcpMux() {
        #expect(PayloadClassifier.classify(Self.senderReport) == .rtcp(packetType: 200, ssrc: 0x0101_0101))
    }

    /// Proves a capture of nothing but RTCP (SR, RR, SDES, BYE, on the RTP port and on port + 1) yields RTCP
    /// and no RTP.
    @Test("an RTCP-only capture has no RTP")
    func rtcpOnlyCapture() throws {
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false))
        let rtcpPort = Endpoint(address: bob.address, port: bob.port + 1)
        let packets: [[UInt8]] = [
            Self.senderReport,
            [0x81, 201, 0, 7] + [UInt8](repeating: 2, count: 28),
            [0x81, 202, 0, 2, 0, 0, 0, 1, 1, 1, 0x41, 0],
            [0x81, 203, 0, 1, 0, 0, 0, 1],
            Self.senderReport + [0x81, 202, 0, 2, 0, 0, 0, 1, 1, 1, 0x41, 0],
        ]
        for (index, packet) in packets.enumerated() {
            writer.addUDP(
                timestamp: Int64(index) * 1_000_000_000,
                source: alice,
                destination: index % 2 == 0 ? bob : rtcpPort,
                payload: packet
            )
        }
        let datagrams = decodeDatagrams(try readCapture(writer.finish()).frames)
        #expect(datagrams.count == packets.count)
        #expect(datagrams.allSatisfy { PayloadClassifier.classify($0).category == .rtcp })
    }

    /// Proves RTP-looking payloads on well-known service ports (NetBIOS here) are not RTP.
    @Test("service ports are not RTP")
    func servicePorts() {
        let netbios = Endpoint(address: alice.address, port: 137)
        let datagram = UDPDatagram(
            timestamp: 0,
            packetNumber: 1,
            source: netbios,
            destination: netbios,
            payload: rtpPayload(sequence: 1)
        )
        #expect(PayloadClassifier.classify(datagram) == .other)
        let fine = UDPDatagram(
            timestamp: 0,
            packetNumber: 1,
            source: alice,
            destination: bob,
            payload: rtpPayload(sequence: 1)
        )
        #expect(PayloadClassifier.classify(fine).category == .rtp)
    }
}
