// RFC 5574 Speex payloads: frames packed bit after bit, the last octet filled with the terminator.

extension Packetizer {
    /// One unit of a Speex bit-stream.
    public enum SpeexUnit: Sendable, Hashable {
        /// A frame: a narrowband part in `mode` (0–8) and a wideband layer per sub-mode (0–4) in
        /// `widebandSubModes` (one for wideband, two for ultra-wideband), with random bits.
        case frame(mode: Int, widebandSubModes: [Int])
        /// A Speex in-band request (narrowband mode 14) with a 4-bit code and the bits it carries.
        case inBandRequest(code: Int)
    }

    /// Bits of a narrowband frame per mode, header included (the Speex manual's narrowband modes: 250, 2150, 5950,
    /// 8000, 11000, 15000, 18200, 24600 and 3950 bit/s over 20 ms).
    public static let speexNarrowbandBits = [5, 43, 119, 160, 220, 300, 364, 492, 79]
    /// Bits of a wideband layer per sub-mode, header included (0, 1.8, 5.6, 9.6 and 17.6 kbit/s over 20 ms, and
    /// the 4 header bits).
    public static let speexWidebandLayerBits = [4, 36, 112, 192, 352]

    /// A payload of `units` with random bits, ending as libspeex's `speex_bits_insert_terminator` ends it: a 0
    /// bit then 1 bits up to the octet boundary (nothing when the frames end on one).
    public static func speex(_ units: [SpeexUnit], generator: inout SplitMix64) -> [UInt8] {
        var writer = MSBBitWriter()
        func random(_ count: Int) {
            for _ in 0..<count { writer.write(generator.next() >> 63, bits: 1) }
        }
        for unit in units {
            switch unit {
            case .frame(let mode, let layers):
                writer.write(UInt64(mode), bits: 5)
                random(speexNarrowbandBits[mode] - 5)
                for subMode in layers {
                    writer.write(UInt64(8 | subMode), bits: 4)
                    random(speexWidebandLayerBits[subMode] - 4)
                }
            case .inBandRequest(let code):
                writer.write(14, bits: 5)
                writer.write(UInt64(code), bits: 4)
                random([1, 1, 4, 4, 4, 4, 4, 4, 8, 8, 16, 16, 32, 32, 64, 64][code])
            }
        }
        if writer.pending != 0 {
            writer.write(0, bits: 1)
            while writer.pending != 0 { writer.write(1, bits: 1) }
        }
        return writer.bytes
    }
}
