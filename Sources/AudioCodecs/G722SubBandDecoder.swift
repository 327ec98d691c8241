/// The G.722 sub-band ADPCM decoder with the QMF bypassed (ITU-T G.722 blocks 1L–6L and 1H–5H).
///
/// This is the configuration of the ITU-T G.722 Appendix II digital test sequences (configuration 2): one
/// 8-bit codeword in, the reconstructed 15-bit sub-band signals RL and RH out. ``G722Decoder`` is the full
/// decoder (receive QMF included) built on it.
public struct G722SubBandDecoder: Sendable {
    /// The decoding mode: which inverse quantizer (6, 5 or 4 bits) produces the lower-band output.
    public let mode: G722Mode
    var bands = G722SubBands()

    /// A decoder in the reset state of ITU-T G.722 (DETL = 32, DETH = 8, all else zero).
    public init(mode: G722Mode = .kbps64) {
        self.mode = mode
    }

    /// Decodes one codeword into the lower and higher sub-band signals RL and RH (−16384…16383).
    public mutating func decode(_ code: UInt8) -> (lowerBand: Int16, higherBand: Int16) {
        let codeShift = Int32(mode.rawValue - 1)
        let (rl, rh) = G722Decoder.inverseTable(for: mode).withUnsafeBufferPointer { table in
            bands.decode(Int32(code), inverseTable: table.baseAddress!, codeShift: codeShift)
        }
        return (Int16(truncatingIfNeeded: rl), Int16(truncatingIfNeeded: rh))
    }

    /// Returns the decoder to the reset state (the mode is kept).
    public mutating func reset() {
        self = G722SubBandDecoder(mode: mode)
    }
}
