import AudioCodecs
import CallTimeline
import Capture
import TestSupport
import Testing

@Suite("Call timeline: placement, gaps, legs (SPEC §3)")
struct CallTimelineTests {
    /// A clean two-way call renders, per channel, exactly the reference decode of the payloads, placed at the
    /// offset where the leg started (SPEC §3, "a decoder that is correct").
    @Test("clean two-way G.711 call is bit-exact at the right offset")
    func cleanG711BitExact() throws {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 4
        var b = SynthLeg(codec: .pcma, source: Fixtures.bob, destination: Fixtures.alice)
        b.ssrc = 0x2222_2222
        b.startMilliseconds = 300
        b.durationSeconds = 3
        b.pitchHz = 210
        let synth = CallSynthesizer(legs: [a, b])
        let timeline = Fixtures.timeline(synth)
        let call = try #require(timeline.summary.calls.first)
        #expect(timeline.summary.calls.count == 1)
        #expect(call.legs.map(\.side) == [.a, .b])
        #expect(call.channelReason.hasPrefix("first packet"))
        let (left, right, _) = Fixtures.render(timeline, call, synth: synth)
        let refA = Fixtures.referenceDecode(synth, leg: 0)
        let refB = Fixtures.referenceDecode(synth, leg: 1)
        #expect(left.count == 32000)
        #expect(Array(left[0..<refA.count]) == refA)
        #expect(Array(right[2400..<(2400 + refB.count)]) == refB)
        #expect(right[0..<2400].allSatisfy { $0 == 0 })
        #expect(Fixtures.render(timeline, call, synth: synth).call.legs.allSatisfy { $0.gaps.isEmpty })
    }

    /// G.722 has an 8000 Hz RTP clock but 16 kHz audio (RFC 3551 §4.5.2): the recording must be neither half
    /// nor double length, and the G.711 leg is resampled, not repeated.
    @Test("G.722 leg: 16 kHz, right duration, bit-exact decode")
    func g722Duration() throws {
        var a = SynthLeg(codec: .g722, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 3
        var b = SynthLeg(codec: .pcmu, source: Fixtures.bob, destination: Fixtures.alice)
        b.ssrc = 0x2222_2222
        b.durationSeconds = 3
        let synth = CallSynthesizer(legs: [a, b])
        let timeline = Fixtures.timeline(synth)
        let call = try #require(timeline.summary.calls.first)
        #expect(call.naturalSampleRate == 16000)
        #expect(abs(call.durationSeconds - 3.0) < 0.001)
        let (left, right, _) = Fixtures.render(timeline, call, synth: synth)
        #expect(left.count == 48000)
        #expect(left == Fixtures.referenceDecode(synth, leg: 0))
        // The resampled narrowband leg keeps its content in place (delay compensated).
        let refB = Fixtures.referenceDecode(synth, leg: 1)
        let window = refB[8000..<8800]
        let doubled = right.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        let match = Fixtures.bestLag(of: window, in: doubled, expected: 8000, range: 40)
        #expect(abs(match.lag - 8000) <= 1)
        #expect(match.score > 0.95)
    }

    /// With 5% loss, reordering, duplicates and 40 ms jitter the recording keeps its length and its alignment.
    @Test("impaired network: length and alignment kept")
    func impairedNetwork() throws {
        var a = SynthLeg(codec: .pcma, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 20
        a.lossProbability = 0.05
        a.reorderProbability = 0.05
        a.duplicateProbability = 0.05
        a.jitterMilliseconds = 40
        var b = a
        b.source = Fixtures.bob
        b.destination = Fixtures.alice
        b.ssrc = 0x2222_2222
        b.seed = 9
        b.startMilliseconds = 1000
        let synth = CallSynthesizer(legs: [a, b])
        var options = TimelineOptions()
        options.left = .network(address: Fixtures.alice.address, prefixLength: 32)
        let timeline = Fixtures.timeline(synth, options: options)
        let call = try #require(timeline.summary.calls.first)
        // 20 s of A, B ends 1 s later; the first and last packet may be lost (±20 ms).
        #expect(abs(call.durationSeconds - 21) < 0.045)
        let streamA = try #require(timeline.summary.streams.first { $0.key.ssrc == 0x1111_1111 })
        #expect(streamA.duplicated > 0)
        #expect(streamA.reordered > 0)
        #expect(streamA.lost > 0)
        #expect(streamA.jitterMilliseconds > 3)
        let (left, right, rendered) = Fixtures.render(timeline, call, synth: synth)
        #expect(rendered.legs[0].concealedMilliseconds > 0)
        let refA = Fixtures.referenceDecode(synth, leg: 0)
        let refB = Fixtures.referenceDecode(synth, leg: 1)
        for probe in [16000, 80000, 150000] {
            let m = Fixtures.bestLag(of: refA[probe..<(probe + 400)], in: left, expected: probe, range: 400)
            #expect(abs(m.lag - probe) <= 8, "leg A at \(probe): lag \(m.lag)")
            let n = Fixtures.bestLag(of: refB[probe..<(probe + 400)], in: right, expected: probe + 8000, range: 400)
            #expect(abs(n.lag - probe - 8000) <= 8, "leg B at \(probe): lag \(n.lag)")
        }
    }

    /// ±150 ppm sender drift over 20 minutes (180 ms each way) is estimated and corrected: the legs stay
    /// within 20 ms of real time from start to end (SPEC §3.4).
    @Test("sender drift ±150 ppm over 20 minutes is corrected")
    func driftCorrected() throws {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 1200
        a.driftPPM = 150
        a.jitterMilliseconds = 10
        var b = a
        b.source = Fixtures.bob
        b.destination = Fixtures.alice
        b.ssrc = 0x2222_2222
        b.driftPPM = -150
        b.pitchHz = 200
        b.seed = 3
        let synth = CallSynthesizer(legs: [a, b])
        var options = TimelineOptions()
        options.left = .network(address: Fixtures.alice.address, prefixLength: 32)
        let timeline = Fixtures.timeline(synth, options: options)
        let call = try #require(timeline.summary.calls.first)
        #expect(call.channelReason.hasPrefix("sender inside --left"))
        for leg in call.legs {
            let truth = leg.side == .a ? 150.0 : -150.0
            #expect(abs(leg.segments[0].driftPPM - truth) < 10, "leg \(leg.label): \(leg.segments[0].driftPPM) ppm")
        }
        let (left, right, _) = Fixtures.render(timeline, call, synth: synth)
        for (channel, leg, ppm) in [(left, 0, 150.0), (right, 1, -150.0)] {
            let reference = Fixtures.referenceDecode(synth, leg: leg)
            for sent in [8000, 4_800_000, 9_500_000] {
                // Sender sample n is played at real time n / (1 + drift).
                let expected = Int((Double(sent) / (1 + ppm * 1e-6)).rounded())
                let m = Fixtures.bestLag(
                    of: reference[sent..<(sent + 800)],
                    in: channel,
                    expected: expected,
                    range: 2000
                )
                #expect(abs(m.lag - expected) <= 160, "leg \(leg) sample \(sent): off by \(m.lag - expected)")
                #expect(m.score > 0.9)
            }
        }
    }

    /// After an SSRC change the leg continues: no gap or overlap beyond 20 ms.
    @Test("SSRC change mid-call continues the leg seamlessly")
    func ssrcChange() throws {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 6
        a.ssrcChangeAfterPackets = 150
        a.jitterMilliseconds = 15
        let synth = CallSynthesizer(legs: [a])
        let timeline = Fixtures.timeline(synth)
        #expect(timeline.summary.calls.count == 1)
        let call = try #require(timeline.summary.calls.first)
        let leg = call.legs[0]
        #expect(leg.segments.count == 2)
        #expect(leg.segments[1].reason == .ssrcChange)
        let (left, _, rendered) = Fixtures.render(timeline, call, synth: synth)
        #expect(rendered.legs[0].gaps.allSatisfy { $0.durationMilliseconds <= 20 })
        let reference = Fixtures.referenceDecode(synth, leg: 0)
        let after = 150 * 160 + 800
        let m = Fixtures.bestLag(of: reference[after..<(after + 800)], in: left, expected: after, range: 400)
        #expect(abs(m.lag - after) <= 160)
    }

    /// RFC 4733 events become DTMF entries (digit, start, duration), not audio; the repeated end packets count once.
    @Test("DTMF events are listed once each")
    func dtmfListed() throws {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 4
        a.dtmf = [
            (code: 1, startMilliseconds: 1000, durationMilliseconds: 200),
            (code: 11, startMilliseconds: 2000, durationMilliseconds: 160),
        ]
        var options = TimelineOptions()
        options.payloadTypes[101] = .telephoneEvent(clockRate: 8000)
        let synth = CallSynthesizer(legs: [a])
        let timeline = Fixtures.timeline(synth, options: options)
        let call = try #require(timeline.summary.calls.first)
        let leg = try #require(Fixtures.render(timeline, call, synth: synth).call.legs.first)
        #expect(leg.dtmf.map(\.digit) == ["1", "#"])
        #expect(leg.dtmf.allSatisfy { $0.ended })
        #expect(abs(leg.dtmf[0].startMilliseconds - 1000) < 25)
        #expect(abs(leg.dtmf[0].durationMilliseconds - 200) <= 20)
        // The event interval is silence in the audio, not loss.
        #expect(leg.gaps.allSatisfy { $0.kind == .silence })
    }

    /// Two conversations between different endpoint pairs are two calls; the longest is the default.
    @Test("several calls in one capture are split; the longest is chosen")
    func severalCalls() throws {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 2
        var c = SynthLeg(
            codec: .pcma,
            source: Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 7000),
            destination: Endpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 7002)
        )
        c.durationSeconds = 5
        c.ssrc = 0x3333_3333
        c.startMilliseconds = 500
        let timeline = Fixtures.timeline(CallSynthesizer(legs: [a, c]))
        #expect(timeline.summary.calls.count == 2)
        #expect(timeline.summary.longestCall?.number == 2)
    }

    /// A gap longer than the limit (default one hour) makes two calls, not hours of silence.
    @Test("a gap beyond the limit splits the capture into two calls")
    func longGapSplits() throws {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 2
        var later = a
        later.startMilliseconds = 2 * 3_600_000
        later.firstSequence = 1100
        later.firstTimestamp = 999_999
        let timeline = Fixtures.timeline(
            Fixtures.media(CallSynthesizer(legs: [a]).packets() + CallSynthesizer(legs: [later]).packets())
        )
        #expect(timeline.summary.calls.count == 2)
        #expect(timeline.summary.calls.allSatisfy { abs($0.durationSeconds - 2) < 0.001 })
    }

    /// A stream of an unsupported codec is reported with its reason; nothing else is made of it.
    @Test("unsupported codec is skipped with a reason")
    func unsupportedCodec() {
        var a = SynthLeg(
            codec: .opaque(payloadType: 4, bytesPerPacket: 24),
            source: Fixtures.alice,
            destination: Fixtures.bob
        )
        a.durationSeconds = 1
        let timeline = Fixtures.timeline(CallSynthesizer(legs: [a]))
        #expect(timeline.summary.calls.isEmpty)
        #expect(
            timeline.summary.streams.first?.skippedReason
                == .unsupportedCodec(.unsupported(name: "G723", reason: .noDecoder), payloadType: 4)
        )
    }

    /// Mono mixes both legs: a single talker keeps its level exactly.
    @Test("mono mix keeps a single talker's level")
    func monoKeepsLevel() throws {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 1
        let synth = CallSynthesizer(legs: [a])
        let timeline = Fixtures.timeline(synth)
        let call = try #require(timeline.summary.calls.first)
        let (mono, unused, _) = Fixtures.render(timeline, call, synth: synth, layout: .mono)
        #expect(mono == Fixtures.referenceDecode(synth, leg: 0))
        #expect(unused.isEmpty)
    }
}

@Suite("Call timeline: fuzzer regressions")
struct CallTimelineRegressionTests {
    /// A payload type whose first packet arrives behind a higher-numbered packet of another type (found by
    /// FuzzCapture: it trapped on an empty segment list) builds and renders.
    @Test("first packet of a lane arrives reordered")
    func laneStartsReordered() {
        func packet(_ sequence: UInt16, _ payloadType: UInt8, at milliseconds: Int64) -> MediaPacket {
            MediaPacket(
                arrival: 1_795_946_400_000_000_000 + milliseconds * 1_000_000,
                packetNumber: Int(sequence),
                source: Fixtures.alice,
                destination: Fixtures.bob,
                ssrc: 7,
                sequenceNumber: sequence,
                timestamp: UInt32(sequence) * 160,
                payloadType: payloadType,
                marker: false,
                payload: payloadType == 0 ? [UInt8](repeating: 0xFF, count: 160) : [1, 0x0A, 0, 160]
            )
        }
        let packets =
            [packet(10, 101, at: 0), packet(9, 0, at: 1)] + (11...20).map { packet(UInt16($0), 0, at: Int64($0) * 20) }
        let timeline = Fixtures.timeline(
            packets,
            options: {
                var options = TimelineOptions()
                options.payloadTypes[101] = .telephoneEvent(clockRate: 8000)
                return options
            }()
        )
        #expect(timeline.summary.calls.count == 1)
        if let call = timeline.summary.calls.first {
            let rendered = Fixtures.render(timeline, call, packets: packets)
            #expect(rendered.left.count > 0)
        }
    }

    /// One reordered packet whose timestamp lies 13 hours before its neighbours' (found by FuzzCapture: the call
    /// it joined lasted 13 hours, and rendering its leading silence ran out of memory) is not placed: the call
    /// is the 0.4 s its packets span.
    @Test("a reordered packet with a far timestamp does not stretch the call")
    func reorderedFarTimestamp() throws {
        func packet(_ sequence: UInt16, timestamp: UInt32, at milliseconds: Int64) -> MediaPacket {
            MediaPacket(
                arrival: 1_795_946_400_000_000_000 + milliseconds * 1_000_000,
                packetNumber: Int(milliseconds),
                source: Fixtures.alice,
                destination: Fixtures.bob,
                ssrc: 7,
                sequenceNumber: sequence,
                timestamp: timestamp,
                payloadType: 0,
                marker: false,
                payload: [UInt8](repeating: 0xFF, count: 160)
            )
        }
        var packets: [MediaPacket] = []
        for index in 0..<20 {
            let offset = UInt32(index)
            packets.append(packet(1000 + UInt16(index), timestamp: 160_000 + offset * 160, at: Int64(index) * 20))
        }
        packets.insert(packet(990, timestamp: 3_916_497_056, at: 41), at: 3)
        let timeline = Fixtures.timeline(packets)
        let call = try #require(timeline.summary.calls.first)
        #expect(abs(call.durationSeconds - 0.4) < 0.01)
        let rendered = Fixtures.render(timeline, call, packets: packets)
        #expect(rendered.left.count == 3200)
    }
}
