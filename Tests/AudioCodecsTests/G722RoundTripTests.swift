import AudioCodecs
import TestSupport
import Testing

@Suite("G.722 encode → decode round trip")
struct G722RoundTripTests {
    static let rate = 16000

    /// Encodes and decodes `input`, returning the SNR in dB at the best alignment (the QMF pair delays the
    /// signal by about 23 samples), ignoring the first 50 ms while the ADPCM adapts.
    static func roundTripSNR(_ input: [Int16]) -> (snr: Double, delay: Int) {
        var encoder = G722Encoder()
        var decoder = G722Decoder()
        let output = decoder.decode(encoder.encode(input))
        let range = 800..<(input.count - 64)
        return (0..<40).map { delay in
            (Signals.snr(reference: input, actual: output, delay: delay, range: range), delay)
        }
        .max { $0.0 < $1.0 }!
    }

    // Proves a voiced, speech-like signal (120 Hz vowel with formants and a syllable envelope) survives
    // the 64 kbit/s codec with good fidelity. Measured: 35.8 dB.
    @Test func vowelSNR() {
        let (snr, delay) = Self.roundTripSNR(Signals.vowel(count: 16000, sampleRate: Self.rate))
        #expect(delay == 22)
        #expect(snr > 32, "vowel SNR \(snr) dB")
    }

    // Proves a chirp across the whole 50–7000 Hz band (both sub-bands, the QMF crossover at 4 kHz)
    // round-trips. Measured: 27.8 dB.
    @Test func chirpSNR() {
        let (snr, _) = Self.roundTripSNR(Signals.chirp(from: 50, to: 7000, count: 32000, sampleRate: Self.rate))
        #expect(snr > 25, "chirp SNR \(snr) dB")
    }

    // Proves white-noise bursts with silences between them (rapid scale-factor adaptation both ways) are
    // coded stably. Measured: 10.7 dB (white noise up to 8 kHz is the hardest case for ADPCM).
    @Test func noiseBurstSNR() {
        let (snr, _) = Self.roundTripSNR(Signals.noiseBursts(burst: 1600, count: 32000))
        #expect(snr > 8, "noise burst SNR \(snr) dB")
    }

    // Proves the encoder is deterministic and that feeding it in odd-sized blocks gives the same codewords
    // as one call (an odd trailing sample waits for its pair).
    @Test func encoderIsDeterministicAndBlockwise() {
        let input = Signals.vowel(count: 4001, sampleRate: Self.rate)
        var first = G722Encoder()
        var second = G722Encoder()
        let whole = first.encode(input)
        #expect(whole == second.encode(input))
        #expect(whole.count == 2000)
        var blockwise = G722Encoder()
        var codes: [UInt8] = []
        var start = 0
        for size in [1, 2, 3, 159, 320, 7, 1000] where start < input.count {
            let end = min(start + size, input.count)
            input[start..<end].withUnsafeBufferPointer { blockwise.encode($0, appendingTo: &codes) }
            start = end
        }
        input[start...].withUnsafeBufferPointer { blockwise.encode($0, appendingTo: &codes) }
        #expect(codes == whole)
    }

    // Proves the advice in G722Decoder's documentation: after 20 ms of lost codewords inside one stream,
    // carrying on without reset recovers at least as well as resetting the decoder (measured on the 20 ms
    // after the gap against the decode without loss).
    @Test func continuingAfterLossBeatsReset() {
        let input = Signals.vowel(count: 16000, sampleRate: Self.rate)
        var encoder = G722Encoder()
        let codes = encoder.encode(input)
        var clean = G722Decoder()
        let reference = clean.decode(codes)
        let gap = 4000..<4160  // 20 ms of codewords (8000 codewords per second)
        func decodeWithGap(reset: Bool) -> [Int16] {
            var decoder = G722Decoder()
            var output = decoder.decode(Array(codes[..<gap.lowerBound]))
            output.append(contentsOf: [Int16](repeating: 0, count: gap.count * 2))
            if reset { decoder.reset() }
            codes[gap.upperBound...].withUnsafeBytes { decoder.decode($0, appendingTo: &output) }
            return output
        }
        let after = (gap.upperBound * 2)..<(gap.upperBound * 2 + 320)
        let continued = Signals.snr(reference: reference, actual: decodeWithGap(reset: false), range: after)
        let reset = Signals.snr(reference: reference, actual: decodeWithGap(reset: true), range: after)
        #expect(continued >= reset, "continue \(continued) dB, reset \(reset) dB")
    }
}
