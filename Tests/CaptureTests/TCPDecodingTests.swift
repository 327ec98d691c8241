import Capture
import TestSupport
import Testing

/// TCP in the capture layer (RFC 9293 §3.1): segments decoded over IPv4 and IPv6, and SIP carried by them read
/// from a whole capture beside the UDP (SPEC §3.2).
@Suite("TCP decoding and SIP over TCP in a capture")
struct TCPDecodingTests {
    /// Proves a TCP segment's ports, sequence number, flags and payload come out of IPv4 and IPv6 packets.
    @Test("segments over IPv4 and IPv6", arguments: [false, true])
    func segment(ipv6: Bool) throws {
        let (source, destination) = ipv6 ? (alice6, bob6) : (alice, bob)
        let packet = PacketBuilder.tcpPacket(
            source: source,
            destination: destination,
            sequence: 0xFFFF_FFF0,
            flags: [.psh, .ack],
            payload: Array("OPTIONS sip:x SIP/2.0\r\n\r\n".utf8)
        )
        var decoder = PacketDecoder()
        guard
            case .segment(let segment) = decoder.decode(
                frame(PacketBuilder.frame(ipPacket: packet, linkType: .ethernet))
            )
        else {
            Issue.record("not decoded as a TCP segment")
            return
        }
        #expect(segment.source == source)
        #expect(segment.destination == destination)
        #expect(segment.sequenceNumber == 0xFFFF_FFF0)
        #expect(segment.flags == [.psh, .ack])
        #expect(segment.payload == Array("OPTIONS sip:x SIP/2.0\r\n\r\n".utf8))
        #expect(segment.payloadLength == segment.payload.count)
        #expect(decoder.counters.segments == 1)
    }

    /// Proves a data offset beyond the segment is malformed, and a snaplen cut keeps the sent length.
    @Test("malformed and cut segments")
    func malformedAndCut() {
        var decoder = PacketDecoder()
        var header = PacketBuilder.tcp(source: alice, destination: bob, sequence: 1, flags: .ack, payload: [])
        header[12] = 0xF0  // 60-byte header in a 20-byte segment
        let bad = PacketBuilder.ipv4(
            source: alice.address,
            destination: bob.address,
            protocolNumber: 6,
            payload: header
        )
        #expect(
            skipReason(decoder.decode(frame(PacketBuilder.frame(ipPacket: bad, linkType: .ethernet)))) == .malformedTCP
        )
        let whole = PacketBuilder.frame(
            ipPacket: PacketBuilder.tcpPacket(
                source: alice,
                destination: bob,
                sequence: 1,
                flags: .ack,
                payload: [UInt8](repeating: 0x41, count: 100)
            ),
            linkType: .ethernet
        )
        let cut = Array(whole[0..<(whole.count - 40)])
        guard case .segment(let segment) = decoder.decode(frame(cut)) else {
            Issue.record("a cut segment is still a segment")
            return
        }
        #expect(segment.payload.count == 60)
        #expect(segment.payloadLength == 100)
    }

    /// Proves `DatagramReader.nextPayload` gives the SIP messages of a TCP connection (on port 5070, found by
    /// content) in capture order beside the UDP datagrams, and counts the TCP that carried no SIP as skipped.
    @Test("SIP over TCP read from a capture beside UDP")
    func sipFromCapture() throws {
        var writer = CaptureWriter(format: .pcap(nanoseconds: true, bigEndian: false))
        let server = Endpoint(address: bob.address, port: 5070)
        var up = TCPStreamWriter(source: alice, destination: server, initialSequence: 7)
        up.connect(into: &writer, at: 1_000)
        let options = Array("OPTIONS sip:b SIP/2.0\r\nCall-ID: o@x\r\nContent-Length: 2\r\n\r\nhi".utf8)
        let bye = Array("BYE sip:b SIP/2.0\r\nCall-ID: o@x\r\nl:0\r\n\r\n".utf8)
        up.send(options + bye, cutInto: [30], at: 2_000, into: &writer)
        writer.addUDP(timestamp: 5_000_000, source: alice, destination: bob, payload: rtpPayload(sequence: 1))
        writer.addTCP(
            timestamp: 6_000_000,
            source: bob,
            destination: alice,
            sequence: 1,
            flags: .ack,
            payload: [1, 2, 3]
        )
        var reader = DatagramReader(name: "tcp.pcap")
        try reader.append(writer.finish())
        try reader.finish()
        var kinds: [String] = []
        var messages: [[UInt8]] = []
        while let payload = try reader.nextPayload() {
            switch payload {
            case .udp: kinds.append("udp")
            case .sip(let message):
                kinds.append("sip")
                messages.append(message.bytes)
            }
        }
        #expect(kinds == ["sip", "sip", "udp"])
        #expect(messages == [options, bye])
        // The SYN (no SIP seen yet) and the segment of a connection that never carried SIP.
        #expect(reader.decoder.counters.skipped[.tcp] == 2)
    }
}
