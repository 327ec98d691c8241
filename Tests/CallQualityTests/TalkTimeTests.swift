import CallQuality
import TestSupport
import Testing

/// Synthetic conversations with known talk spurts (TestSupport's speech-like vowels over a low noise floor).
@Suite("Talk time and double talk")
struct TalkTimeTests {
    /// A leg of `seconds` at `rate` with speech in `spurts` (start, end in seconds) over white noise at `noise`
    /// peak amplitude (20 ≈ −67 dBFS RMS).
    static func leg(
        seconds: Double,
        rate: Int,
        spurts: [(Double, Double)],
        noise: Double = 20,
        seed: UInt64
    ) -> [Int16] {
        var samples = Signals.noiseBursts(
            amplitude: noise,
            burst: Int(seconds) * rate * 2,
            count: Int(seconds * Double(rate)),
            seed: seed
        )
        for (start, end) in spurts {
            let first = Int(start * Double(rate))
            let speech = Signals.vowel(
                pitch: 110 + Double(seed % 5) * 20,
                count: Int((end - start) * Double(rate)),
                sampleRate: rate
            )
            for (offset, value) in speech.enumerated() where first + offset < samples.count {
                samples[first + offset] = Int16(clamping: Int(samples[first + offset]) + Int(value))
            }
        }
        return samples
    }

    static func measure(_ legs: [[Int16]], rates: [Int], chunk: Int) -> TalkTimeMeter {
        var meter = TalkTimeMeter(sampleRates: rates)
        var offsets = [Int](repeating: 0, count: legs.count)
        while offsets.indices.contains(where: { offsets[$0] < legs[$0].count }) {
            for index in legs.indices {
                // Each leg in blocks of the same duration, as pass 2 renders them side by side.
                let count = chunk * rates[index] / rates[0]
                let end = min(legs[index].count, offsets[index] + count)
                meter.append(Array(legs[index][offsets[index]..<end]), leg: index)
                offsets[index] = end
            }
        }
        meter.finish()
        return meter
    }

    static let spurtsA = [(1.0, 4.0), (8.0, 10.0)]
    static let spurtsB = [(3.0, 6.0), (9.5, 12.0)]

    @Test("Talk per leg and double talk match the spurts to within 30 ms per edge", arguments: [173, 4096, 16000])
    func conversation(chunk: Int) {
        let a = Self.leg(seconds: 14, rate: 8000, spurts: Self.spurtsA, seed: 1)
        let b = Self.leg(seconds: 14, rate: 16000, spurts: Self.spurtsB, seed: 2)
        let meter = Self.measure([a, b], rates: [8000, 16000], chunk: chunk)
        print("talk A \(meter.talkSeconds[0]) s, B \(meter.talkSeconds[1]) s, double \(meter.doubleTalkSeconds) s")
        #expect(abs(meter.talkSeconds[0] - 5.0) <= 0.12)
        #expect(abs(meter.talkSeconds[1] - 5.5) <= 0.12)
        #expect(abs(meter.doubleTalkSeconds - 1.5) <= 0.12)
    }

    @Test("The figures do not depend on how the audio is cut into blocks")
    func chunkingIndependent() {
        let a = Self.leg(seconds: 14, rate: 8000, spurts: Self.spurtsA, seed: 1)
        let b = Self.leg(seconds: 14, rate: 8000, spurts: Self.spurtsB, seed: 2)
        let small = Self.measure([a, b], rates: [8000, 8000], chunk: 61)
        let large = Self.measure([a, b], rates: [8000, 8000], chunk: 50_000)
        #expect(small.talkSeconds == large.talkSeconds)
        #expect(small.doubleTalkSeconds == large.doubleTalkSeconds)
    }

    @Test("Steady background noise stops counting as talk within about a second")
    func steadyNoise() {
        // −40 dBFS of noise throughout (far above −50 dBFS), speech in two spurts over it.
        let noisy = Self.leg(seconds: 14, rate: 8000, spurts: Self.spurtsA, noise: 570, seed: 3)
        let meter = Self.measure([noisy], rates: [8000], chunk: 800)
        print("speech over −40 dBFS noise: talk \(meter.talkSeconds[0]) s")
        #expect(meter.talkSeconds[0] >= 5.0 - 0.15)
        #expect(meter.talkSeconds[0] <= 5.0 + 1.3)
        let noiseOnly = Self.leg(seconds: 14, rate: 8000, spurts: [], noise: 570, seed: 4)
        #expect(Self.measure([noiseOnly], rates: [8000], chunk: 800).talkSeconds[0] <= 1.3)
    }

    @Test("Digital silence and a single click are not talk; a one-leg call has no double talk")
    func silenceAndClicks() {
        var samples = [Int16](repeating: 0, count: 80_000)
        for index in 40_000..<40_160 { samples[index] = 20_000 }  // 20 ms click
        let meter = Self.measure([samples], rates: [8000], chunk: 1000)
        #expect(meter.talkSeconds == [0])
        #expect(meter.doubleTalkSeconds == 0)
    }

    @Test("A leg that ends early is silent for the rest of the call")
    func unequalLengths() {
        let a = Self.leg(seconds: 6, rate: 8000, spurts: [(1.0, 4.0)], seed: 5)
        let b = Self.leg(seconds: 14, rate: 8000, spurts: [(2.0, 12.0)], seed: 6)
        let meter = Self.measure([a, b], rates: [8000, 8000], chunk: 400)
        #expect(abs(meter.talkSeconds[0] - 3) <= 0.08)
        #expect(abs(meter.talkSeconds[1] - 10) <= 0.08)
        #expect(abs(meter.doubleTalkSeconds - 2) <= 0.08)
    }
}
