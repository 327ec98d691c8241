/// The adaptive predictor of one G.722 sub-band: two poles and six zeros (ITU-T G.722 block 4L for the lower
/// band, 4H for the higher band; both bands use the same computation with their own state).
///
/// All values are 16-bit quantities of the G.722 fixed-point description held in `Int32`; every place where
/// G.722 saturates a 16-bit sum, ``saturate(_:)`` does the same, so the result is bit-exact.
struct G722Predictor: Sendable {
    /// Signal estimate S (SL or SH), output of block PREDIC: the pole plus zero section outputs.
    var estimate: Int32 = 0
    /// Zero section output SZ (SZL or SZH), block FILTEZ.
    var zeroEstimate: Int32 = 0

    /// Pole predictor coefficients A1 and A2 (AL1/AL2 or AH1/AH2), blocks UPPOL1 and UPPOL2.
    var pole1: Int32 = 0
    var pole2: Int32 = 0

    /// Zero predictor coefficients B1…B6 (BL1…BL6 or BH1…BH6, block UPZERO) in lanes 0…5, and the past
    /// quantized differences D(n−1)…D(n−6) (DLT1…DLT6 or DH1…DH6, delay block DELAYA) in the same lanes.
    /// Both fit 16 bits (the coefficients are saturated to 16 bits; for the differences see FILTEZ below),
    /// so the six taps are updated and multiplied as one vector; lanes 6 and 7 are never read.
    var zeros = SIMD8<Int16>()
    var differences = SIMD8<Int16>()

    /// Past reconstructed signals R(n−1), R(n−2) (RLT1/RLT2 or RH1/RH2, block RECONS), kept as FILTEP takes
    /// them: doubled with 16-bit saturation, so each is doubled once rather than at both of its uses.
    var doubledReconstructed1: Int32 = 0
    var doubledReconstructed2: Int32 = 0

    /// Past partially reconstructed signals P(n−1), P(n−2) (PLT1/PLT2 or PH1/PH2), block PARREC.
    var partial1: Int32 = 0
    var partial2: Int32 = 0

    init() {}

    /// Adapts the predictor to the new quantized difference `difference` (DLT or DH) and computes the next
    /// signal estimate: blocks PARREC, RECONS, UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEP, FILTEZ and PREDIC.
    @inline(__always)
    mutating func adapt(_ difference: Int32) {
        // PARREC and RECONS: partially and fully reconstructed signals (16-bit saturating adds).
        let partial = saturate(difference &+ zeroEstimate)
        let reconstructed = saturate(estimate &+ difference)

        // Sign agreement as G.722 takes it (zero counts as positive): two values agree when their XOR is not
        // negative.
        let agrees1 = (partial ^ partial1) >= 0
        let agrees2 = (partial ^ partial2) >= 0

        // UPPOL2: A2 leaks by 127/128 and moves by ±128 with the sign correlation of P; the correction
        // term is −4·A1·(sign agreement of P(n), P(n−1)) / 128 (with 16-bit saturation of 4·A1 and its
        // negation); A2 is limited to ±12288 (0.75) for stability.
        let pole1Times4 = saturate(pole1 &<< 2)
        let pole2Step = (agrees1 ? min(-pole1Times4, 32767) : pole1Times4) >> 7
        var newPole2 = pole2Step &+ (agrees2 ? 128 : -128) &+ ((pole2 &* 32512) >> 15)
        newPole2 = min(max(newPole2, -12288), 12288)

        // UPPOL1: A1 leaks by 255/256 and moves by ±192; limited to ±(15360 − A2) (15360 = 1 − 2^-4). The limit
        // is within 3072…27648, so G.722's 16-bit saturation of the sum before it changes nothing and is left out.
        var newPole1 = (agrees1 ? 192 : -192) &+ ((pole1 &* 32640) >> 15)
        let pole1Limit = 15360 &- newPole2
        newPole1 = min(max(newPole1, -pole1Limit), pole1Limit)

        // UPZERO: each Bi leaks by 255/256 and moves by ±128 with the sign agreement of D(n) and D(n−i);
        // no move when D(n) is zero. G.722 saturates the sum to 16 bits, but it never leaves them: the leak
        // (Bi · 32640) >> 15 is floor(Bi · 255/256) = Bi − ceil(Bi / 256), within −32640…32639, and the step
        // is at most 128. Lanes whose sign differs from D(n) get −step: (step ^ m) − m with m = −1 there.
        let newDifference = Int16(truncatingIfNeeded: difference)
        let step = SIMD8<Int16>(repeating: difference == 0 ? 0 : 128)
        let disagree = (differences ^ SIMD8<Int16>(repeating: newDifference)) &>> 15
        // ceil(Bi / 256) = (Bi >> 8) + (1 if the low 8 bits are not all zero): (low + 255) >> 8.
        let roundsUp = ((zeros & 255) &+ 255) &>> 8
        zeros = zeros &- (zeros &>> 8) &- roundsUp &+ ((step ^ disagree) &- disagree)

        // DELAYA: shift the delay lines.
        differences = SIMD8(
            newDifference,
            differences[0],
            differences[1],
            differences[2],
            differences[3],
            differences[4],
            0,
            0
        )
        partial2 = partial1
        partial1 = partial
        doubledReconstructed2 = doubledReconstructed1
        doubledReconstructed1 = saturate(reconstructed &<< 1)
        pole1 = newPole1
        pole2 = newPole2

        // FILTEP: pole section, A1·2R(n−1) + A2·2R(n−2) (each product in Q15, sums saturated). |A1| and
        // |A2| stay below 2^15 (UPPOL1/UPPOL2 limits), so these products need no `mult` saturation.
        let poleEstimate = saturate(
            ((pole1 &* doubledReconstructed1) >> 15) &+ ((pole2 &* doubledReconstructed2) >> 15)
        )

        // FILTEZ: zero section, Σ Bi·2D(n−i) accumulated from i = 6 down to 1 with a 16-bit saturating
        // add at every step, as the G.722 fixed-point description does.
        // Bounds that make most of G.722's saturations no-ops here: the scale factors never exceed 16384
        // (NBL ≤ 18432 and NBH ≤ 22528 give ILB[0] · 2 · 4), so |DLT| ≤ 16384 · 20456 / 2^15 = 10228 and
        // |DH| ≤ 16384 · 7408 / 2^15 = 3704: 2·D fits 16 bits unsaturated, and |Bi · 2D| / 2^15 < 20457,
        // so `mult` never meets −32768 × −32768. Only the running sum can leave 16 bits; almost always no
        // partial sum does and the plain sum is the answer, otherwise the saturating sequence is replayed.
        let terms = (widen(zeros) &* widen(differences &<< 1)) &>> 15
        let term1 = terms[0]
        let term2 = terms[1]
        let term3 = terms[2]
        let term4 = terms[3]
        let term5 = terms[4]
        let term6 = terms[5]
        let sum65 = term6 &+ term5
        let sum64 = sum65 &+ term4
        let sum63 = sum64 &+ term3
        let sum62 = sum63 &+ term2
        var zeroSum = sum62 &+ term1
        // Each partial sum p is in −32768…32767 exactly when p + 32768 fits in 16 unsigned bits.
        let outOfRange =
            ((sum65 &+ 32768) | (sum64 &+ 32768) | (sum63 &+ 32768) | (sum62 &+ 32768) | (zeroSum &+ 32768)) >> 16
        if outOfRange != 0 {
            zeroSum = saturate(term6 &+ term5)
            zeroSum = saturate(zeroSum &+ term4)
            zeroSum = saturate(zeroSum &+ term3)
            zeroSum = saturate(zeroSum &+ term2)
            zeroSum = saturate(zeroSum &+ term1)
        }
        zeroEstimate = zeroSum

        // PREDIC: signal estimate.
        estimate = saturate(poleEstimate &+ zeroSum)
    }

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
