import AudioCodecs
import Foundation
import TestSupport
import Testing

@Suite("Resampler 8 ↔ 16 kHz")
struct ResamplerTests {
    /// Amplitude of the `frequency` component of `samples[range]` (the window holds whole cycles of every
    /// frequency used here, so components at other test frequencies do not leak into it).
    static func amplitude(of frequency: Double, in samples: [Int16], range: Range<Int>, sampleRate: Int) -> Double {
        var cosine = 0.0
        var sine = 0.0
        for n in range {
            let angle = 2 * Double.pi * frequency * Double(n) / Double(sampleRate)
            cosine += Double(samples[n]) * cos(angle)
            sine += Double(samples[n]) * sin(angle)
        }
        return 2 * (cosine * cosine + sine * sine).squareRoot() / Double(range.count)
    }

    static func decibels(_ ratio: Double) -> Double { 20 * log10(max(ratio, 1e-12)) }

    static let amplitude = 16000.0

    // Proves 8 → 16 kHz is flat within ±0.1 dB from 100 Hz to 3.4 kHz (sine sweep in 100 Hz steps).
    @Test func upsamplingPassbandIsFlat() {
        for frequency in stride(from: 100.0, through: 3400, by: 100) {
            var resampler = Resampler(from: 8000, to: 16000)
            let output = resampler.process(
                Signals.tone(frequency: frequency, amplitude: Self.amplitude, count: 4000, sampleRate: 8000)
            )
            let gain = Self.amplitude(of: frequency, in: output, range: 1600..<6400, sampleRate: 16000)
            #expect(
                abs(Self.decibels(gain / Self.amplitude)) < 0.1,
                "\(frequency) Hz: \(Self.decibels(gain / Self.amplitude)) dB"
            )
        }
    }

    // Proves 8 → 16 kHz images (at 8000 − f, in the 4–8 kHz band) are at least 60 dB below the tone, for
    // every tone from 100 Hz up to 3.9 kHz (sine sweep in 100 Hz steps).
    @Test func upsamplingImagesAreRejected() {
        for frequency in stride(from: 100.0, through: 3900, by: 100) {
            var resampler = Resampler(from: 8000, to: 16000)
            let output = resampler.process(
                Signals.tone(frequency: frequency, amplitude: Self.amplitude, count: 4000, sampleRate: 8000)
            )
            let image = Self.amplitude(of: 8000 - frequency, in: output, range: 1600..<6400, sampleRate: 16000)
            #expect(
                Self.decibels(image / Self.amplitude) < -60,
                "\(frequency) Hz: image \(Self.decibels(image / Self.amplitude)) dB"
            )
        }
    }

    // Proves 16 → 8 kHz is flat within ±0.1 dB up to 3.4 kHz and that tones from 4.1 to 7.9 kHz alias
    // into the 8 kHz output at least 60 dB down.
    @Test func downsamplingPassbandAndAliasRejection() {
        for frequency in stride(from: 100.0, through: 3400, by: 100) {
            var resampler = Resampler(from: 16000, to: 8000)
            let output = resampler.process(
                Signals.tone(frequency: frequency, amplitude: Self.amplitude, count: 8000, sampleRate: 16000)
            )
            let gain = Self.amplitude(of: frequency, in: output, range: 800..<3200, sampleRate: 8000)
            #expect(
                abs(Self.decibels(gain / Self.amplitude)) < 0.1,
                "\(frequency) Hz: \(Self.decibels(gain / Self.amplitude)) dB"
            )
        }
        for frequency in stride(from: 4100.0, through: 7900, by: 100) {
            var resampler = Resampler(from: 16000, to: 8000)
            let output = resampler.process(
                Signals.tone(frequency: frequency, amplitude: Self.amplitude, count: 8000, sampleRate: 16000)
            )
            let alias = Self.amplitude(of: 8000 - frequency, in: output, range: 800..<3200, sampleRate: 8000)
            #expect(
                Self.decibels(alias / Self.amplitude) < -60,
                "\(frequency) Hz: alias \(Self.decibels(alias / Self.amplitude)) dB"
            )
        }
    }

    // Proves the documented delay: an impulse comes out centred `groupDelay` samples later, both ways.
    @Test(arguments: [(8000, 16000), (16000, 8000)])
    func groupDelayIsAsDocumented(from: Int, to: Int) {
        var resampler = Resampler(from: from, to: to)
        var input = [Int16](repeating: 0, count: 400)
        input[0] = 16000
        let output = resampler.process(input)
        let peak = output.indices.max { abs(Int(output[$0])) < abs(Int(output[$1])) }!
        #expect(peak == resampler.groupDelay && resampler.latency == resampler.groupDelay)
        #expect(resampler.groupDelay == (to > from ? 60 : 30))
    }

    // Proves latency compensation: going up, a 1 kHz tone comes out aligned with the ideal 16 kHz tone
    // (error more than 50 dB down) and flush() completes exactly twice the input length.
    @Test func compensatedUpsamplingIsAligned() {
        var resampler = Resampler(from: 8000, to: 16000, compensatesLatency: true)
        #expect(resampler.latency == 0)
        let input = Signals.tone(frequency: 1000, amplitude: 10000, count: 1601, sampleRate: 8000)
        var output = resampler.process(input)
        resampler.flush(appendingTo: &output)
        #expect(output.count == 3202)
        let ideal = Signals.tone(frequency: 1000, amplitude: 10000, count: 3202, sampleRate: 16000)
        #expect(Signals.snr(reference: ideal, actual: output, range: 200..<3000) > 50)
    }

    // Proves latency compensation going down: output aligned with the ideal 8 kHz tone.
    @Test func compensatedDownsamplingIsAligned() {
        var resampler = Resampler(from: 16000, to: 8000, compensatesLatency: true)
        let input = Signals.tone(frequency: 1000, amplitude: 10000, count: 3200, sampleRate: 16000)
        var output = resampler.process(input)
        resampler.flush(appendingTo: &output)
        #expect(output.count == 1600)
        let ideal = Signals.tone(frequency: 1000, amplitude: 10000, count: 1600, sampleRate: 8000)
        #expect(Signals.snr(reference: ideal, actual: output, range: 100..<1500) > 50)
    }

    // Proves streaming: feeding blocks of uneven sizes gives exactly the output of one call, both ways.
    @Test(arguments: [(8000, 16000), (16000, 8000), (8000, 8000)])
    func blockwiseEqualsWhole(from: Int, to: Int) {
        let input = Signals.vowel(count: 5000, sampleRate: from)
        var whole = Resampler(from: from, to: to, compensatesLatency: true)
        var expected = whole.process(input)
        whole.flush(appendingTo: &expected)
        var streaming = Resampler(from: from, to: to, compensatesLatency: true)
        var output: [Int16] = []
        var start = 0
        var size = 1
        while start < input.count {
            let end = min(start + size, input.count)
            input[start..<end].withUnsafeBufferPointer { streaming.process($0, appendingTo: &output) }
            start = end
            size = size * 3 % 301 + 1
        }
        streaming.flush(appendingTo: &output)
        #expect(output == expected)
    }
}
