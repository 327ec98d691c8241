/// The operating mode of a G.722 decoder (ITU-T G.722 Table 1/G.722).
///
/// The encoder always produces 64 kbit/s codewords; in modes 2 and 3 the decoder ignores the one or two
/// least significant bits of the lower sub-band code (they carry auxiliary data) and uses the 5-bit or 4-bit
/// inverse quantizer for its output. RTP payload type 9 is mode 1.
public enum G722Mode: Int, Sendable, Hashable, CaseIterable {
    /// Mode 1: 64 kbit/s audio, 6-bit lower sub-band.
    case kbps64 = 1
    /// Mode 2: 56 kbit/s audio, 5-bit lower sub-band (8 kbit/s auxiliary data).
    case kbps56 = 2
    /// Mode 3: 48 kbit/s audio, 4-bit lower sub-band (16 kbit/s auxiliary data).
    case kbps48 = 3
}
