// RFC 4867 AMR and AMR-WB payloads, single channel, from frames in the storage format of RFC 4867 §5.3.

extension Packetizer {
    /// Speech bits of an AMR or AMR-WB frame type, or nil where the payload format carries none.
    ///
    /// AMR: 3GPP TS 26.090 §1 (modes 4.75…12.2 kbit/s: 95…244 bits), the 39-bit SID (TS 26.101), NO_DATA (15).
    /// AMR-WB: TS 26.190 §1 (modes 6.60…23.85 kbit/s: 132…477 bits), the 40-bit SID (TS 26.201), SPEECH_LOST (14)
    /// and NO_DATA (15).
    public static func amrBits(frameType: Int, wideband: Bool) -> Int? {
        let table: [Int: Int] =
            wideband
            ? [0: 132, 1: 177, 2: 253, 3: 285, 4: 317, 5: 365, 6: 397, 7: 461, 8: 477, 9: 40, 14: 0, 15: 0]
            : [0: 95, 1: 103, 2: 118, 3: 134, 4: 148, 5: 159, 6: 204, 7: 244, 8: 39, 15: 0]
        return table[frameType]
    }

    /// A frame in the storage format (header octet `FT << 3 | Q << 2`, then the speech bits zero-padded to an
    /// octet) with random speech bits.
    public static func randomAMRFrame(
        frameType: Int,
        quality: Bool = true,
        wideband: Bool,
        generator: inout SplitMix64
    ) -> [UInt8] {
        let bits = amrBits(frameType: frameType, wideband: wideband) ?? 0
        var writer = MSBBitWriter()
        for _ in 0..<bits { writer.write(generator.next() >> 63, bits: 1) }
        writer.padWithZeros()
        return [UInt8(frameType << 3 | (quality ? 4 : 0))] + writer.bytes
    }

    /// An RFC 4867 payload of storage-format frames: the codec mode request (15: none), a table of contents (F set
    /// on all entries but the last), then the frames' bits; bit by bit in bandwidth-efficient mode (§4.3), each
    /// field and frame octet-aligned in octet-aligned mode (§4.4).
    public static func amr(
        storageFrames frames: [[UInt8]],
        wideband: Bool,
        octetAligned: Bool,
        codecModeRequest: UInt8 = 15
    ) -> [UInt8] {
        var writer = MSBBitWriter()
        writer.write(UInt64(codecModeRequest), bits: 4)
        if octetAligned { writer.write(0, bits: 4) }
        for (index, frame) in frames.enumerated() {
            let header = frame[0]
            writer.write(index + 1 < frames.count ? 1 : 0, bits: 1)
            writer.write(UInt64(header >> 3 & 15), bits: 4)
            writer.write(UInt64(header >> 2 & 1), bits: 1)
            if octetAligned { writer.write(0, bits: 2) }
        }
        for frame in frames {
            let bits = amrBits(frameType: Int(frame[0] >> 3 & 15), wideband: wideband) ?? 0
            writer.write(bitsOf: Array(frame.dropFirst()), count: bits)
            if octetAligned { writer.padWithZeros() }
        }
        writer.padWithZeros()
        return writer.bytes
    }
}
