/// The low-pass filter of ``Resampler``: a 121-tap Kaiser-windowed sinc at 16 kHz, cut-off 3.7 kHz, β = 7,
/// normalized to unity gain at 0 Hz, quantized to Q14.
///
/// Design: passband edge 3.4 kHz, stopband edge 4.0 kHz (transition 600 Hz); Kaiser's formula for 70 dB
/// and a 0.0375·fs transition gives about 117 taps; 121 keeps the delay (60 samples) even, so that going
/// down the delay is a whole number of 8 kHz samples. The coefficients are computed here (with a local sine
/// and Bessel I0, since AudioCodecs has no libm), not copied from a table.
enum ResamplerFilter {
    /// Number of taps (odd, linear phase).
    static let length = 121
    /// Group delay at 16 kHz, (length − 1) / 2.
    static let delay = 60
    /// Taps per polyphase branch when going up: ⌈121 / 2⌉ = 61, stored padded to 64 with zero weights on the
    /// oldest positions, so the dot product runs in whole 8-lane vectors.
    static var phaseLength: Int { 64 }
    /// Cut-off (−6 dB) frequency and Kaiser β.
    static let cutoff = 3700.0
    static let beta = 7.0

    /// The prototype filter, unity DC gain, as Double.
    static let prototype: [Double] = {
        let center = Double(delay)
        let normalizedCutoff = cutoff / 16000
        var taps = (0..<length).map { index -> Double in
            let t = Double(index) - center
            let sinc = t == 0 ? 2 * normalizedCutoff : sine(2 * Double.pi * normalizedCutoff * t) / (Double.pi * t)
            let ratio = t / center
            return sinc * besselI0(beta * (1 - ratio * ratio).squareRoot()) / besselI0(beta)
        }
        let sum = taps.reduce(0, +)
        for index in taps.indices { taps[index] /= sum }
        return taps
    }()

    /// Going down: all taps in Q14 (gain 1). Symmetric, so no reversal is needed for the dot product.
    /// Stored padded to `paddedLength` with zero weights on the oldest positions (whole 8-lane vectors).
    static let downTaps: [Int16] =
        [Int16](repeating: 0, count: paddedLength - length) + quantize(prototype, gain: 1)
    /// The down filter's length as stored: 121 rounded up to a multiple of 8.
    static var paddedLength: Int { 128 }

    /// Going up: the two polyphase branches of the filter with gain 2 (zero-stuffing halves the level), in
    /// Q14, each reversed for a dot product with an oldest-first window of `phaseLength` input samples.
    /// Branch 0 (even output samples) takes taps 0, 2, …, 120; branch 1 (odd) takes 1, 3, …, 119 and a zero.
    static let upPhases: [Int16] = {
        let scaled = quantize(prototype, gain: 2)
        var even = [Int16](repeating: 0, count: phaseLength)
        var odd = [Int16](repeating: 0, count: phaseLength)
        for j in 0..<(length + 1) / 2 {
            // Output 2m + p = Σ_j h[2j + p] · x[m − j]; the window's last sample is x[m].
            even[phaseLength - 1 - j] = scaled[2 * j]
            if 2 * j + 1 < length { odd[phaseLength - 1 - j] = scaled[2 * j + 1] }
        }
        return even + odd
    }()

    /// Rounds taps × gain to Q14. Q14 rather than Q15 because the filter's Σ|h| is 2.15: in Q15 a
    /// worst-case input could overflow a 32-bit sum; in Q14, Σ|taps| × 2^14 × 2^15 stays below 2^31 for both
    /// up branches and the down filter (checked here), so the multiply-add in ``dot(_:_:_:)`` cannot
    /// overflow. The coefficient rounding still leaves the stopband more than 65 dB down.
    static func quantize(_ taps: [Double], gain: Double) -> [Int16] {
        let quantized = taps.map { value -> Int16 in
            let scaled = value * gain * 16384
            return Int16((scaled + (scaled < 0 ? -0.5 : 0.5)).rounded(.towardZero))
        }
        let magnitude = quantized.enumerated().reduce(into: [0, 0]) { sums, tap in
            sums[tap.offset % 2] += abs(Int(tap.element))
        }
        precondition(
            (gain == 1 ? magnitude[0] + magnitude[1] : max(magnitude[0], magnitude[1])) * 32768 < Int(Int32.max),
            "ResamplerFilter: Q14 sum could overflow"
        )
        return quantized
    }

    /// Σ coefficients[i] · window[i], rounded from Q14 and saturated to 16 bits; `count` is a multiple of 8.
    @inline(__always)
    static func dot(_ coefficients: UnsafePointer<Int16>, _ window: UnsafePointer<Int16>, _ count: Int) -> Int16 {
        let sum = (1 << 13) &+ dotProduct(coefficients, window, count: count)
        return Int16(truncatingIfNeeded: min(max(sum >> 14, -32768), 32767))
    }

    /// sin(x) for the filter design: reduction to [−π, π] and a Taylor series (error below 1e-15).
    static func sine(_ x: Double) -> Double {
        let twoPi = 2 * Double.pi
        var reduced = x - (x / twoPi).rounded() * twoPi
        if reduced > Double.pi { reduced -= twoPi }
        var term = reduced
        var sum = reduced
        let square = reduced * reduced
        var n = 1.0
        while abs(term) > 1e-18 {
            term *= -square / ((n + 1) * (n + 2))
            sum += term
            n += 2
        }
        return sum
    }

    /// The modified Bessel function of the first kind, order 0 (power series).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        var k = 1.0
        while term > 1e-17 * sum {
            let half = x / (2 * k)
            term *= half * half
            sum += term
            k += 1
        }
        return sum
    }
}
