/// The G.722 sub-band ADPCM encoder with the QMF bypassed (ITU-T G.722 blocks 1L–4L and 1H–4H).
///
/// This is the configuration of the ITU-T G.722 Appendix II digital test sequences (configuration 1):
/// 15-bit lower and higher sub-band samples XL and XH in, one 8-bit codeword out. ``G722Encoder`` is the
/// full encoder (transmit QMF included) built on it.
public struct G722SubBandEncoder: Sendable {
    var bands = G722SubBands()

    /// A coder in the reset state of ITU-T G.722 (DETL = 32, DETH = 8, all else zero).
    public init() {}

    /// Encodes one pair of sub-band samples (15-bit, −16384…16383) into the codeword IH·64 + IL.
    public mutating func encode(lowerBand: Int16, higherBand: Int16) -> UInt8 {
        UInt8(truncatingIfNeeded: bands.encode(Int32(lowerBand), Int32(higherBand)))
    }

    /// Returns the coder to the reset state.
    public mutating func reset() {
        self = G722SubBandEncoder()
    }
}
