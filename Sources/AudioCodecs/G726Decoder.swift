/// The ITU-T G.726 ADPCM decoder at 16, 24, 32 or 40 kbit/s, with uniform PCM output (G.726 Annex A): 8 kHz
/// 16-bit samples.
///
/// Each codeword gives one sample: the reconstructed signal SR of G.726 §4.2.6, limited to 14 bits as Annex A's
/// block LIMO does, and left-justified in 16 bits (× 4), as the 14-bit output of G.711 µ-law is. As with G.722,
/// keep one decoder across packet loss inside a stream (conceal in the PCM domain) and ``reset()`` it when a new
/// encoder starts (a new SSRC, a codec change, a sender restart).
public struct G726Decoder: Sendable {
    /// The bit rate (codeword size).
    public let rate: G726Rate
    var state: G726ADPCM

    /// A decoder in the reset state of ITU-T G.726.
    public init(rate: G726Rate) {
        self.rate = rate
        state = G726ADPCM(rate: rate)
    }

    /// Returns the decoder to the reset state (the rate is kept).
    public mutating func reset() {
        state = G726ADPCM(rate: rate)
    }

    /// Decodes one codeword (its low ``G726Rate/bitsPerCodeword`` bits) into one 16-bit sample.
    @inline(__always)
    public mutating func decode(_ code: UInt8) -> Int16 {
        let prediction = state.predict()
        let reconstructed = state.adapt(code: Int32(code), prediction: prediction)
        // Annex A, block LIMO: SR limited to the 14-bit range −8192…8191; then left-justified.
        return Int16(truncatingIfNeeded: min(max(reconstructed, -8192), 8191) << 2)
    }

    /// Decodes codewords (one per element) and appends one sample each to `samples`.
    public mutating func decode(codewords: some Sequence<UInt8>, appendingTo samples: inout [Int16]) {
        for code in codewords {
            samples.append(decode(code))
        }
    }

    /// Decodes codewords packed as RTP carries them in `packing` order and appends `bytes.count × 8 / bits`
    /// samples to `samples`.
    public mutating func decode(
        packed bytes: UnsafeRawBufferPointer,
        packing: G726Packing = .rfc3551,
        appendingTo samples: inout [Int16]
    ) {
        let codes = packing.unpack(bytes, bitsPerCodeword: rate.bitsPerCodeword)
        samples.reserveCapacity(samples.count + codes.count)
        decode(codewords: codes, appendingTo: &samples)
    }

    /// Decodes packed codewords into a new array.
    public mutating func decode(packed bytes: [UInt8], packing: G726Packing = .rfc3551) -> [Int16] {
        var samples: [Int16] = []
        bytes.withUnsafeBytes { decode(packed: $0, packing: packing, appendingTo: &samples) }
        return samples
    }
}
