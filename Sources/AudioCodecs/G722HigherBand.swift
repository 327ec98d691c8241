/// The higher sub-band ADPCM of ITU-T G.722 (encoder blocks 1H–4H, decoder blocks 1H–5H): a 2-bit adaptive
/// quantizer with the same predictor structure as the lower band.
struct G722HigherBand: Sendable {
    /// Log-domain scale factor ∇H (NBH of ITU-T G.722), updated in block 4H LOGSCH; 0…22528.
    var logScaleFactor: Int32 = 0
    /// Quantizer scale factor ΔH (DETH of ITU-T G.722), computed from NBH in block 5H SCALEH; starts at 8.
    var scaleFactor: Int32 = 8
    /// The adaptive predictor (block 4H), whose estimate is SH.
    var predictor = G722Predictor()

    init() {}

    /// Encodes one higher sub-band sample XH (15-bit) into the 2-bit code IH: blocks 1H SUBTRA, 2H QUANTH.
    mutating func encode(_ sample: Int32) -> Int32 {
        let difference = saturate(sample &- predictor.estimate)
        let magnitude = difference < 0 ? ~difference : difference
        let large = magnitude >= (G722Tables.higherDecisionLevel &* scaleFactor) >> 12
        // Codes (G.722 QUANTH): negative large 0, negative small 1, positive large 2, positive small 3.
        let code: Int32 = difference < 0 ? (large ? 0 : 1) : (large ? 2 : 3)
        _ = adapt(code)
        return code
    }

    /// Decodes the 2-bit code IH into the reconstructed higher sub-band signal RH (15-bit), then adapts.
    @inline(__always)
    mutating func decode(_ code: Int32) -> Int32 {
        let estimate = predictor.estimate
        let difference = adapt(code)
        // RECONS and LIMIT: RH = SH + DH from the estimate before adaptation.
        return limit15(estimate &+ difference)
    }

    /// Blocks 3H INVQAH, 4H LOGSCH, 5H SCALEH and the predictor of block 4H; returns DH.
    @inline(__always)
    mutating func adapt(_ code: Int32) -> Int32 {
        let index = Int(code & 3)
        let difference = G722Tables.higherInverse.withUnsafeBufferPointer { (scaleFactor &* $0[index]) >> 15 }
        let step = G722Tables.higherLogScaleStep.withUnsafeBufferPointer { $0[index] }
        // 4H LOGSCH: NBH = 127/128 × NBH + WH, limited to 0…22528.
        logScaleFactor = min(max(((logScaleFactor &* 127) >> 7) &+ step, 0), 22528)
        scaleFactor = inverseLogScale(logScaleFactor, octaveOffset: 10)
        predictor.adapt(difference)
        return difference
    }
}
