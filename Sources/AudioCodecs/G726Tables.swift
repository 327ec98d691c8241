// Constant tables of ITU-T G.726, per rate, in the fixed-point form of its §4 computational details. Every table is
// indexed by the magnitude m of a codeword I: m = I for a positive codeword (sign bit clear), and the one's
// complement 2^n − 1 − I for a negative one, so both signs share a row as in the Recommendation's tables.
// Log-domain values are in units of 2^-7 (log2 scale); a 12-bit two's-complement value is kept signed here.

/// The tables of one G.726 rate.
struct G726Tables: Sendable {
    /// Block QUAN (§4.2.2): the lower decision thresholds of the normalized log difference DLN = log2|D| − y for
    /// magnitudes m = 1, 2, …: DLN below the first threshold is m = 0, at or above the k-th threshold is m = k.
    /// The fixed-point form of the quantizer characteristic of Tables 1 to 4/G.726.
    let decisionThresholds: [Int32]
    /// Block RECONST (§4.2.3): the normalized quantizer output log2|DQ| − y (DQLN) per magnitude, the other
    /// column of Tables 1 to 4/G.726. `nil` (−∞: DQ = 0) is the 12-bit value 2048 of the Recommendation.
    let reconstructionLevels: [Int32?]
    /// Block FUNCTW (§4.2.4, W(I) of §2.5): the log-domain scale factor multiplier per magnitude, in units of
    /// 2^-4 (32 kbit/s: W(7) = 1122 is 70.13); the 12-bit two's-complement values of the Recommendation, signed
    /// here (its 4084 is −12).
    let scaleMultipliers: [Int32]
    /// Block FUNCTF (§4.2.5, F(I) of §2.6): the rate-of-change function of the speed control per magnitude.
    let speedFunction: [Int32]
    /// Whether the quantizer has a zero level that is always sent as the negative zero codeword 2^n − 1 (blocks
    /// QUAN and RECONST: 24, 32 and 40 kbit/s). The 16 kbit/s quantizer has four non-zero levels.
    let hasZeroLevel: Bool
    /// Block UPB (§4.2.6): the leak of the sixth-order predictor's coefficients, as a right shift: 2^-8, and
    /// 2^-9 at 40 kbit/s.
    let zeroLeakShift: Int32

    static func of(_ rate: G726Rate) -> G726Tables {
        switch rate {
        case .kbps16: kbps16
        case .kbps24: kbps24
        case .kbps32: kbps32
        case .kbps40: kbps40
        }
    }

    /// 16 kbit/s: Table 4/G.726 (normalized input ≥ 2.04 → |I| = 1; outputs 0.91 and 2.85).
    static let kbps16 = G726Tables(
        decisionThresholds: [261],
        reconstructionLevels: [116, 365],
        scaleMultipliers: [-22, 439],
        speedFunction: [0, 7],
        hasZeroLevel: false,
        zeroLeakShift: 8
    )

    /// 24 kbit/s: Table 3/G.726.
    static let kbps24 = G726Tables(
        decisionThresholds: [8, 218, 331],
        reconstructionLevels: [nil, 135, 273, 373],
        scaleMultipliers: [-4, 30, 137, 582],
        speedFunction: [0, 1, 2, 7],
        hasZeroLevel: true,
        zeroLeakShift: 8
    )

    /// 32 kbit/s: Table 2/G.726.
    static let kbps32 = G726Tables(
        decisionThresholds: [-124, 80, 178, 246, 300, 349, 400],
        reconstructionLevels: [nil, 4, 135, 213, 273, 323, 373, 425],
        scaleMultipliers: [-12, 18, 41, 64, 112, 198, 355, 1122],
        speedFunction: [0, 0, 0, 1, 1, 1, 3, 7],
        hasZeroLevel: true,
        zeroLeakShift: 8
    )

    /// 40 kbit/s: Table 1/G.726.
    static let kbps40 = G726Tables(
        decisionThresholds: [-122, -16, 68, 139, 198, 250, 298, 339, 378, 413, 445, 475, 502, 528, 553],
        reconstructionLevels: [nil, -66, 28, 104, 169, 224, 274, 318, 358, 395, 429, 459, 488, 514, 539, 566],
        scaleMultipliers: [14, 14, 24, 39, 40, 41, 58, 100, 141, 179, 219, 280, 358, 440, 529, 696],
        speedFunction: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6],
        hasZeroLevel: true,
        zeroLeakShift: 9
    )
}
