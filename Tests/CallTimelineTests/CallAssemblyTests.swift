import CallTimeline
import Capture
import TestSupport
import Testing

/// Calls built from captures written in code, each a case that went wrong on real captures (issue 19): streams
/// to dialogs by time and peer, overlapping SSRCs as two senders, signalled streams never dropped, SIP over TCP,
/// relays (SPEC §3.2).
@Suite("Call assembly: streams to dialogs, legs, senders (SPEC §3.2)")
struct CallAssemblyTests {
    static let gateway = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 10), port: 4000)
    static let phone = IPAddress(ipv4: 203, 0, 113, 7)
    static let day: Int64 = 86_400 * 1_000_000_000
    static let start: Int64 = 1_795_946_400 * 1_000_000_000

    /// Each call of `calls` is found once, with its Call-ID, both legs (caller on the left, callee on the right),
    /// its length, and, rendered, the caller's audio on the left and the callee's 40 ms later on the right.
    static func expectCalls(_ timeline: CallTimeline, _ calls: [CallSynthesizer], capture: [UInt8]) throws {
        let found = timeline.summary.calls
        try #require(found.count == calls.count)
        for (call, synth) in zip(found, calls) {
            #expect(call.sipCallID == synth.callID)
            #expect(call.channelReason == "caller per SIP INVITE")
            try #require(call.legs.count == 2)
            #expect(call.legs.map(\.side) == [.a, .b])
            #expect(call.legs[0].source == synth.legs[0].source)
            #expect(call.legs[0].segments.map(\.ssrc) == [synth.legs[0].ssrc])
            #expect(call.legs[1].segments.map(\.ssrc) == [synth.legs[1].ssrc])
            #expect(
                abs(call.durationSeconds - (synth.legs[1].durationSeconds + 0.04)) < 0.001,
                "\(call.durationSeconds)"
            )
            let (left, right, _) = try Fixtures.render(timeline, call, capture: capture)
            let rate = call.naturalSampleRate
            let callerLeft = Fixtures.holds(left, Fixtures.referenceDecode(synth, leg: 0), at: 0, tolerance: 0)
            let calleeRight = Fixtures.holds(
                right,
                Fixtures.referenceDecode(synth, leg: 1),
                at: rate * 40 / 1000,
                tolerance: 0
            )
            #expect(callerLeft, "call \(call.number): the caller's audio on the left")
            #expect(calleeRight, "call \(call.number): the callee's audio on the right, 40 ms in")
        }
    }

    /// A gateway that uses one RTP port for every call, three calls on three days from one phone using a new
    /// port each time (one call in G.722): three calls, never a direction attached to another day's dialog (the
    /// gateway's address is named by all three; time and the peer decide).
    @Test("three calls over three days on one reused gateway port")
    func gatewayPortReused() throws {
        let days: [(day: Int, port: UInt16, codec: SynthCodec, seconds: Double)] = [
            (0, 30000, .pcmu, 3), (1, 30002, .g722, 5), (2, 30004, .pcma, 4),
        ]
        let calls = days.map { day, port, codec, seconds in
            Fixtures.sipCall(
                caller: Endpoint(address: Self.phone, port: port),
                callee: Self.gateway,
                codec: codec,
                seconds: seconds,
                start: Self.start + Int64(day) * Self.day,
                callID: "day\(day)@gateway.test",
                ssrcs: (UInt32(0x1000 + day), UInt32(0x2000 + day)),
                pitch: 120 + 30 * Double(day)
            )
        }
        let capture = CallSynthesizer.capture(calls)
        let timeline = try Fixtures.timeline(capture: capture)
        try Self.expectCalls(timeline, calls, capture: capture)
        #expect(timeline.summary.calls.map { $0.naturalSampleRate } == [8000, 16000, 8000])
        #expect(timeline.summary.longestCall?.number == 2)
    }

    /// A caller that reuses its RTP port for the next call (started 0.1 s after the first one's BYE, to a callee
    /// on another port): two calls, the second call's streams neither appended to the first's legs as an "SSRC
    /// change" nor split from each other.
    @Test("two sequential dialogs reusing the caller's port")
    func callerPortReused() throws {
        let caller = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: 40000)
        let first = Fixtures.sipCall(
            caller: caller,
            callee: Endpoint(address: IPAddress(ipv4: 10, 0, 0, 2), port: 50000),
            seconds: 6,
            start: Self.start,
            callID: "first@test",
            ssrcs: (0x1111, 0x2222)
        )
        let second = Fixtures.sipCall(
            caller: caller,
            callee: Endpoint(address: IPAddress(ipv4: 10, 0, 0, 2), port: 50002),
            seconds: 4,
            start: Self.start + 6_190_000_000,
            callID: "second@test",
            ssrcs: (0x3333, 0x4444),
            pitch: 180
        )
        let capture = CallSynthesizer.capture([first, second])
        try Self.expectCalls(try Fixtures.timeline(capture: capture), [first, second], capture: capture)
    }

    /// The same two calls on the very same four media addresses: nothing but time tells them apart (each
    /// stream overlaps its own dialog, from SDP to BYE, and only the margin of the other).
    @Test("two sequential dialogs on the same addresses: time decides")
    func sameAddressesTimeDecides() throws {
        let caller = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: 40000)
        let callee = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 2), port: 50000)
        let first = Fixtures.sipCall(
            caller: caller,
            callee: callee,
            seconds: 6,
            start: Self.start,
            callID: "first@test",
            ssrcs: (0x1111, 0x2222)
        )
        let second = Fixtures.sipCall(
            caller: caller,
            callee: callee,
            seconds: 4,
            start: Self.start + 6_190_000_000,
            callID: "second@test",
            ssrcs: (0x3333, 0x4444),
            pitch: 180
        )
        let capture = CallSynthesizer.capture([first, second])
        let timeline = try Fixtures.timeline(capture: capture)
        try Self.expectCalls(timeline, [first, second], capture: capture)
        #expect(timeline.summary.streams.allSatisfy { $0.dialog?.rivals == 1 })
    }

    /// An rtpdump file of both directions (rtpdump keeps no senders: every stream runs between the same two
    /// pseudo-endpoints): the two SSRCs overlap all along, so they are two legs, not one leg with an "SSRC
    /// change" where one party vanishes.
    @Test("rtpdump with two overlapping SSRCs: two legs")
    func rtpdumpOverlappingSSRCs() throws {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 4
        var b = SynthLeg(codec: .pcmu, source: Fixtures.bob, destination: Fixtures.alice)
        b.ssrc = 0x2222_2222
        b.startMilliseconds = 300
        b.durationSeconds = 3
        b.pitchHz = 210
        let synth = CallSynthesizer(legs: [a, b])
        let capture = synth.capture(container: .rtpdump)
        let timeline = try Fixtures.timeline(capture: capture)
        try #require(timeline.summary.calls.count == 1)
        let call = timeline.summary.calls[0]
        #expect(call.legs.map { $0.segments.map(\.ssrc) } == [[0x1111_1111], [0x2222_2222]])
        #expect(call.channelReason == "first packet (no SIP in the capture)")
        #expect(abs(call.durationSeconds - 4) < 0.002)
        let (left, right, _) = try Fixtures.render(timeline, call, capture: capture)
        let firstLeft = Fixtures.holds(left, Fixtures.referenceDecode(synth, leg: 0), at: 0)
        let secondRight = Fixtures.holds(right, Fixtures.referenceDecode(synth, leg: 1), at: 2400)
        #expect(firstLeft, "the first SSRC's audio on the left")
        #expect(secondRight, "the second SSRC's audio on the right, 300 ms in")
    }

    /// The callee's stream, named by the 200 OK's SDP, has 2.5 s of audio, a 30 s capture outage (its sequence
    /// numbers jump by 1,500) and 0.1 s more: it stays in the call, the outage is silence listed in the gap map,
    /// and nothing is warned about.
    @Test("an SDP-named stream with a 30 s outage stays, the outage a listed gap")
    func namedStreamOutage() throws {
        var synth = Fixtures.sipCall(
            caller: Fixtures.alice,
            callee: Fixtures.bob,
            seconds: 32.6,
            start: Self.start,
            callID: "outage@test",
            ssrcs: (0x1111, 0x2222)
        )
        synth.legs[1].lossBursts = [(first: 125, count: 1500)]
        let capture = CallSynthesizer.capture([synth])
        let timeline = try Fixtures.timeline(capture: capture)
        #expect(timeline.summary.streams.allSatisfy { $0.skippedReason == nil })
        #expect(timeline.summary.warnings.isEmpty)
        let call = try #require(timeline.summary.calls.first)
        #expect(call.legs.count == 2)
        #expect(abs(call.durationSeconds - 32.64) < 0.001)
        let rendered = try Fixtures.render(timeline, call, capture: capture).call
        let outage = rendered.legs[1].gaps.filter { $0.durationMilliseconds > 1000 }
        #expect(outage.map(\.lostPackets) == [1500])
        #expect(outage.map(\.kind) == [.lost])
        #expect(abs((outage.first?.durationMilliseconds ?? 0) - 30_000) < 1)
        #expect(abs((outage.first?.startMilliseconds ?? 0) - 2540) < 1)
    }

    /// The same stream with no SDP naming it is still judged by the RTP heuristic: 130 packets spread over 1,630
    /// sequence numbers are not RTP (the rule exempts signalled streams only).
    @Test("the same jump on an unsignalled stream is still judged not RTP")
    func unnamedStreamOutage() throws {
        var leg = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        leg.durationSeconds = 32.6
        leg.lossBursts = [(first: 125, count: 1500)]
        let timeline = try Fixtures.timeline(capture: CallSynthesizer(legs: [leg]).capture())
        #expect(timeline.summary.streams.map(\.skippedReason) == [.notRTP(packets: 130, sequenceSpan: 1630)])
        #expect(timeline.summary.calls.isEmpty)
    }

    /// A stream in a codec that cannot be decoded, in a call whose other leg is recorded: listed as skipped and
    /// said in the warnings (which the CLI prints on stderr).
    @Test("a skipped stream that carried audio is a warning")
    func skippedAudioWarns() throws {
        var synth = Fixtures.sipCall(
            caller: Fixtures.alice,
            callee: Fixtures.bob,
            seconds: 2,
            start: Self.start,
            callID: "ilbc@test",
            ssrcs: (0x1111, 0x2222)
        )
        synth.legs[1].codec = .opaque(payloadType: 97, bytesPerPacket: 38)
        let timeline = try Fixtures.timeline(capture: CallSynthesizer.capture([synth]))
        #expect(timeline.summary.calls.first?.legs.count == 1)
        #expect(
            timeline.summary.warnings == [
                "stream 198.51.100.2:50000 → 192.0.2.1:40000 SSRC 0x00002222 not recorded: "
                    + "unsupported codec iLBC (payload type 97)"
            ]
        )
    }
}
