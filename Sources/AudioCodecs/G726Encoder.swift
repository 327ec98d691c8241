/// The ITU-T G.726 ADPCM encoder at 16, 24, 32 or 40 kbit/s, with uniform PCM input (G.726 Annex A): 8 kHz 16-bit
/// samples in, one codeword per sample out.
///
/// The input's 14 most significant bits are the 14-bit uniform PCM of Annex A (`sample >> 2`, as the project's
/// G.711 encoder takes them). The encoder and ``G726Decoder`` share the adaptation, so decoding the codewords
/// reproduces the encoder's reconstructed signal exactly.
public struct G726Encoder: Sendable {
    /// The bit rate (codeword size).
    public let rate: G726Rate
    var state: G726ADPCM

    /// An encoder in the reset state of ITU-T G.726.
    public init(rate: G726Rate) {
        self.rate = rate
        state = G726ADPCM(rate: rate)
    }

    /// Returns the encoder to the reset state (the rate is kept).
    public mutating func reset() {
        state = G726ADPCM(rate: rate)
    }

    /// Encodes one sample into one codeword (in the low ``G726Rate/bitsPerCodeword`` bits).
    public mutating func encode(_ sample: Int16) -> UInt8 {
        let prediction = state.predict()
        let code = quantize(Int32(sample) >> 2, prediction: prediction)
        _ = state.adapt(code: code, prediction: prediction)
        return UInt8(truncatingIfNeeded: code)
    }

    /// Encodes samples into codewords (one per element).
    public mutating func encode(_ samples: [Int16]) -> [UInt8] {
        samples.map { encode($0) }
    }

    /// Encodes samples and packs the codewords as RTP carries them in `packing` order.
    public mutating func encodePacked(_ samples: [Int16], packing: G726Packing = .rfc3551) -> [UInt8] {
        packing.pack(encode(samples), bitsPerCodeword: rate.bitsPerCodeword)
    }

    /// Blocks SUBTA, LOG, SUBTB and QUAN (§4.2.1, §4.2.2): the codeword of the 14-bit uniform input `sample`.
    func quantize(_ sample: Int32, prediction: G726ADPCM.Prediction) -> Int32 {
        // SUBTA: D = SL − SE in 16-bit two's complement.
        let difference = wrap16(sample - prediction.signalEstimate)
        let negative = difference < 0
        // LOG: log2|D| as a 4-bit exponent and a 7-bit mantissa (log2(1 + x) ≈ x), units of 2^-7.
        let magnitude = negative ? (-difference) & 32767 : difference
        let exponent = max(bitLength(magnitude) - 1, 0)
        let logarithm = (exponent << 7) + (((magnitude << 7) >> exponent) & 127)
        // SUBTB: DLN = log2|D| − y, in 12-bit two's complement.
        let normalized = (logarithm - (prediction.scale >> 2)) & 4095
        let signedNormalized = normalized >= 2048 ? normalized - 4096 : normalized
        // QUAN: the interval of Tables 1 to 4/G.726 that holds DLN.
        let tables = state.tables
        var level: Int32 = 0
        for threshold in tables.decisionThresholds where signedNormalized >= threshold {
            level += 1
        }
        let mask = Int32(1 << rate.bitsPerCodeword) - 1
        // The zero level is always sent as the all-ones codeword (negative zero).
        if tables.hasZeroLevel && level == 0 { return mask }
        return negative ? mask - level : level
    }
}
