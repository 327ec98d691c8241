/// The higher sub-band quantizer and scale factor of ITU-T G.722 (encoder blocks 2H QUANTH, 3H INVQAH,
/// 4H LOGSCH, 5H SCALEH; decoder blocks 1H–3H): a 2-bit adaptive quantizer. The predictor is
/// ``G722Predictors`` (lane 1).
struct G722HigherBand: Sendable {
    /// Log-domain scale factor ∇H (NBH of ITU-T G.722), updated in block 4H LOGSCH; 0…22528.
    var logScaleFactor: Int32 = 0
    /// Quantizer scale factor ΔH (DETH of ITU-T G.722), computed from NBH in block 5H SCALEH; starts at 8.
    var scaleFactor: Int32 = 8

    init() {}

    /// Block 2H QUANTH: the 2-bit code IH of the difference signal EH (16-bit).
    func quantize(_ difference: Int32) -> Int32 {
        let magnitude = difference < 0 ? ~difference : difference
        let large = magnitude >= (G722Tables.higherDecisionLevel &* scaleFactor) >> 12
        // Codes (G.722 QUANTH): negative large 0, negative small 1, positive large 2, positive small 3.
        return difference < 0 ? (large ? 0 : 1) : (large ? 2 : 3)
    }

    /// Blocks 3H INVQAH, 4H LOGSCH and 5H SCALEH; returns DH, the quantized difference, from the scale factor
    /// before the update.
    @inline(__always)
    mutating func adapt(_ code: Int32) -> Int32 {
        let index = Int(code & 3)
        let difference = G722Tables.higherInverse.withUnsafeBufferPointer { (scaleFactor &* $0[index]) >> 15 }
        let step = G722Tables.higherLogScaleStep.withUnsafeBufferPointer { $0[index] }
        // 4H LOGSCH: NBH = 127/128 × NBH + WH, limited to 0…22528.
        logScaleFactor = min(max(((logScaleFactor &* 127) >> 7) &+ step, 0), 22528)
        scaleFactor = inverseLogScale(logScaleFactor, octaveOffset: 10)
        return difference
    }
}
