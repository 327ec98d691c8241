/// The lower sub-band quantizer and scale factor of ITU-T G.722 (encoder blocks 2L–3L and 4L LOGSCL, 5L SCALEL;
/// decoder blocks 1L, 2L, 5L INVQBL): a 6-bit adaptive quantizer whose 4 most significant bits drive the scale
/// factor and predictor adaptation. The predictor is ``G722Predictors`` (lane 0).
struct G722LowerBand: Sendable {
    /// Log-domain scale factor ∇L (NBL of ITU-T G.722), updated in block 4L LOGSCL; 0…18432.
    var logScaleFactor: Int32 = 0
    /// Quantizer scale factor ΔL (DETL of ITU-T G.722), computed from NBL in block 5L SCALEL; starts at 32.
    var scaleFactor: Int32 = 32

    init() {}

    /// Block 2L QUANTL: the 6-bit code IL of the difference signal EL (16-bit).
    func quantize(_ difference: Int32) -> Int32 {
        // The magnitude in one's complement for negative values (G.722 takes |EL| as EL XOR sign).
        let magnitude = difference < 0 ? ~difference : difference
        var interval = 1
        G722Tables.lowerDecisionLevels.withUnsafeBufferPointer { levels in
            while interval < 30 {
                // Decision level scaled by DETL: (Q6 × 8 × DETL) >> 15 == (Q6 × DETL) >> 12.
                if magnitude < (levels[interval] &* scaleFactor) >> 12 { break }
                interval &+= 1
            }
        }
        return difference < 0 ? G722Tables.lowerCodeNegative[interval] : G722Tables.lowerCodePositive[interval]
    }

    /// Block 5L INVQBL: the output difference DL = (DETL × QQ6/QQ5/QQ4) >> 15 of the code IL, with the output
    /// inverse quantizer of the mode (mode 2 and 3 drop 1 or 2 code bits).
    @inline(__always)
    func outputDifference(_ code: Int32, inverseTable: UnsafePointer<Int32>, codeShift: Int32) -> Int32 {
        (scaleFactor &* inverseTable[Int(code &>> codeShift)]) >> 15
    }

    /// The adaptation common to encoder and decoder, driven by the 4-bit code IL >> 2 (blocks 3L INVQAL,
    /// 4L LOGSCL, 5L SCALEL), always at full 64 kbit/s resolution. Returns DLT, the quantized difference for
    /// the predictor, from the scale factor before the update.
    @inline(__always)
    mutating func adapt(_ code: Int32) -> Int32 {
        let code4 = Int(code >> 2)
        // 3L INVQAL: quantized difference DLT for the predictor, from the old scale factor.
        let difference = G722Tables.lowerInverse4.withUnsafeBufferPointer { (scaleFactor &* $0[code4]) >> 15 }
        // 4L LOGSCL: NBL = 127/128 × NBL + WL, limited to 0…18432 (the top of the ILB range, 9 octaves).
        let step = G722Tables.lowerLogScaleStep.withUnsafeBufferPointer { $0[code4] }
        logScaleFactor = min(max(((logScaleFactor &* 127) >> 7) &+ step, 0), 18432)
        // 5L SCALEL: DETL = ILB[(NBL >> 6) & 31] × 2^((NBL >> 11) − 8), × 4; the octave shift is 8…−1.
        scaleFactor = inverseLogScale(logScaleFactor, octaveOffset: 8)
        return difference
    }
}

/// Blocks 5L SCALEL and 5H SCALEH: the linear scale factor from the log scale factor NB. `octaveOffset` is
/// 8 for the lower band and 10 for the higher band (G.722 offsets their ranges differently).
@inline(__always)
func inverseLogScale(_ logScale: Int32, octaveOffset: Int32) -> Int32 {
    let mantissa = G722Tables.inverseLog.withUnsafeBufferPointer { $0[Int((logScale >> 6) & 31)] }
    // The shift is octaveOffset − (NB >> 11), between −1 and 10 (NB's limits). Shifting the mantissa left
    // by one first makes it a single right shift by 0…11 (exact: the extra bit is zero), with no branch.
    let shift = octaveOffset &+ 1 &- (logScale &>> 11)
    let scaled = (mantissa &<< 1) &>> shift
    return scaled << 2
}
