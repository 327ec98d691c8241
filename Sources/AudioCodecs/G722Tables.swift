// Constant tables of ITU-T G.722 (its fixed-point computational description), named after the block that uses them.
// Values are the integer ones of the G.722 fixed-point description. Inverse-quantizer outputs are given
// already multiplied by 8 and signed per code, so that a block computes `(scale × table[code]) >> 15`.

enum G722Tables {
    /// Block 2L QUANTL: quantizer decision levels Q6 for the 6-bit lower sub-band quantizer, indexed by the
    /// interval number mil = 1…29 (entry 0 unused). The threshold is `(Q6[mil] × DETL) >> 12`.
    static let lowerDecisionLevels: [Int32] = [
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
    ]

    /// Block 2L QUANTL: output code IL for a negative difference in interval mil (ILN of G.722), mil = 1…30.
    static let lowerCodeNegative: [Int32] = [
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
    ]

    /// Block 2L QUANTL: output code IL for a non-negative difference in interval mil (ILP of G.722).
    static let lowerCodePositive: [Int32] = [
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
    ]

    /// Block 5L INVQBL, mode 1: 6-bit inverse quantizer output QQ6 × 8 with its sign, indexed by the 6-bit
    /// code IL. Codes 0…3 are never sent by an encoder; G.722 maps them to the smallest negative level.
    static let lowerInverse6: [Int32] = [
        -136, -136, -136, -136, -24808, -21904, -19008, -16704,
        -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
        -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
        10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
        1688, 1360, 1040, 728, 432, 136, -432, -136,
    ]

    /// Block 5L INVQBL, mode 2: 5-bit inverse quantizer output QQ5 × 8 with its sign, indexed by IL >> 1.
    static let lowerInverse5: [Int32] = [
        -280, -280, -23352, -17560, -14120, -11664, -9752, -8184,
        -6864, -5712, -4696, -3784, -2960, -2208, -1520, -880,
        23352, 17560, 14120, 11664, 9752, 8184, 6864, 5712,
        4696, 3784, 2960, 2208, 1520, 880, 280, -280,
    ]

    /// Blocks 3L INVQAL and 5L INVQBL mode 3: 4-bit inverse quantizer output QQ4 × 8 with its sign, indexed
    /// by IL >> 2 (the 4-bit code the predictor always adapts on).
    static let lowerInverse4: [Int32] = [
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
        20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
    ]

    /// Block 4L LOGSCL: log scale factor multiplier WL, indexed directly by the 4-bit code IL >> 2 (G.722
    /// maps the code to its magnitude RIL4 and then to WL; the two lookups are folded into one here).
    static let lowerLogScaleStep: [Int32] = [
        -60, 3042, 1198, 538, 334, 172, 58, -30,
        3042, 1198, 538, 334, 172, 58, -30, -60,
    ]

    /// Blocks 5L SCALEL and 5H SCALEH: the inverse log table ILB, 32 entries of one octave
    /// (2048 × 2^(i/32)). The scale factor is `ILB[(NB >> 6) & 31]` shifted by the octave `NB >> 11`.
    static let inverseLog: [Int32] = [
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    ]

    /// Block 2H QUANTH: the single decision level Q2 of the 2-bit higher sub-band quantizer.
    static let higherDecisionLevel: Int32 = 564

    /// Block 3H INVQAH: 2-bit inverse quantizer output QQ2 × 8 with its sign, indexed by the code IH.
    static let higherInverse: [Int32] = [-7408, -1616, 7408, 1616]

    /// Block 4H LOGSCH: log scale factor multiplier WH, indexed directly by the code IH.
    static let higherLogScaleStep: [Int32] = [798, -214, 798, -214]

    /// Transmit and receive QMF coefficients h0…h23 (ITU-T G.722 transmit and receive QMF, the coefficient
    /// table), in units of 2^-13. The filter is symmetric: h(i) == h(23 − i).
    static let qmfCoefficients: [Int32] = [
        3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
        3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3,
    ]
}
