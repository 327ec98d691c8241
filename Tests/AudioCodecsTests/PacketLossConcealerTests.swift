import AudioCodecs
import TestSupport
import Testing

@Suite("Packet loss concealment (G.711 Appendix I style)")
struct PacketLossConcealerTests {
    /// Normalized correlation of two equal-length sample runs.
    static func correlation(_ a: ArraySlice<Int16>, _ b: ArraySlice<Int16>) -> Double {
        var ab = 0.0
        var aa = 0.0
        var bb = 0.0
        for (x, y) in zip(a, b) {
            ab += Double(x) * Double(y)
            aa += Double(x) * Double(x)
            bb += Double(y) * Double(y)
        }
        return ab / max((aa * bb).squareRoot(), 1e-9)
    }

    /// The largest step between neighbouring samples.
    static func largestStep(_ samples: ArraySlice<Int16>) -> Int {
        zip(samples, samples.dropFirst()).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    /// A steady 125 Hz vowel, 200 ms recorded, then `gap` samples concealed into the leg buffer.
    static func concealAfterVowel(
        sampleRate: Int,
        gapMilliseconds: Int
    ) -> (
        truth: [Int16], output: [Int16], concealer: PacketLossConcealer, gapStart: Int
    ) {
        let truth = Signals.steadyVowel(count: sampleRate / 2, sampleRate: sampleRate)
        let gapStart = sampleRate / 5
        var concealer = PacketLossConcealer(sampleRate: sampleRate)
        var output: [Int16] = []
        var start = 0
        while start < gapStart {  // 20 ms packets
            let packet = Array(truth[start..<(start + sampleRate / 50)])
            output.append(contentsOf: packet)
            concealer.record(packet)
            start += packet.count
        }
        concealer.conceal(count: gapMilliseconds * sampleRate / 1000, appendingTo: &output)
        return (truth, output, concealer, gapStart)
    }

    // Proves a 20 ms gap after a periodic signal continues the waveform: the substitute correlates highly
    // with the true continuation (the level drop after 10 ms does not affect correlation).
    @Test(arguments: [8000, 16000])
    func gapContinuesWaveform(sampleRate: Int) {
        let (truth, output, concealer, gapStart) = Self.concealAfterVowel(sampleRate: sampleRate, gapMilliseconds: 20)
        #expect(concealer.isConcealing)
        let gap = gapStart..<(gapStart + sampleRate / 50)
        #expect(output.count == gap.upperBound)
        let correlation = Self.correlation(output[gap], truth[gap])
        #expect(correlation > 0.9, "correlation \(correlation)")
    }

    // Proves the substitute fades: the 10–20 ms and later stretches are quieter than the first 10 ms, and
    // from 60 ms on it is silent.
    @Test(arguments: [8000, 16000])
    func longGapFadesToSilence(sampleRate: Int) {
        let (_, output, _, gapStart) = Self.concealAfterVowel(sampleRate: sampleRate, gapMilliseconds: 100)
        let tenMs = sampleRate / 100
        func energy(_ from: Int, _ to: Int) -> Double {
            output[(gapStart + from * tenMs)..<(gapStart + to * tenMs)].reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        #expect(energy(1, 2) < energy(0, 1))
        #expect(energy(4, 5) < energy(1, 2) * 0.5)
        #expect(output[(gapStart + 6 * tenMs)...].allSatisfy { $0 == 0 })
    }

    // Proves both joins are smooth: entering the gap and resuming after it, no step between neighbouring
    // samples exceeds 1.5 times the largest step of the original signal.
    @Test(arguments: [8000, 16000])
    func joinsHaveNoDiscontinuity(sampleRate: Int) {
        var (truth, output, concealer, gapStart) = Self.concealAfterVowel(sampleRate: sampleRate, gapMilliseconds: 20)
        let gapEnd = gapStart + sampleRate / 50
        var resumed = Array(truth[gapEnd..<(gapEnd + sampleRate / 50)])
        concealer.resume(&resumed)
        #expect(!concealer.isConcealing)
        output.append(contentsOf: resumed)
        let bound = Self.largestStep(truth[...]) * 3 / 2
        let startJoin = Self.largestStep(output[(gapStart - 40)..<(gapStart + 40)])
        let endJoin = Self.largestStep(output[(gapEnd - 40)..<(gapEnd + 40)])
        #expect(startJoin <= bound, "start join step \(startJoin), bound \(bound)")
        #expect(endJoin <= bound, "end join step \(endJoin), bound \(bound)")
        // After the cross-fade the resumed audio is the real signal, untouched.
        #expect(
            output[(gapEnd + sampleRate / 100)...] == truth[(gapEnd + sampleRate / 100)..<(gapEnd + sampleRate / 50)]
        )
    }

    // Proves the start-of-gap overlap-add rewrites only a buffer that ends with the recorded audio.
    @Test func rewritesOnlyMatchingTail() {
        // A gliding pitch, so a period earlier is not an exact copy and the cross-fade changes samples.
        let truth = Signals.vowel(count: 1600, sampleRate: 8000)
        var concealer = PacketLossConcealer(sampleRate: 8000)
        concealer.record(truth)
        var unrelated: [Int16] = [
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30,
        ]
        let before = unrelated
        concealer.conceal(count: 80, appendingTo: &unrelated)
        #expect(Array(unrelated[..<30]) == before && unrelated.count == 110)

        var again = PacketLossConcealer(sampleRate: 8000)
        again.record(truth)
        var leg = truth
        again.conceal(count: 80, appendingTo: &leg)
        // At most a quarter of the longest period (30 samples at 8 kHz) is rewritten.
        #expect(leg[..<(1600 - 30)] == truth[..<(1600 - 30)])
        #expect(leg[(1600 - 30)..<1600] != truth[(1600 - 30)..<1600])
    }

    // Proves concealing in pieces (e.g. one lost packet at a time) equals concealing the gap at once.
    @Test func concealingInPiecesEqualsOneCall() {
        let truth = Signals.steadyVowel(count: 1600, sampleRate: 8000)
        var whole = PacketLossConcealer(sampleRate: 8000)
        whole.record(truth)
        var expected: [Int16] = []
        whole.conceal(count: 400, appendingTo: &expected)
        var pieces = PacketLossConcealer(sampleRate: 8000)
        pieces.record(truth)
        var output: [Int16] = []
        for size in [33, 160, 7, 200] { pieces.conceal(count: size, appendingTo: &output) }
        #expect(output == expected)
    }
}
