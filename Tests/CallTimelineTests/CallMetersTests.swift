import CallQuality
import CallTimeline
import TestSupport
import Testing

/// What pass 2 measures besides the audio (SPEC §4): each leg's loss pattern as a 60 ms jitter buffer sees it, the
/// E-model estimate made of it, talk time and double talk, on synthetic calls whose loss, jitter and speech are
/// known.
@Suite("Quality and talk time measured by pass 2")
struct CallMetersTests {
    /// A two-party PCMU call of `seconds` (1000 packets of 20 ms per leg for 20 s); `change` adjusts leg A. B
    /// starts 200 ms after A so that A stays leg A (the first packet's sender) whatever jitter A is given.
    static func synth(seconds: Double = 20, _ change: (inout SynthLeg) -> Void = { _ in }) -> CallSynthesizer {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = seconds
        change(&a)
        var b = SynthLeg(codec: .pcmu, source: Fixtures.bob, destination: Fixtures.alice)
        b.ssrc = 0x2222_2222
        b.pitchHz = 210
        b.durationSeconds = seconds
        b.startMilliseconds = 200
        return CallSynthesizer(legs: [a, b])
    }

    /// Pass 1 then pass 2 over the call's packets, as the pipeline runs them: what the renderer measured.
    static func analysis(_ synth: CallSynthesizer) throws -> CallAnalysis {
        let packets = Fixtures.media(synth.packets())
        let timeline = Fixtures.timeline(packets)
        let call = try #require(timeline.summary.longestCall)
        var renderer = timeline.renderer(for: call)
        var left: [Int16] = []
        var right: [Int16] = []
        for packet in packets {
            renderer.add(packet)
            while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 {}
        }
        renderer.finish()
        while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 {}
        return renderer.analysis
    }

    /// Packets leg `leg` of `synth` lost on the way (sent minus captured).
    static func dropped(_ synth: CallSynthesizer, leg: Int) -> Int {
        let sent = synth.encodedPackets(leg: leg).payloads.count
        return sent - synth.packets().filter { $0.leg == leg }.count
    }

    /// Clean G.711 scores MOS ≥ 4.2 (the G.107 ceiling for PCMU with the assumed 60 ms buffer is 4.36), nothing
    /// is missing, and all 1000 packets of 20 s were due.
    @Test("clean G.711 legs score MOS ≥ 4.2")
    func clean() throws {
        let analysis = try Self.analysis(Self.synth())
        #expect(analysis.legs.count == 2)
        for leg in analysis.legs {
            #expect(leg.quality.mos >= 4.2, "\(leg.quality.mos)")
            #expect(leg.lossPattern.packets == 1000)
            #expect(leg.lossPattern.missing == 0)
            #expect(leg.codec.name == "PCMU")
        }
    }

    /// 5 % random loss: the pattern counts exactly the packets the network dropped, BurstR stays near 1, and MOS
    /// falls by at least 0.3 (G.711 with PLC: Bpl 25.1, G.113 Appendix I).
    @Test("5 % random loss scores at least 0.3 lower than clean, with BurstR near 1")
    func randomLoss() throws {
        let synth = Self.synth { $0.lossProbability = 0.05 }
        let lossy = try Self.analysis(synth)
        let clean = try Self.analysis(Self.synth())
        let leg = lossy.legs[0]
        #expect(leg.lossPattern.missing == Self.dropped(synth, leg: 0))
        #expect(leg.lossPattern.late == 0)
        #expect(abs(leg.lossPattern.missingPercent - 5) < 1.5, "\(leg.lossPattern.missingPercent) %")
        #expect(leg.lossPattern.burstRatio < 1.3, "\(leg.lossPattern.burstRatio)")
        print("MOS clean \(clean.legs[0].quality.mos), 5 % random \(leg.quality.mos)")
        #expect(leg.quality.mos <= clean.legs[0].quality.mos - 0.3)
        // Leg B was not touched.
        #expect(lossy.legs[1].quality.mos == clean.legs[1].quality.mos)
    }

    /// The same number of lost packets in runs of 10 scores lower than when spread at random (BurstR > 1).
    @Test("burst loss scores lower than the same loss spread at random")
    func burstLoss() throws {
        let random = Self.synth { $0.lossProbability = 0.05 }
        let count = Self.dropped(random, leg: 0)
        let runs = count / 10
        let bursty = Self.synth { leg in
            leg.lossBursts = (0..<runs).map { (first: 40 + $0 * (900 / max(1, runs)), count: 10) }
            if count % 10 > 0 { leg.lossBursts.append((first: 960, count: count % 10)) }
        }
        #expect(Self.dropped(bursty, leg: 0) == count)
        let randomLeg = try Self.analysis(random).legs[0]
        let burstLeg = try Self.analysis(bursty).legs[0]
        #expect(burstLeg.lossPattern.missing == randomLeg.lossPattern.missing)
        #expect(burstLeg.lossPattern.burstRatio > 5, "\(burstLeg.lossPattern.burstRatio)")
        print("MOS \(count) lost: random \(randomLeg.quality.mos), in runs of 10 \(burstLeg.quality.mos)")
        #expect(burstLeg.quality.mos < randomLeg.quality.mos)
    }

    /// G.729 and G.711 clean legs are ordered as G.113 Appendix I says (Ie 11 against 0): the codec identity the
    /// timeline gives an undecodable G.729 stream scores it lower on the same clean packets.
    @Test("clean G.729 scores below clean G.711, as ITU-T G.113 orders them")
    func codecOrder() throws {
        let leg = try Self.analysis(Self.synth()).legs[0]
        func mos(_ codec: Codec) -> Double {
            QualityModel.estimate(
                LegQualityInput(codec: codec.qualityIdentity, pattern: leg.lossPattern, jitterMilliseconds: 0)
            ).mos
        }
        let g729 = Codec(encodingName: "G729")
        #expect(g729.qualityIdentity.name.uppercased() == "G729")
        print("clean MOS: G.729 \(mos(g729)), G.711 \(mos(.pcmu))")
        #expect(mos(.pcmu) == mos(.pcma))
        #expect(mos(g729) < mos(.pcmu) - 0.2, "G.729 \(mos(g729)), G.711 \(mos(.pcmu))")
    }

    /// Network jitter within the 60 ms buffer loses nothing; jitter well beyond it makes late packets, counted as
    /// missing although every sequence number arrived.
    @Test("late packets: none under 60 ms of jitter, some beyond it", arguments: [(10.0, false), (150.0, true)])
    func late(jitter: Double, expectLate: Bool) throws {
        let leg = try Self.analysis(Self.synth { $0.jitterMilliseconds = jitter }).legs[0]
        print("jitter \(jitter) ms: \(leg.lossPattern.late) late, MOS \(leg.quality.mos)")
        #expect(leg.lossPattern.missing == leg.lossPattern.late)
        #expect((leg.lossPattern.late > 0) == expectLate, "\(leg.lossPattern.late) late")
        #expect(leg.lossPattern.late < leg.lossPattern.packets / 2)
    }

    /// Talk time from the decoded audio: A talks 0–8 s, B 6–14 s of a 16 s call (speech-like signal, silence
    /// elsewhere): 8 s each, 2 s at once, within the voice detector's hangover.
    @Test("talk time and double talk from the rendered audio")
    func talkTime() throws {
        let rate = 8000
        func speech(from start: Double, to end: Double, pitch: Double) -> [Int16] {
            let voice = CallSynthesizer.speechLike(count: Int((end - start) * 8000), sampleRate: rate, pitch: pitch)
            return [Int16](repeating: 0, count: Int(start * 8000)) + voice
                + [Int16](repeating: 0, count: Int((16 - end) * 8000))
        }
        var synth = Self.synth(seconds: 16) { $0.audio = speech(from: 0, to: 8, pitch: 140) }
        synth.legs[1].audio = speech(from: 6, to: 14, pitch: 210)
        let analysis = try Self.analysis(synth)
        print("talk A \(analysis.legs[0].talkSeconds) s, B \(analysis.legs[1].talkSeconds) s")
        print("double talk \(analysis.doubleTalkSeconds) s")
        #expect(abs(analysis.legs[0].talkSeconds - 8) < 1)
        #expect(abs(analysis.legs[1].talkSeconds - 8) < 1)
        #expect(abs(analysis.doubleTalkSeconds - 2) < 0.6)
    }

    /// The same call measured twice gives the same figures (nothing depends on block sizes or timing).
    @Test("the same call gives the same figures")
    func stable() throws {
        let synth = Self.synth {
            $0.lossProbability = 0.03
            $0.jitterMilliseconds = 40
        }
        let first = try Self.analysis(synth)
        let second = try Self.analysis(synth)
        #expect(first.legs.map(\.quality) == second.legs.map(\.quality))
        #expect(first.legs.map(\.lossPattern) == second.legs.map(\.lossPattern))
        #expect(first.doubleTalkSeconds == second.doubleTalkSeconds)
    }
}
