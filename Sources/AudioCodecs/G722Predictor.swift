/// The adaptive predictors of both G.722 sub-bands (ITU-T G.722 block 4L for the lower band, 4H for the higher
/// band): two poles and six zeros each, computed together, the lower band in vector lane 0 and the higher band in
/// lane 1.
///
/// Both bands run the same computation on 16-bit quantities of the G.722 fixed-point description, so each step is
/// one 16-bit vector instruction for both: G.722's saturating `add` is the processor's saturating add, its
/// `mult` (a product shifted right by 15) is a multiply-high and multiply-low pair, and its limits are
/// 16-bit min and max. The bands' adaptive chains are serial from one codeword to the next, so running them
/// side by side halves the instructions rather than the latency; the result is bit-exact.
///
/// Lanes 2…7 of the per-band vectors hold values that are never read.
struct G722Predictors: Sendable {
    typealias Lanes = SIMD8<Int16>

    /// Signal estimates S (SL, SH), output of block PREDIC: the pole plus zero section outputs.
    var estimate = Lanes()
    /// Zero section outputs SZ (SZL, SZH), block FILTEZ.
    var zeroEstimate = Lanes()

    /// Pole predictor coefficients A1 and A2 (AL1, AH1 and AL2, AH2), blocks UPPOL1 and UPPOL2.
    var pole1 = Lanes()
    var pole2 = Lanes()

    /// Zero predictor coefficients B1…B6 (BL1…BL6, BH1…BH6, block UPZERO), the bands interleaved: `zeros14`
    /// holds BL1, BH1, BL2, BH2, …, BL4, BH4 and `zeros56` holds BL5, BH5, BL6, BH6 and four zeros. The past
    /// quantized differences D(n−1)…D(n−6) (DLT1…DLT6, DH1…DH6, delay block DELAYA) are held the same way, doubled
    /// as FILTEZ takes them: |D| ≤ 10228 (see ``adapt(_:)``), so 2·D fits 16 bits and has D's sign.
    var zeros14 = Lanes()
    var zeros56 = Lanes()
    var differences14 = Lanes()
    var differences56 = Lanes()

    /// Past reconstructed signals R(n−1), R(n−2) (RLT1/RLT2, RH1/RH2, block RECONS), kept as FILTEP takes them:
    /// doubled with 16-bit saturation.
    var doubledReconstructed1 = Lanes()
    var doubledReconstructed2 = Lanes()

    /// Past partially reconstructed signals P(n−1), P(n−2) (PLT1/PLT2, PH1/PH2), block PARREC.
    var partial1 = Lanes()
    var partial2 = Lanes()

    init() {}

    /// The signal estimates SL and SH.
    @inline(__always)
    var estimates: (lower: Int32, higher: Int32) { (Int32(estimate[0]), Int32(estimate[1])) }

    /// Adapts both predictors to the new quantized differences (DLT in lane 0, DH in lane 1) and computes the
    /// next signal estimates: blocks PARREC, RECONS, UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEP, FILTEZ and PREDIC.
    ///
    /// The scale factors never exceed 16384 (NBL ≤ 18432 and NBH ≤ 22528 give ILB[0] · 2 · 4), so
    /// |DLT| ≤ 16384 · 20456 / 2^15 = 10228 and |DH| ≤ 16384 · 7408 / 2^15 = 3704.
    @inline(__always)
    mutating func adapt(_ difference: Lanes) {
        // PARREC and RECONS: partially and fully reconstructed signals.
        let partial = addSaturating(difference, zeroEstimate)
        let reconstructed = addSaturating(estimate, difference)

        // Sign agreement as G.722 takes it (zero counts as positive): two values agree when their XOR is not
        // negative. These masks are all ones where they agree.
        let agrees1 = ~(partial ^ partial1) &>> 15
        let agrees2 = ~(partial ^ partial2) &>> 15

        // UPPOL2: A2 leaks by 127/128 and moves by ±128 with the sign agreement of P(n), P(n−2); the correction
        // term is −4·A1·(sign agreement of P(n), P(n−1)) / 128, with 4·A1 and its negation saturated to 16
        // bits; A2 is limited to ±12288 (0.75) for stability. |A1| < 2^15 (the UPPOL1 limit), so −A1 needs no
        // saturation, and the negation of 4·A1 saturated is 4·(−A1) saturated: A1 or −A1 (as (A1 ^ m) − m with
        // m = −1 where the signs agree), doubled twice with saturation. The leak (A2 · 32512) >> 15 is
        // floor(A2 − A2/128) = A2 − ceil(A2/128). No sum leaves 16 bits before the limit: |A2| ≤ 12288.
        let signedPole1 = (pole1 ^ agrees1) &- agrees1
        let signedPole1Doubled = addSaturating(signedPole1, signedPole1)
        let pole2Step = addSaturating(signedPole1Doubled, signedPole1Doubled) &>> 7
        let pole2Move = (Lanes(repeating: -128) ^ agrees2) &- agrees2
        let pole2Leak = pole2 &- ((pole2 &+ 127) &>> 7)
        let newPole2 = clamp(pole2Step &+ pole2Move &+ pole2Leak, 12288)

        // UPPOL1: A1 leaks by 255/256 (A1 − ceil(A1/256)) and moves by ±192; limited to ±(15360 − A2)
        // (15360 = 1 − 2^-4). The limit is within 3072…27648, so G.722's saturation of the sum before it is a
        // no-op and is left out.
        let pole1Move = (Lanes(repeating: -192) ^ agrees1) &- agrees1
        let pole1Limit = Lanes(repeating: 15360) &- newPole2
        let newPole1 = maximum(minimum(pole1Move &+ (pole1 &- ((pole1 &+ 255) &>> 8)), pole1Limit), 0 &- pole1Limit)

        // UPZERO: each Bi leaks by 255/256 and moves by ±128 with the sign agreement of D(n) and D(n−i); no move
        // when D(n) is zero. G.722 saturates the sum to 16 bits, but it never leaves them: the leak
        // (Bi · 32640) >> 15 is floor(Bi · 255/256) = Bi − ceil(Bi / 256), within −32640…32639, and the step
        // is at most 128. Lanes whose sign differs from D(n) get −step: (step ^ m) − m with m = −1 there.
        let doubledDifference = difference &+ difference
        let newDifferences = Lanes(
            doubledDifference[0],
            doubledDifference[1],
            doubledDifference[0],
            doubledDifference[1],
            doubledDifference[0],
            doubledDifference[1],
            doubledDifference[0],
            doubledDifference[1]
        )
        // The step: 128 where D(n) is not zero ((d | −d) is negative exactly then), in the lanes in use.
        let step = ((newDifferences | (0 &- newDifferences)) &>> 15) & 128
        zeros14 = Self.updateZeros(zeros14, differences14, newDifferences, step)
        zeros56 = Self.updateZeros(zeros56, differences56, newDifferences, step & Lanes(-1, -1, -1, -1, 0, 0, 0, 0))

        // DELAYA: shift the delay lines by one codeword (two lanes).
        differences56 = Lanes(differences14[6], differences14[7], differences56[0], differences56[1], 0, 0, 0, 0)
        differences14 = Lanes(
            doubledDifference[0],
            doubledDifference[1],
            differences14[0],
            differences14[1],
            differences14[2],
            differences14[3],
            differences14[4],
            differences14[5]
        )
        partial2 = partial1
        partial1 = partial
        doubledReconstructed2 = doubledReconstructed1
        doubledReconstructed1 = addSaturating(reconstructed, reconstructed)
        pole1 = newPole1
        pole2 = newPole2

        // FILTEP: pole section, A1·2R(n−1) + A2·2R(n−2), each product in Q15, the sum saturated.
        let poleEstimate = addSaturating(
            multiplyQ15(pole1, doubledReconstructed1),
            multiplyQ15(pole2, doubledReconstructed2)
        )

        // FILTEZ: zero section, Σ Bi·2D(n−i) accumulated from i = 6 down to 1 with a 16-bit saturating add at
        // every step, as the G.722 fixed-point description does; both bands at once, as the terms of each
        // i sit in two adjacent lanes. |Bi · 2D| / 2^15 < 20457, so each term fits 16 bits.
        let terms14 = multiplyQ15(zeros14, differences14)
        // (Lanes 0…3 only, and written as a 32-bit product: the high-low form is scalarized for a half vector.)
        let terms56 = narrow((widen(zeros56) &* widen(differences56)) &>> 15)
        var zeroSum = addSaturating(terms56, Lanes(terms56[2], terms56[3], 0, 0, 0, 0, 0, 0))
        zeroSum = addSaturating(zeroSum, Lanes(terms14[6], terms14[7], 0, 0, 0, 0, 0, 0))
        zeroSum = addSaturating(zeroSum, Lanes(terms14[4], terms14[5], terms14[6], terms14[7], 0, 0, 0, 0))
        zeroSum = addSaturating(
            zeroSum,
            Lanes(terms14[2], terms14[3], terms14[4], terms14[5], terms14[6], terms14[7], 0, 0)
        )
        zeroSum = addSaturating(zeroSum, terms14)
        zeroEstimate = zeroSum

        // PREDIC: signal estimates.
        estimate = addSaturating(poleEstimate, zeroSum)
    }

    /// UPZERO for one vector of coefficients and their past differences (see ``adapt(_:)``).
    @inline(__always)
    static func updateZeros(_ zeros: Lanes, _ past: Lanes, _ new: Lanes, _ step: Lanes) -> Lanes {
        let disagree = (past ^ new) &>> 15
        // ceil(Bi / 256) = (Bi >> 8) + (1 if the low 8 bits are not all zero): (low + 255) >> 8.
        let roundsUp = ((zeros & 255) &+ 255) &>> 8
        return zeros &- (zeros &>> 8) &- roundsUp &+ ((step ^ disagree) &- disagree)
    }
}

/// G.722's `add` on 16-bit lanes: the sum saturated to −32768…32767 (one saturating-add instruction).
@inline(__always)
func addSaturating(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD8<Int16> {
    narrow(clampToInt16(widen(a) &+ widen(b)))
}

/// G.722's `mult` where the product needs no saturation: (a · b) >> 15 per lane, for products below 2^30 in
/// magnitude (so that the result fits 16 bits). From the product's high and low halves: 2·high + the low half's
/// top bit.
@inline(__always)
func multiplyQ15(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD8<Int16> {
    let high = narrow((widen(a) &* widen(b)) &>> 16)
    let low = a &* b
    return (high &<< 1) | ((low &>> 15) & 1)
}

/// Each lane limited to −bound…bound.
@inline(__always)
func clamp(_ value: SIMD8<Int16>, _ bound: Int16) -> SIMD8<Int16> {
    maximum(minimum(value, SIMD8(repeating: bound)), SIMD8(repeating: -bound))
}

/// The lane-wise minimum and maximum (16-bit min and max instructions).
@inline(__always)
func minimum(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD8<Int16> { a.replacing(with: b, where: b .< a) }

@inline(__always)
func maximum(_ a: SIMD8<Int16>, _ b: SIMD8<Int16>) -> SIMD8<Int16> { a.replacing(with: b, where: b .> a) }

/// 32-bit lanes limited to the 16-bit range.
@inline(__always)
func clampToInt16(_ value: SIMD8<Int32>) -> SIMD8<Int32> {
    let low = SIMD8<Int32>(repeating: -32768)
    let high = SIMD8<Int32>(repeating: 32767)
    return value.replacing(with: low, where: value .< low).replacing(with: high, where: value .> high)
}

/// 16-bit saturation of a sum of 16-bit values, as G.722's fixed-point `add`/`sub` do.
@inline(__always)
func saturate(_ value: Int32) -> Int32 {
    min(max(value, -32768), 32767)
}

/// The 15-bit limiter of G.722 block LIMIT (decoder outputs RL and RH): −16384…16383. G.722 applies it to the
/// 16-bit saturated sum of RECONS; limiting the plain sum gives the same value, so that saturation is left out.
@inline(__always)
func limit15(_ value: Int32) -> Int32 {
    min(max(value, -16384), 16383)
}
