import CallTimeline
import Capture
import TestSupport
import Testing

/// Signalling that real deployments produce around the media (SPEC §3.2): a phone with one RTP port for two
/// dialogs at once, a media relay behind a proxy, SIP over TCP.
@Suite("Call assembly: holds, relays, SIP over TCP (SPEC §3.2)")
struct SignallingCaseTests {
    static let start: Int64 = 1_795_946_400 * 1_000_000_000
    static let phone = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: 40000)

    /// Two streams (one each way) of an established call with no SIP of their own, `at` seconds after `start`.
    static func media(
        _ a: Endpoint,
        _ b: Endpoint,
        at seconds: Double,
        for length: Double,
        ssrcs: (UInt32, UInt32)
    ) -> CallSynthesizer {
        var there = SynthLeg(codec: .pcmu, source: a, destination: b)
        there.ssrc = ssrcs.0
        there.durationSeconds = length
        var back = SynthLeg(codec: .pcmu, source: b, destination: a)
        back.ssrc = ssrcs.1
        back.durationSeconds = length
        back.startMilliseconds = 40
        var synth = CallSynthesizer(legs: [there, back])
        synth.startTime = start + Int64(seconds * 1e9)
        return synth
    }

    /// A phone that keeps one RTP port for all its dialogs puts a call on hold, makes a consultation call, and
    /// goes back (RFC 5589 style), no BYE captured: both dialogs name its port and both are alive when it
    /// resumes with new SSRCs. The peer (the first callee's address, not the second's) decides, where the most
    /// recent naming would pick the consultation.
    @Test("a held call and a consultation on one phone port: the peer decides")
    func holdAndConsult() throws {
        let first = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 2), port: 50000)
        let second = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 3), port: 52000)
        var held = Fixtures.sipCall(
            caller: Self.phone,
            callee: first,
            seconds: 3,
            start: Self.start,
            callID: "held@test",
            ssrcs: (0x11, 0x22)
        )
        held.sendsBye = false
        var consultation = Fixtures.sipCall(
            caller: Self.phone,
            callee: second,
            seconds: 2,
            start: Self.start + 4_000_000_000,
            callID: "consult@test",
            ssrcs: (0x33, 0x44)
        )
        consultation.sendsBye = false
        let resumed = Self.media(Self.phone, first, at: 7, for: 2, ssrcs: (0x55, 0x66))
        let timeline = try Fixtures.timeline(capture: CallSynthesizer.capture([held, consultation, resumed]))
        let calls = timeline.summary.calls
        try #require(calls.count == 2)
        #expect(calls.map(\.sipCallID) == ["held@test", "consult@test"])
        #expect(calls[0].legs.map { $0.segments.map(\.ssrc) } == [[0x11, 0x55], [0x22, 0x66]])
        #expect(calls[0].legs[0].segments.map(\.reason) == [.first, .ssrcChange])
        #expect(calls[1].legs.map { $0.segments.map(\.ssrc) } == [[0x33], [0x44]])
        #expect(abs(calls[0].durationSeconds - 9.04) < 0.001)
    }

    /// A proxy with a media relay (one Call-ID, SDP rewritten on each side): the caller's SSRC appears on two
    /// 5-tuples (caller → relay, relay → callee), and so does the callee's. Each party is one sender seen twice,
    /// not two senders: one call, the caller's audio left, the callee's right.
    @Test("a relay showing each SSRC on two 5-tuples stays one call with two legs")
    func relaySameSSRC() throws {
        let caller = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: 4000)
        let callee = Endpoint(address: IPAddress(ipv4: 10, 0, 9, 2), port: 8000)
        let relayToCaller = Endpoint(address: IPAddress(ipv4: 10, 0, 5, 5), port: 5000)
        let relayToCallee = Endpoint(address: IPAddress(ipv4: 10, 0, 5, 5), port: 6000)
        // The caller's side of the proxy, then the callee's 2 ms later (the relay's delay): the same SSRCs and
        // payloads on both.
        let callerSide = Fixtures.sipCall(
            caller: caller,
            callee: relayToCaller,
            seconds: 3,
            start: Self.start,
            callID: "relayed@test",
            ssrcs: (0xA, 0xB)
        )
        var calleeSide = Fixtures.sipCall(
            caller: relayToCallee,
            callee: callee,
            seconds: 3,
            start: Self.start + 2_000_000,
            callID: "relayed@test",
            ssrcs: (0xA, 0xB)
        )
        calleeSide.sendsBye = false
        let capture = CallSynthesizer.capture([callerSide, calleeSide])
        let timeline = try Fixtures.timeline(capture: capture)
        try #require(timeline.summary.calls.count == 1)
        let call = timeline.summary.calls[0]
        #expect(call.channelReason == "caller per SIP INVITE")
        #expect(call.legs.map { Set($0.segments.map(\.ssrc)) } == [[0xA], [0xB]])
        // One copy of each is recorded (the first seen); the other is listed as the relay's copy.
        #expect(call.legs.map(\.streamIndices.count) == [1, 1])
        let copies = timeline.summary.streams.filter { $0.skippedReason != nil }
        #expect(copies.map(\.key.ssrc).sorted() == [0xA, 0xB])
        #expect(copies.allSatisfy { if case .relayCopy = $0.skippedReason { true } else { false } })
        #expect(timeline.summary.warnings.isEmpty)
        #expect(abs(call.durationSeconds - 3.04) < 0.001)
        let (left, right, _) = try Fixtures.render(timeline, call, capture: capture)
        let callerLeft = Fixtures.holds(left, Fixtures.referenceDecode(callerSide, leg: 0), at: 0, tolerance: 0)
        let calleeRight = Fixtures.holds(right, Fixtures.referenceDecode(callerSide, leg: 1), at: 320, tolerance: 0)
        #expect(callerLeft, "the caller's audio on the left")
        #expect(calleeRight, "the callee's audio on the right")
    }

    /// SIP over TCP on ports other than 5060 (found by content): the INVITE cut into three segments sent out of
    /// order with one sent twice, a 180 Ringing and the 200 OK in one segment, the BYE across two. The dialog is
    /// read, so the caller is known and goes left.
    @Test("SIP over TCP: messages across segments, two in one, out of order, retransmitted")
    func sipOverTCP() throws {
        let synth = Fixtures.sipCall(
            caller: Fixtures.alice,
            callee: Fixtures.bob,
            seconds: 4,
            start: Self.start,
            callID: "tcp@test",
            ssrcs: (0x1111, 0x2222)
        )
        let packets = synth.packets()
        let sip = packets.filter { $0.leg == nil }
        try #require(sip.count == 4)  // INVITE, 200 OK, BYE, 200 OK
        var writer = CaptureWriter(format: .pcap(nanoseconds: true, bigEndian: false))
        let callerSignalling = Endpoint(address: Fixtures.alice.address, port: 51234)
        let calleeSignalling = Endpoint(address: Fixtures.bob.address, port: 5080)
        var up = TCPStreamWriter(source: callerSignalling, destination: calleeSignalling, initialSequence: 1_000)
        var down = TCPStreamWriter(source: calleeSignalling, destination: callerSignalling, initialSequence: 90_000)
        up.connect(into: &writer, at: sip[0].arrival - 2_000_000)
        down.connect(into: &writer, at: sip[0].arrival - 1_000_000)
        let invite = up.segments(sip[0].payload, cutInto: [150, 200])
        try #require(invite.count == 3)
        for (step, piece) in [invite[0], invite[2], invite[1], invite[1]].enumerated() {
            up.write(piece, at: sip[0].arrival + Int64(step) * 100_000, into: &writer)
        }
        down.send(Self.ringing(from: sip[1].payload) + sip[1].payload, at: sip[1].arrival, into: &writer)
        for packet in packets where packet.leg != nil {
            writer.addUDP(
                timestamp: packet.arrival,
                source: packet.source,
                destination: packet.destination,
                payload: packet.payload
            )
        }
        up.send(sip[2].payload, cutInto: [100], at: sip[2].arrival, into: &writer)
        down.send(sip[3].payload, at: sip[3].arrival, into: &writer)
        let capture = writer.finish()

        let timeline = try Fixtures.timeline(capture: capture)
        #expect(timeline.summary.sipMessages == 5)
        #expect(timeline.summary.sipDialogs.map(\.caller) == [callerSignalling])
        let call = try #require(timeline.summary.calls.first)
        #expect(call.sipCallID == "tcp@test")
        #expect(call.channelReason == "caller per SIP INVITE")
        #expect(call.legs.map(\.source) == [Fixtures.alice, Fixtures.bob])
        #expect(abs(call.durationSeconds - 4.04) < 0.001)
    }

    /// A 180 Ringing made from a 200 OK: its start line, its headers without the body.
    static func ringing(from ok: [UInt8]) -> [UInt8] {
        let text = String(decoding: ok, as: UTF8.self)
        let head = text.split(separator: "\r\n\r\n", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let lines = head.split(separator: "\r\n").map { line -> String in
            if line.hasPrefix("SIP/2.0 200") { return "SIP/2.0 180 Ringing" }
            if line.hasPrefix("Content-Length:") { return "Content-Length: 0" }
            return String(line)
        }
        return Array((lines.filter { !$0.hasPrefix("Content-Type:") }.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}
