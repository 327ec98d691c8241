/// The low-pass filter of a ``Resampler`` for one conversion, as a rational polyphase bank.
///
/// The conversion from `inputRate` to `outputRate` is up by L and down by M (L/M the ratio reduced by the
/// greatest common divisor): the input is zero-stuffed to the design rate L·`inputRate` (= M·`outputRate`),
/// low-passed, and every M-th sample is kept. Only the kept samples are computed, each from one of the L
/// polyphase branches (Crochiere and Rabiner, *Multirate Digital Signal Processing*, 1983, §3.3.4).
///
/// The prototype is a Kaiser-windowed sinc (Kaiser, 1974) at the design rate:
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
/// copied from a table, then quantized to Q14 for a 16-bit multiply-add. Rounding each tap to Q14 adds an
/// error whose level grows with √N / L (N taps, gain L): in the 8 ↔ 16 kHz filter (N / L² = 121) it leaves the
/// stopband 65.6 dB down, but a 48 → 16 kHz filter (217 taps, gain 1) would only be 61 dB down. So where
/// N / L² is above 121, each tap's rounding residual is kept too, in units of 2^-22 (``residuals``), and the
/// dot product runs over both: the taps are then exact to 2^-22 and the stopband is the design's.
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
    /// Taps per polyphase branch as stored: ⌈length / L⌉ rounded up to a multiple of 8, with zero weights on
    /// the oldest positions, so that the dot product runs in whole 8-lane vectors.
    package let phaseLength: Int
    /// The L branches, `phaseLength` taps each, in Q14 with gain L (zero-stuffing divides the level by L),
    /// each reversed for a dot product with an oldest-first window of input: branch p holds
    /// h[p], h[p + L], h[p + 2L], … from its last position backwards.
    let phases: [Int16]
    /// Empty, or the rounding residual of each tap of ``phases`` (same layout) in units of 2^-22:
    /// tap = phases[i] / 2^14 + residuals[i] / 2^22, |residuals[i]| ≤ 128.
    let residuals: [Int16]
    /// For each branch p, the input samples to advance and the branch of the next output sample:
    /// (p + M) / L and (p + M) mod L.
    let inputSteps: [Int32]
    let nextPhases: [Int32]

    /// Kaiser's β for the window, and the stopband attenuation in dB his formula β = 0.1102 (A − 8.7) gives it.
    static let beta = 7.0
    static let designAttenuation = beta / 0.1102 + 8.7
    /// The largest N / L² whose taps are rounded to Q14 alone: the 8 ↔ 16 kHz filter's (see the type's comment).
    static let largestSingleTermRatio = 121

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
        let taps = ((length + up - 1) / up + 7) / 8 * 8
        phaseLength = taps
        let prototype = Self.prototype(length: length, cutoff: (passbandEdge + stopbandEdge) / 2, designRate: designRate)
        let scaled = prototype.map { $0 * Double(up) * 16384 }
        let quantized = Self.quantize(scaled)
        // Σ|taps| × 32768 (the largest input) must stay within 32 bits with room for the rounding terms and
        // the residuals' contribution (at most 2^14 per tap): below 3 · 2^29 is ample.
        phases = Self.polyphase(quantized, branches: up, phaseLength: taps, largestSum: 3 << 14)
        if length > Self.largestSingleTermRatio * up * up {
            let residuals = zip(scaled, quantized).map { Int16((($0 - Double($1)) * 256).rounded()) }
            self.residuals = Self.polyphase(residuals, branches: up, phaseLength: taps, largestSum: (1 << 16) - 1)
        } else {
            residuals = []
        }
        inputSteps = (0..<up).map { Int32(($0 + down) / up) }
        nextPhases = (0..<up).map { Int32(($0 + down) % up) }
    }

    /// The prototype as the resampler applies it, tap by tap (Q14 plus the residual where kept), with unity
    /// DC gain: what its frequency response is measured on.
    package var effectiveTaps: [Double] {
        var taps = [Double](repeating: 0, count: length)
        for index in 0..<length {
            let (j, branch) = index.quotientAndRemainder(dividingBy: upFactor)
            let stored = branch * phaseLength + phaseLength - 1 - j
            let fine = residuals.isEmpty ? 0 : Double(residuals[stored]) / 256
            taps[index] = (Double(phases[stored]) + fine) / (16384 * Double(upFactor))
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

    /// Rounds taps already scaled to Q14 (half away from zero). Q14 rather than Q15 because a branch's Σ|h| is
    /// 2.1 to 2.6: in Q14, Σ|taps| × 2^14 × 2^15 stays below 2^31 for every branch (checked in
    /// ``polyphase(_:branches:phaseLength:largestSum:)``), so the multiply-adds cannot overflow.
    static func quantize(_ scaled: [Double]) -> [Int16] {
        scaled.map { value -> Int16 in
            Int16((value + (value < 0 ? -0.5 : 0.5)).rounded(.towardZero))
        }
    }

    /// Splits quantized taps into `branches` reversed, zero-padded branches of `phaseLength` (see ``phases``),
    /// checking that no branch's Σ|taps| exceeds `largestSum`.
    static func polyphase(_ taps: [Int16], branches: Int, phaseLength: Int, largestSum: Int) -> [Int16] {
        var phases = [Int16](repeating: 0, count: branches * phaseLength)
        for branch in 0..<branches {
            var magnitude = 0
            // Output sample at branch p is Σ_j h[p + jL] · x[n − j]; the window's last sample is x[n].
            for j in 0..<phaseLength where branch + j * branches < taps.count {
                let tap = taps[branch + j * branches]
                phases[branch * phaseLength + phaseLength - 1 - j] = tap
                magnitude += abs(Int(tap))
            }
            precondition(magnitude <= largestSum, "ResamplerFilter: a 32-bit sum could overflow")
        }
        return phases
    }

    /// Σ coefficients[i] · window[i], rounded from Q14 and saturated to 16 bits; `count` is a multiple of 8.
    @inline(__always)
    static func dot(_ coefficients: UnsafePointer<Int16>, _ window: UnsafePointer<Int16>, _ count: Int) -> Int16 {
        let sum = (1 << 13) &+ dotProduct(coefficients, window, count: count)
        return Int16(truncatingIfNeeded: min(max(sum >> 14, -32768), 32767))
    }

    /// Σ (coefficients[i] + residuals[i] / 2^8) · window[i], rounded from Q14 and saturated to 16 bits: both
    /// sums in one pass over the window, each within 32 bits (Σ|residuals| × 2^15 < 2^31 is checked too).
    @inline(__always)
    static func dot(
        _ coefficients: UnsafePointer<Int16>,
        _ residuals: UnsafePointer<Int16>,
        _ window: UnsafePointer<Int16>,
        _ count: Int
    ) -> Int16 {
        var sum = SIMD8<Int32>()
        var fine = SIMD8<Int32>()
        var n = 0
        while n < count {
            let x = widen(load8(window + n))
            sum &+= widen(load8(coefficients + n)) &* x
            fine &+= widen(load8(residuals + n)) &* x
            n &+= 8
        }
        let total = (1 << 13) &+ sum.wrappedSum() &+ ((fine.wrappedSum() &+ 128) >> 8)
        return Int16(truncatingIfNeeded: min(max(total >> 14, -32768), 32767))
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
