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

/// Every conversion between the rates a leg can have and the rates a recording can have (8, 16, 24 and
/// 48 kHz, SPEC §3.8), through the general rational polyphase path.
@Suite("Resampler, every conversion")
struct ResamplerConversionTests {
    static let recordingRates = [8000, 16000, 24000, 48000]
    /// (leg rate, recording rate) for every supported leg rate and every recording rate but its own.
    static let pairs = Resampler.supportedRates.flatMap { from in
        recordingRates.filter { $0 != from }.map { (from, $0) }
    }

    /// Least-squares fit of a sine at `frequency` (cosine and sine terms) to `samples`; returns its amplitude
    /// and the RMS of what is left.
    static func fit(_ samples: ArraySlice<Int16>, frequency: Double, sampleRate: Int) -> (Double, Double) {
        var (cc, ss, cs, yc, ys) = (0.0, 0.0, 0.0, 0.0, 0.0)
        let angles = samples.indices.map { 2 * Double.pi * frequency * Double($0) / Double(sampleRate) }
        for (n, angle) in zip(samples.indices, angles) {
            let (c, s, y) = (cos(angle), sin(angle), Double(samples[n]))
            cc += c * c
            ss += s * s
            cs += c * s
            yc += y * c
            ys += y * s
        }
        let determinant = cc * ss - cs * cs
        let a = (yc * ss - ys * cs) / determinant
        let b = (ys * cc - yc * cs) / determinant
        var residual = 0.0
        for (n, angle) in zip(samples.indices, angles) {
            let error = Double(samples[n]) - a * cos(angle) - b * sin(angle)
            residual += error * error
        }
        return ((a * a + b * b).squareRoot(), (residual / Double(samples.count)).squareRoot())
    }

    /// The passband edge a conversion keeps flat (the resampler's documented choice).
    static func passbandEdge(from: Int, to: Int) -> Double {
        switch min(from, to) {
        case 8000: 3400
        case 16000: 7000
        default: 0.45 * Double(min(from, to))
        }
    }

    // Proves each conversion's frequency response with a sine sweep across the input band: every tone up to the
    // passband edge comes out within ±0.1 dB; what is not the tone (images going up, aliases going down, for
    // tones anywhere in the band) is at least 65 dB below it; a tone the output cannot hold (above its Nyquist
    // frequency) leaves at most −65 dB of anything.
    @Test(arguments: pairs)
    func sineSweep(from: Int, to: Int) {
        let amplitude = 16000.0
        var resampler = Resampler(from: from, to: to, compensatesLatency: true)
        let window = 600
        let skip = 2 * (resampler.groupDelay + 16)
        let count = (skip + window) * from / to + 2 * resampler.groupDelay * from / to + 64
        let edge = Self.passbandEdge(from: from, to: to)
        let tones = (0..<12).map { (Double($0) + 0.31) / 12 * Double(from) / 2 } + [edge]
        for frequency in tones {
            resampler.reset()
            let input = Signals.tone(frequency: frequency, amplitude: amplitude, count: count, sampleRate: from)
            let output = resampler.process(input)[skip..<(skip + window)]
            let rms = amplitude / 2.0.squareRoot()
            if frequency < Double(to) / 2 {
                let (gain, rest) = Self.fit(output, frequency: frequency, sampleRate: to)
                if frequency <= edge {
                    let decibels = 20 * log10(gain / amplitude)
                    #expect(abs(decibels) < 0.1, "\(from)→\(to), \(frequency) Hz: \(decibels) dB")
                }
                let unwanted = 20 * log10(max(rest, 1e-3) / rms)
                #expect(unwanted < -65, "\(from)→\(to), \(frequency) Hz: \(unwanted) dB besides the tone")
            } else {
                let power = output.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(window)
                let alias = 10 * log10(max(power, 1e-6) / (rms * rms))
                #expect(alias < -65, "\(from)→\(to), \(frequency) Hz: alias \(alias) dB")
            }
        }
    }

    // Proves latency compensation: a click at input sample n0 (a multiple of M, so that it falls on an output
    // sample) comes out at output sample n0 × L / M when compensating, and `groupDelay` samples later when not.
    @Test(arguments: pairs)
    func clickLandsOnTime(from: Int, to: Int) {
        let down = from / greatestCommonDivisor(from, to)
        let click = 3 * down
        var input = [Int16](repeating: 0, count: click + 4 * down + 400)
        input[click] = 20000
        for compensates in [true, false] {
            var resampler = Resampler(from: from, to: to, compensatesLatency: compensates)
            var output = resampler.process(input)
            resampler.flush(appendingTo: &output)
            let peak = output.indices.max { abs(Int(output[$0])) < abs(Int(output[$1])) }!
            #expect(peak == click * to / from + resampler.latency, "\(from)→\(to), compensates: \(compensates)")
        }
    }

    // Proves the output length: with compensation, n input samples give ⌈n × L / M⌉ output samples after
    // flush (whatever n), and without, `groupDelay` more.
    @Test(arguments: pairs)
    func outputLengthIsExact(from: Int, to: Int) {
        for compensates in [true, false] {
            var resampler = Resampler(from: from, to: to, compensatesLatency: compensates)
            for count in [0, 1, 2, 7, 160, 441, 1001] {
                resampler.reset()
                var output = resampler.process(Signals.vowel(count: count, sampleRate: from))
                resampler.flush(appendingTo: &output)
                let expected = (count * to + from - 1) / from + (compensates ? 0 : resampler.groupDelay)
                #expect(output.count == expected, "\(from)→\(to), \(count) samples, compensates: \(compensates)")
            }
        }
    }

    // Proves streaming: the output is the same whether the input comes in one block or in blocks of 1, 7, 160
    // or 4096 samples (and after reset() the resampler starts afresh).
    @Test(arguments: pairs)
    func blockSizeDoesNotMatter(from: Int, to: Int) {
        let input = Signals.vowel(count: 5000, sampleRate: from)
        var resampler = Resampler(from: from, to: to, compensatesLatency: true)
        var expected = resampler.process(input)
        resampler.flush(appendingTo: &expected)
        for block in [1, 7, 160, 4096] {
            resampler.reset()
            var output: [Int16] = []
            var start = 0
            while start < input.count {
                let end = min(start + block, input.count)
                input[start..<end].withUnsafeBufferPointer { resampler.process($0, appendingTo: &output) }
                start = end
            }
            resampler.flush(appendingTo: &output)
            #expect(output == expected, "\(from)→\(to), blocks of \(block)")
        }
    }

    // Proves every pair of supported rates (all 81, up, down and equal) can be made and run without a trap, and
    // that rates outside the set are refused by supports(from:to:).
    @Test func everyPairOfSupportedRatesRuns() {
        let input = Signals.vowel(count: 300, sampleRate: 8000)
        for from in Resampler.supportedRates {
            for to in Resampler.supportedRates {
                #expect(Resampler.supports(from: from, to: to))
                var resampler = Resampler(from: from, to: to, compensatesLatency: true)
                var output = resampler.process(input)
                resampler.flush(appendingTo: &output)
                #expect(output.count == (300 * to + from - 1) / from, "\(from)→\(to)")
            }
        }
        #expect(!Resampler.supports(from: 8000, to: 96000))
        #expect(!Resampler.supports(from: 7999, to: 16000))
        #expect(Resampler.supports(from: 96000, to: 96000))
    }

    func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int { b == 0 ? a : greatestCommonDivisor(b, a % b) }
}

/// The filters themselves, measured on the taps as the resampler applies them (after quantization).
@Suite("Resampler filter design")
struct ResamplerFilterTests {
    /// Every conversion between supported rates whose prototype is short enough to measure here (all of those
    /// with small factors; the ones with L in the hundreds, like 44.1 → 48 kHz, have tens of thousands of taps and
    /// are covered by the sine sweeps).
    static let pairs = Resampler.supportedRates.flatMap { from in
        Resampler.supportedRates.filter { $0 != from }.map { (from, $0) }
    }.filter { ResamplerFilter(from: $0.0, to: $0.1).length < 1000 }

    /// |H(f)| of `taps` at `frequency` for the design rate `rate`.
    static func magnitude(_ taps: [Double], at frequency: Double, rate: Double) -> Double {
        var (re, im) = (0.0, 0.0)
        let step = 2 * Double.pi * frequency / rate
        for (n, tap) in taps.enumerated() {
            re += tap * cos(step * Double(n))
            im -= tap * sin(step * Double(n))
        }
        return (re * re + im * im).squareRoot()
    }

    // Proves the design per conversion: passband flat within ±0.01 dB up to the edge, and the whole stopband
    // (from the lower Nyquist frequency to half the design rate, on a grid finer than the sidelobes) at least
    // 65 dB down, coefficient rounding included (rounded to Q14 alone, 48 → 8 kHz would be 58.6 dB down).
    @Test(arguments: pairs)
    func stopbandIsAtLeast65DecibelsDown(from: Int, to: Int) {
        let filter = ResamplerFilter(from: from, to: to)
        let taps = filter.effectiveTaps
        let rate = Double(filter.upFactor * from)
        let step = rate / Double(4 * taps.count)
        var worstPassband = 0.0
        for frequency in stride(from: 0, through: filter.passbandEdge, by: step) {
            worstPassband = max(worstPassband, abs(20 * log10(Self.magnitude(taps, at: frequency, rate: rate))))
        }
        var worstStopband = -200.0
        for frequency in stride(from: filter.stopbandEdge, through: rate / 2, by: step) {
            worstStopband = max(worstStopband, 20 * log10(Self.magnitude(taps, at: frequency, rate: rate)))
        }
        #expect(worstPassband < 0.01, "\(from)→\(to): passband ±\(worstPassband) dB")
        #expect(worstStopband < -65, "\(from)→\(to): stopband \(worstStopband) dB")
    }

    // Proves the 8 ↔ 16 kHz filter is the first resampler's: 121 taps, 60 samples of delay at 16 kHz.
    @Test func eightToSixteenIsTheFirstFilter() {
        for (from, to) in [(8000, 16000), (16000, 8000)] {
            let filter = ResamplerFilter(from: from, to: to)
            #expect(filter.length == 121 && filter.delay == 60)
            #expect(filter.passbandEdge == 3400 && filter.stopbandEdge == 4000)
        }
    }
}
