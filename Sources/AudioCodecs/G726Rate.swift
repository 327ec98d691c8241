/// The bit rate of an ITU-T G.726 ADPCM stream: 2, 3, 4 or 5 bits per 8 kHz sample (ITU-T G.726 §1).
public enum G726Rate: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 16 kbit/s, 2-bit codewords (4-level quantizer, Table 4/G.726).
    case kbps16 = 16
    /// 24 kbit/s, 3-bit codewords (7-level quantizer, Table 3/G.726).
    case kbps24 = 24
    /// 32 kbit/s, 4-bit codewords (15-level quantizer, Table 2/G.726; the former G.721).
    case kbps32 = 32
    /// 40 kbit/s, 5-bit codewords (31-level quantizer, Table 1/G.726).
    case kbps40 = 40

    /// Bits per codeword (per sample).
    public var bitsPerCodeword: Int { rawValue / 8 }

    /// The rate of a codeword size of 2…5 bits, or nil.
    public init?(bitsPerCodeword: Int) {
        self.init(rawValue: bitsPerCodeword * 8)
    }

    /// `G726-32` and so on, as RFC 3551 §4.5.4 names the encodings.
    public var description: String { "G726-\(rawValue)" }
}
