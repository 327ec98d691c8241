/// The low-pass filter of a ``Resampler`` for one conversion, as a rational polyphase bank.
///
/// The conversion from `inputRate` to `outputRate` is up by L and down by M (L/M the ratio reduced by the
/// greatest common divisor): the input is zero-stuffed to the design rate L·`inputRate` (= M·`outputRate`),
/// low-passed, and every M-th sample is kept. Only the kept samples are computed, each from one of the L
/// polyphase branches (the polyphase structure for a rational factor: Crochiere and Rabiner, *Multirate
/// Digital Signal Processing*, 1983).
///
/// The prototype is a Kaiser-windowed sinc at the design rate (J. F. Kaiser, "Nonrecursive digital filter design
/// using the I0-sinh window function", 1974, for β and the length):
/// - the band to keep flat ends at the passband edge, chosen from the lower of the two rates: 3.4 kHz when it
///   is 8000 Hz (ITU-T G.712's telephone band, 300–3400 Hz), 7 kHz when it is 16000 Hz (ITU-T G.722's
///   wideband, 50–7000 Hz), 0.9 × its Nyquist frequency otherwise;
/// - the stopband starts at the lower rate's Nyquist frequency, so that going up every image of the input and
///   going down everything that would alias is in the stopband;
/// - the cut-off (−6 dB) is half way between, β = 7 (Kaiser's 72 dB), and the length is Kaiser's estimate for
///   that attenuation and transition, rounded up so that the group delay is a whole number of output samples.
///
/// For 8000 ↔ 16000 Hz this is the 121-tap filter (cut-off 3.7 kHz, delay 60 samples at 16 kHz) that the
/// first version of the resampler used, coefficient for coefficient, so those conversions give the same bytes.
///
/// The coefficients are computed here (with a local sine and Bessel I0, since AudioCodecs has no libm), not
/// copied from a table, then quantized for a 16-bit multiply-add. In Q14 the sum of a whole window fits 32 bits
/// (a branch's Σ|h| is 2.1 to 2.6), but rounding each tap to Q14 adds an error whose level grows with √N / L
/// (N taps, gain L): in the 8 ↔ 16 kHz filter (N / L² = 121) the stopband is still 65.6 dB down, but a
/// 48 → 8 kHz filter (361 taps, gain 1) would be only 58.6 dB down. So where N / L² is above 121 the taps take
/// as many fraction bits as 16 bits hold (Q16 or Q17 for these decimating filters, whose taps are small), each
/// of the eight lanes of the dot product still sums within 32 bits, and the lanes are added in 64 bits
/// (``wideDot(_:_:_:fractionBits:)``): the stopband is then 69.4 dB down or more.
package struct ResamplerFilter: Sendable {
    /// The interpolation factor L and the decimation factor M.
    package let upFactor: Int
    package let downFactor: Int
    /// Passband and stopband edges in Hz.
    package let passbandEdge: Double
    package let stopbandEdge: Double
    /// The prototype's length in taps at the design rate: 2 × ``delay`` + 1 (odd, linear phase).
    package let length: Int
    /// The prototype's group delay in samples at the design rate, a multiple of M.
    package let delay: Int
    /// Taps per polyphase branch as stored: ⌈length / L⌉ rounded up to a multiple of 8 (16 when the lanes are
    /// summed wide), with zero weights on the oldest positions, so that the dot product runs in whole vectors.
    package let phaseLength: Int
    /// The L branches, `phaseLength` taps each, with gain L (zero-stuffing divides the level by L) and
    /// ``fractionBits`` fraction bits, each reversed for a dot product with an oldest-first window of input:
    /// branch p holds h[p], h[p + L], h[p + 2L], … from its last position backwards.
    let phases: [Int16]
    /// The taps' fixed-point fraction bits: 14, or more when the filter sums its lanes in 64 bits.
    package let fractionBits: Int
    /// Whether the dot product adds its eight 32-bit lanes in 64 bits (see the type's comment).
    let sumsLanesWide: Bool
    /// For each branch p, the input samples to advance and the branch of the next output sample:
    /// (p + M) / L and (p + M) mod L.
    let inputSteps: [Int32]
    let nextPhases: [Int32]

    /// Kaiser's β for the window, and the stopband attenuation in dB his formula β = 0.1102 (A − 8.7) gives it.
    static let beta = 7.0
    static let designAttenuation = beta / 0.1102 + 8.7
    /// The largest N / L² whose taps are rounded to Q14: the 8 ↔ 16 kHz filter's (see the type's comment).
    static let largestQ14Ratio = 121

    package init(from inputRate: Int, to outputRate: Int) {
        let common = Self.greatestCommonDivisor(inputRate, outputRate)
        let (up, down) = (outputRate / common, inputRate / common)
        (upFactor, downFactor) = (up, down)
        (passbandEdge, stopbandEdge) = Self.bandEdges(lowerRate: min(inputRate, outputRate))
        let designRate = Double(up * inputRate)
        // Kaiser's estimate of the order for attenuation A and transition Δω (radians per sample):
        // (A − 7.95) / (2.285 Δω); half of it, rounded up to whole output samples, is the delay.
        let transition = 2 * Double.pi * (stopbandEdge - passbandEdge) / designRate
        let halfOrder = Int(((Self.designAttenuation - 7.95) / (2.285 * transition) / 2).rounded(.up))
        delay = (halfOrder + down - 1) / down * down
        length = 2 * delay + 1
        let prototype = Self.prototype(
            length: length,
            cutoff: (passbandEdge + stopbandEdge) / 2,
            designRate: designRate
        )
        let gain = Double(up)
        let wide = length > Self.largestQ14Ratio * up * up
        // Whole 8-lane vectors; the wide dot product takes them two at a time.
        let block = wide ? 16 : 8
        let taps = ((length + up - 1) / up + block - 1) / block * block
        var bits = 14
        if wide {
            // The most fraction bits whose taps fit 16 bits and whose lane sums, times the largest input, fit 32.
            while bits < 24, Self.fitsWideSum(prototype, gain: gain, fractionBits: bits + 1, up: up, taps: taps) {
                bits += 1
            }
            precondition(
                Self.fitsWideSum(prototype, gain: gain, fractionBits: bits, up: up, taps: taps),
                "ResamplerFilter: a lane sum could overflow"
            )
        }
        (sumsLanesWide, fractionBits, phaseLength) = (wide, bits, taps)
        let quantized = Self.quantize(prototype.map { $0 * gain * Double(1 << bits) })
        let branches = Self.polyphase(quantized, branches: up, phaseLength: taps)
        phases = branches
        if !wide {
            // Σ|taps| × 32768 (the largest input) plus the rounding term must stay within 32 bits.
            for branch in 0..<up {
                let sum = branches[(branch * taps)..<((branch + 1) * taps)].reduce(0) { $0 + abs(Int($1)) }
                precondition(sum * 32768 < Int(Int32.max) - (1 << 13), "ResamplerFilter: a Q14 sum could overflow")
            }
        }
        inputSteps = (0..<up).map { Int32(($0 + down) / up) }
        nextPhases = (0..<up).map { Int32(($0 + down) % up) }
    }

    /// The prototype as the resampler applies it, tap by tap (after quantization), with unity
    /// DC gain: what its frequency response is measured on.
    package var effectiveTaps: [Double] {
        var taps = [Double](repeating: 0, count: length)
        for index in 0..<length {
            let (j, branch) = index.quotientAndRemainder(dividingBy: upFactor)
            let stored = branch * phaseLength + phaseLength - 1 - j
            taps[index] = Double(phases[stored]) / (Double(1 << fractionBits) * Double(upFactor))
        }
        return taps
    }

    /// The group delay in output samples.
    package var outputDelay: Int { delay / downFactor }

    /// Passband and stopband edges for a conversion whose lower rate is `lowerRate` (see the type's comment).
    static func bandEdges(lowerRate: Int) -> (passband: Double, stopband: Double) {
        let nyquist = Double(lowerRate) / 2
        switch lowerRate {
        case 8000: return (3400, nyquist)
        case 16000: return (7000, nyquist)
        default: return (0.9 * nyquist, nyquist)
        }
    }

    /// The Kaiser-windowed sinc of `length` taps with its −6 dB point at `cutoff` Hz, unity DC gain, as Double.
    static func prototype(length: Int, cutoff: Double, designRate: Double) -> [Double] {
        let center = Double(length / 2)
        let normalizedCutoff = cutoff / designRate
        let window = besselI0(beta)
        var taps = (0..<length).map { index -> Double in
            let t = Double(index) - center
            let sinc = t == 0 ? 2 * normalizedCutoff : sine(2 * Double.pi * normalizedCutoff * t) / (Double.pi * t)
            let ratio = t / center
            return sinc * besselI0(beta * (1 - ratio * ratio).squareRoot()) / window
        }
        let sum = taps.reduce(0, +)
        for index in taps.indices { taps[index] /= sum }
        return taps
    }

    /// Rounds taps already scaled to fixed point (half away from zero).
    static func quantize(_ scaled: [Double]) -> [Int16] {
        scaled.map { value -> Int16 in
            Int16((value + (value < 0 ? -0.5 : 0.5)).rounded(.towardZero))
        }
    }

    /// Whether the prototype × `gain` with `fractionBits` fraction bits fits 16-bit taps, and every lane of
    /// ``wideDot(_:_:_:fractionBits:)`` (the taps at positions 2k and 2k + 1 modulo 16 of a branch) sums within
    /// 32 bits for any input.
    static func fitsWideSum(_ prototype: [Double], gain: Double, fractionBits: Int, up: Int, taps: Int) -> Bool {
        let scale = gain * Double(1 << fractionBits)
        guard prototype.allSatisfy({ abs($0 * scale) < 32767 }) else { return false }
        let branches = polyphase(quantize(prototype.map { $0 * scale }), branches: up, phaseLength: taps)
        var laneSums = [Int](repeating: 0, count: up * 8)
        for (index, tap) in branches.enumerated() {
            laneSums[index / taps * 8 + index % 16 / 2] += abs(Int(tap))
        }
        return laneSums.allSatisfy { $0 * 32768 < Int(Int32.max) }
    }

    /// Splits quantized taps into `branches` reversed, zero-padded branches of `phaseLength` (see ``phases``).
    static func polyphase(_ taps: [Int16], branches: Int, phaseLength: Int) -> [Int16] {
        var phases = [Int16](repeating: 0, count: branches * phaseLength)
        for branch in 0..<branches {
            // Output sample at branch p is Σ_j h[p + jL] · x[n − j]; the window's last sample is x[n].
            for j in 0..<phaseLength where branch + j * branches < taps.count {
                phases[branch * phaseLength + phaseLength - 1 - j] = taps[branch + j * branches]
            }
        }
        return phases
    }

    /// Σ coefficients[i] · window[i], rounded from Q14 and saturated to 16 bits; `count` is a multiple of 8.
    @inline(__always)
    static func dot(_ coefficients: UnsafePointer<Int16>, _ window: UnsafePointer<Int16>, _ count: Int) -> Int16 {
        let sum = (1 << 13) &+ dotProduct(coefficients, window, count: count)
        return Int16(truncatingIfNeeded: min(max(sum >> 14, -32768), 32767))
    }

    /// Σ coefficients[i] · window[i], rounded from `fractionBits` fraction bits and saturated to 16 bits, for
    /// taps whose whole sum may exceed 32 bits but whose lanes do not: sums of adjacent products (the
    /// processor's 16-bit multiply-add) in two 4-lane accumulators, one for each half of 16 taps, whose eight
    /// lanes are added in 64 bits at the end. `count` is a multiple of 16.
    @inline(__always)
    static func wideDot(
        _ coefficients: UnsafePointer<Int16>,
        _ window: UnsafePointer<Int16>,
        _ count: Int,
        fractionBits: Int
    ) -> Int16 {
        var low = SIMD4<Int32>()
        var high = SIMD4<Int32>()
        var n = 0
        while n < count {
            low &+= multiplyAddPairs(load8(coefficients + n), load8(window + n))
            high &+= multiplyAddPairs(load8(coefficients + n + 8), load8(window + n + 8))
            n &+= 16
        }
        var sum = Int64(1) << (fractionBits - 1)
        for lane in 0..<4 { sum &+= Int64(low[lane]) &+ Int64(high[lane]) }
        return Int16(clamping: sum >> fractionBits)
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
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
