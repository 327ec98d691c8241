import Capture
import TestSupport
import Testing

/// SIP over TCP (RFC 3261 §18.3) put back together: framing by Content-Length, segment order by sequence
/// number, and the bounds that hold on hostile streams.
@Suite("SIPStreamReassembler")
struct SIPStreamReassemblerTests {
    static let client = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: 50123)
    static let server = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 2), port: 5080)

    static func message(_ startLine: String, body: String = "", callID: String = "c1@test") -> [UInt8] {
        Array(
            ("\(startLine)\r\nCall-ID: \(callID)\r\nCSeq: 1 INVITE\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
                .utf8
        )
    }

    static let invite = message(
        "INVITE sip:b@test SIP/2.0",
        body: "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
    )
    static let ringing = message("SIP/2.0 180 Ringing")
    static let ok = message("SIP/2.0 200 OK", body: "v=0\r\nc=IN IP4 10.0.0.2\r\nm=audio 5000 RTP/AVP 0\r\n")

    static func segment(
        _ sequence: UInt32,
        _ payload: [UInt8],
        flags: TCPSegment.Flags = [.ack, .psh],
        from source: Endpoint = client,
        to destination: Endpoint = server,
        wireLength: Int? = nil
    ) -> TCPSegment {
        TCPSegment(
            timestamp: Int64(sequence),
            packetNumber: Int(sequence),
            source: source,
            destination: destination,
            sequenceNumber: sequence,
            flags: flags,
            payload: payload,
            payloadLength: wireLength
        )
    }

    /// Feeds segments and collects every message's bytes.
    static func messages(
        _ segments: [TCPSegment],
        limits: SIPStreamReassembler.Limits = .init()
    ) -> (
        messages: [[UInt8]], reassembler: SIPStreamReassembler
    ) {
        var reassembler = SIPStreamReassembler(limits: limits)
        var out: [[UInt8]] = []
        for segment in segments { out += reassembler.add(segment).messages.map(\.bytes) }
        return (out, reassembler)
    }

    /// Proves a message cut into three segments comes out whole, once, timed by the segment that completed it.
    @Test("a message across segments")
    func acrossSegments() {
        var reassembler = SIPStreamReassembler()
        let pieces = [Array(Self.invite[0..<10]), Array(Self.invite[10..<100]), Array(Self.invite[100...])]
        #expect(reassembler.add(Self.segment(1000, [], flags: .syn)).messages.isEmpty)
        #expect(reassembler.add(Self.segment(1001, pieces[0])).messages.isEmpty)
        #expect(reassembler.add(Self.segment(1011, pieces[1])).messages.isEmpty)
        let last = reassembler.add(Self.segment(1101, pieces[2]))
        #expect(last.isSIP)
        #expect(last.messages.map(\.bytes) == [Self.invite])
        #expect(last.messages.first?.timestamp == 1101)
        #expect(last.messages.first?.destination == Self.server)
    }

    /// Proves two messages in one segment, with CRLF keep-alives (RFC 5626 §4.4.1) before and between, are two
    /// messages.
    @Test("two messages in one segment, keep-alives around")
    func twoInOne() {
        let bytes = Array("\r\n\r\n".utf8) + Self.ringing + Array("\r\n".utf8) + Self.ok
        let result = Self.messages([Self.segment(7, bytes, from: Self.server, to: Self.client)])
        #expect(result.messages == [Self.ringing, Self.ok])
    }

    /// Proves segments put back in sequence order: the last piece first, the middle one twice (a
    /// retransmission), a retransmission overlapping what was already taken.
    @Test("out of order and retransmitted segments")
    func reorderedAndRetransmitted() throws {
        try #require(Self.invite.count > 150)
        let a = Array(Self.invite[0..<50])
        let b = Array(Self.invite[50..<120])
        let c = Array(Self.invite[120...])
        let segments = [
            Self.segment(0, [], flags: .syn), Self.segment(1, a), Self.segment(121, c), Self.segment(51, b),
            Self.segment(51, b), Self.segment(31, Array(Self.invite[30..<140])),
        ]
        let result = Self.messages(segments)
        #expect(result.messages == [Self.invite])
        #expect(result.reassembler.counters.retransmissions == 2)
    }

    /// Proves sequence numbers that wrap at 2^32 inside a message (RFC 9293 §3.4) are in order.
    @Test("sequence numbers wrap")
    func sequenceWrap() {
        let start = UInt32.max - 20
        let result = Self.messages([
            Self.segment(start, Array(Self.invite[0..<40])), Self.segment(start &+ 40, Array(Self.invite[40...])),
        ])
        #expect(result.messages == [Self.invite])
    }

    /// Proves bytes never captured (a segment missing for good) cost the message they cut, not the stream: the
    /// flow gives the gap up once its window of early segments is full, and frames from the next start line.
    @Test("a gap never filled: the next message is found")
    func gapResynchronizes() {
        let first = Self.invite
        let second = Self.message("BYE sip:b@test SIP/2.0", callID: "c1@test")
        let stream = first + second
        var segments = [Self.segment(1, Array(stream[0..<30]))]
        // Byte 30–39 never arrive; the rest comes in 16-byte segments.
        var offset = 40
        while offset < stream.count {
            let end = min(stream.count, offset + 16)
            segments.append(Self.segment(UInt32(1 + offset), Array(stream[offset..<end])))
            offset = end
        }
        var limits = SIPStreamReassembler.Limits()
        limits.maxHeldSegmentsPerFlow = 4
        let result = Self.messages(segments, limits: limits)
        #expect(result.messages == [second])
        #expect(result.reassembler.counters.resynchronizations == 1)
    }

    /// Proves a segment cut by the capture's snaplen (fewer bytes captured than sent) is a loss, not bytes to
    /// frame: the cut message is dropped, the next one is read.
    @Test("a snaplen-cut segment is a loss")
    func truncatedSegment() {
        let next = Self.message("ACK sip:b@test SIP/2.0")
        let result = Self.messages([
            Self.segment(1, Array(Self.invite[0..<60]), wireLength: Self.invite.count),
            Self.segment(UInt32(1 + Self.invite.count), next),
        ])
        #expect(result.messages == [next])
    }

    /// Proves a message larger than the limit is skipped by its Content-Length (not held), and an unreadable
    /// Content-Length makes the flow look for the next start line; messages after both are read.
    @Test("oversized and unframeable messages are skipped")
    func oversizedAndUnframeable() {
        var limits = SIPStreamReassembler.Limits()
        limits.maxMessageBytes = 1_000
        let big = Self.message("MESSAGE sip:b@test SIP/2.0", body: String(repeating: "x", count: 5_000))
        let broken = Array("OPTIONS sip:b@test SIP/2.0\r\nContent-Length: lots\r\n\r\n".utf8)
        let bytes = big + broken + Self.ringing
        var segments: [TCPSegment] = []
        for start in stride(from: 0, to: bytes.count, by: 700) {
            segments.append(Self.segment(UInt32(start), Array(bytes[start..<min(bytes.count, start + 700)])))
        }
        let result = Self.messages(segments, limits: limits)
        #expect(result.messages == [Self.ringing])
        #expect(result.reassembler.counters.oversizedMessages == 1)
        #expect(result.reassembler.counters.resynchronizations == 1)
        #expect(result.reassembler.heldByteCount < 2_000)
    }

    /// Proves TCP that is not SIP (TLS, HTTP) keeps no state and says so; a connection whose first bytes after
    /// its SYN are not SIP is forgotten.
    @Test("TCP that is not SIP is not followed")
    func notSIP() {
        var reassembler = SIPStreamReassembler()
        let tls: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x40] + [UInt8](repeating: 0xAB, count: 64)
        #expect(reassembler.add(Self.segment(5, tls)).isSIP == false)
        #expect(reassembler.add(Self.segment(0, [], flags: .syn, from: Self.server, to: Self.client)).isSIP == false)
        let http = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        #expect(reassembler.add(Self.segment(1, http, from: Self.server, to: Self.client)).isSIP == false)
        #expect(reassembler.flowCount == 0)
    }

    /// Proves memory stays bounded over thousands of connections each left with half a message: flows beyond the
    /// bound are given up oldest first, and the bytes held stay under the total.
    @Test("flows and bytes stay bounded")
    func bounded() {
        var limits = SIPStreamReassembler.Limits()
        limits.maxFlows = 100
        limits.maxTotalBytes = 50_000
        var reassembler = SIPStreamReassembler(limits: limits)
        let half = Array(Self.invite[0..<(Self.invite.count - 10)])
        for index in 0..<5_000 {
            let client = Endpoint(address: IPAddress(ipv4: 10, 1, 0, 1), port: UInt16(1_024 + index))
            _ = reassembler.add(Self.segment(1, half, from: client))
            #expect(reassembler.flowCount <= 100)
            #expect(reassembler.heldByteCount <= 50_000)
        }
        #expect(reassembler.counters.evictedFlows == 4_900)
    }

    /// Proves a SYN with a new initial sequence number on the same addresses (a connection closed without a FIN in
    /// the capture, then opened again) starts afresh: the old half message is forgotten, the new one is read.
    @Test("a new connection on the same addresses starts afresh")
    func reconnect() {
        let result = Self.messages([
            Self.segment(100, Array(Self.invite[0..<40])),
            Self.segment(5_000_000, [], flags: .syn),
            Self.segment(5_000_001, Self.ringing),
        ])
        #expect(result.messages == [Self.ringing])
        #expect(result.reassembler.flowCount == 1)
    }

    /// Proves hostile segments (random sequence numbers, flags and lengths over a few flows; SIP-looking text cut
    /// anywhere, binary garbage, absurd Content-Lengths) never trap and never break the bounds.
    @Test("random segments", arguments: 0..<4)
    func randomSegments(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var limits = SIPStreamReassembler.Limits()
        limits.maxFlows = 8
        limits.maxTotalBytes = 200_000
        var reassembler = SIPStreamReassembler(limits: limits)
        let texts = [
            Self.invite, Self.ok, Self.ringing, Array("\r\n\r\n".utf8),
            Array("INVITE sip:x SIP/2.0\r\nl: 999999999\r\n\r\n".utf8),
            Array("SIP/2.0 200 OK\r\nContent-Length: -5\r\n\r\n".utf8),
            Array("SIP/2.0 200 OK\r\nContent-Length: 4\n\nabcd".utf8),
        ]
        var sequences: [UInt32] = [0, 0, 0, 0]
        for _ in 0..<20_000 {
            let flow = Int(random.next() % 4)
            var payload: [UInt8]
            switch random.next() % 3 {
            case 0:
                let text = texts[Int(random.next() % UInt64(texts.count))]
                let cut = Int(random.next() % UInt64(text.count + 1))
                payload = random.next() % 2 == 0 ? Array(text[..<cut]) : Array(text[cut...])
            case 1:
                payload = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            default:
                payload = []
            }
            let jump = random.next() % 8 == 0 ? UInt32(truncatingIfNeeded: random.next()) : 0
            sequences[flow] &+= jump
            let segment = TCPSegment(
                timestamp: 0,
                packetNumber: 1,
                source: Endpoint(address: Self.client.address, port: UInt16(40_000 + flow)),
                destination: Self.server,
                sequenceNumber: sequences[flow],
                flags: TCPSegment.Flags(rawValue: UInt8(truncatingIfNeeded: random.next()) & 0x1F),
                payload: payload,
                payloadLength: random.next() % 16 == 0 ? payload.count + 10 : payload.count
            )
            if random.next() % 4 != 0 { sequences[flow] &+= UInt32(payload.count) }
            for message in reassembler.add(segment).messages {
                #expect(message.bytes.count <= limits.maxMessageBytes)
            }
            #expect(reassembler.flowCount <= 8)
            #expect(reassembler.heldByteCount <= 200_000 + 300)
        }
    }
}
