/// The sub-band ADPCM of ITU-T G.722, both bands: their quantizers and scale factors, and their predictors
/// (``G722Predictors``). The one implementation behind the encoder and the decoder, with or without the QMF.
struct G722SubBands: Sendable {
    var lower = G722LowerBand()
    var higher = G722HigherBand()
    var predictors = G722Predictors()

    init() {}

    /// Decodes the codeword IH·64 + IL into the reconstructed sub-band signals RL and RH (15-bit), with the
    /// lower-band output inverse quantizer `inverseTable` (block 5L INVQBL; `codeShift` drops 1 or 2 code bits
    /// in mode 2 and 3), then adapts: decoder blocks 1L–6L and 1H–5H.
    @inline(__always)
    mutating func decode(_ code: Int32, inverseTable: UnsafePointer<Int32>, codeShift: Int32) -> (Int32, Int32) {
        let lowerCode = code & 0x3F
        let estimates = predictors.estimates
        // RECONS and LIMIT: R = S + D from the estimates before adaptation.
        let rl = limit15(
            estimates.lower &+ lower.outputDifference(lowerCode, inverseTable: inverseTable, codeShift: codeShift)
        )
        let lowerDifference = lower.adapt(lowerCode)
        let higherDifference = higher.adapt(code &>> 6)
        let rh = limit15(estimates.higher &+ higherDifference)
        adapt(lowerDifference, higherDifference)
        return (rl, rh)
    }

    /// Encodes one pair of sub-band samples XL and XH (15-bit) into the codeword IH·64 + IL: blocks 1L/1H
    /// SUBTRA, 2L QUANTL, 2H QUANTH, then the adaptation shared with the decoder.
    @inline(__always)
    mutating func encode(_ lowerSample: Int32, _ higherSample: Int32) -> Int32 {
        let estimates = predictors.estimates
        // SUBTRA: the difference signals EL and EH (16-bit saturating, as G.722's `sub`).
        let lowerCode = lower.quantize(saturate(lowerSample &- estimates.lower))
        let higherCode = higher.quantize(saturate(higherSample &- estimates.higher))
        adapt(lower.adapt(lowerCode), higher.adapt(higherCode))
        return (higherCode << 6) | lowerCode
    }

    /// Adapts both predictors to the quantized differences DLT and DH (both fit 16 bits, see
    /// ``G722Predictors/adapt(_:)``).
    @inline(__always)
    mutating func adapt(_ lowerDifference: Int32, _ higherDifference: Int32) {
        predictors.adapt(
            SIMD8(
                Int16(truncatingIfNeeded: lowerDifference),
                Int16(truncatingIfNeeded: higherDifference),
                0,
                0,
                0,
                0,
                0,
                0
            )
        )
    }
}
