/// ITU-T G.711 pulse code modulation: µ-law (PCMU, RTP payload type 0) and A-law (PCMA, payload type 8).
///
/// Linear samples are 16-bit, with the G.711 linear values left-justified, exactly as the ITU-T G.191 STL
/// G.711 module works: µ-law uses the top 14 bits (`sample >> 2`), A-law the top 13 bits (`sample >> 4`),
/// and encoding truncates (the low bits are ignored, negative values are taken in one's complement), so
/// encoding `decode(code)` gives `code` back. This was checked against the STL sweep vectors
/// (`sweep.src` → `sweep-r.u`/`sweep-r.a` → `sweep-r.u-u`/`sweep-r.a-a`), bit for bit.
///
/// Decoding is a 256-entry table lookup; encoding is a few integer operations (no table).
public enum G711 {
    /// The 16-bit linear value of a µ-law code (ITU-T G.711 Table 2a, scaled by 4: the 14-bit decoder
    /// output left-justified in 16 bits). 0x00 is −32124, 0x80 is 32124, 0x7F and 0xFF are 0.
    @inlinable
    public static func muLawToLinear(_ code: UInt8) -> Int16 {
        muLawDecodeTable.withUnsafeBufferPointer { $0[Int(code)] }
    }

    /// The 16-bit linear value of an A-law code (ITU-T G.711 Table 1a, scaled by 8: the 13-bit decoder
    /// output left-justified in 16 bits). 0xD5 is 8, 0x55 is −8, 0xAA is 32256, 0x2A is −32256.
    @inlinable
    public static func aLawToLinear(_ code: UInt8) -> Int16 {
        aLawDecodeTable.withUnsafeBufferPointer { $0[Int(code)] }
    }

    /// The µ-law code of a 16-bit linear sample (ITU-T G.711 Table 2a; bias 33 and segment search as in
    /// G.711 and the G.191 STL `ulaw_compress`). Negative samples are coded by their one's complement,
    /// so −1…−4 give the "negative zero" 0x7F and 0…3 give 0xFF.
    @inlinable
    public static func encodeMuLaw(_ sample: Int16) -> UInt8 {
        let value = Int32(sample)
        // One's complement of negative values: ~x == -x - 1, never overflows for Int16.
        let magnitude = value < 0 ? ~value : value
        // 14-bit magnitude plus the µ-law bias of 33 (G.711 Table 2a), clipped to the top of segment 8.
        let biased = min((magnitude >> 2) &+ 33, 0x1FFF)
        // Segment (exponent) 0…7: biased is at least 33, so its bit length is 6…13.
        let exponent = (32 &- Int32(biased.leadingZeroBitCount)) &- 6
        let mantissa = (biased >> (exponent &+ 1)) & 0x0F
        // Codes are transmitted inverted (G.711 µ-law: all bits inverted); bit 7 is the sign, 1 = positive.
        let code = 0x7F ^ ((exponent << 4) | mantissa)
        return UInt8(truncatingIfNeeded: value >= 0 ? code | 0x80 : code)
    }

    /// The A-law code of a 16-bit linear sample (ITU-T G.711 Table 1a; segment search as in the G.191 STL
    /// `alaw_compress`). Negative samples are coded by their one's complement; even bits are inverted
    /// (XOR 0x55) as G.711 requires.
    @inlinable
    public static func encodeALaw(_ sample: Int16) -> UInt8 {
        let value = Int32(sample)
        // 12-bit magnitude (13-bit signed A-law range), one's complement for negative values.
        let magnitude = (value < 0 ? ~value : value) >> 4
        var code: Int32
        if magnitude <= 15 {
            // Segment 0: linear, step 2 in 13-bit units.
            code = magnitude
        } else {
            // Segments 1…7: magnitude has 5…11 significant bits.
            let exponent = (32 &- Int32(magnitude.leadingZeroBitCount)) &- 4
            code = (exponent << 4) | ((magnitude >> (exponent &- 1)) & 0x0F)
        }
        if value >= 0 { code |= 0x80 }
        return UInt8(truncatingIfNeeded: code ^ 0x55)
    }

    /// µ-law decode table, index = code (ITU-T G.711 Table 2a; values as G.191 STL `ulaw_expand`).
    @usableFromInline
    static let muLawDecodeTable: [Int16] = (0..<256).map { code in
        // Codes are sent inverted; after inversion, bits 4–6 are the segment and bits 0–3 the step.
        let inverted = ~code & 0xFF
        let exponent = (inverted >> 4) & 0x07
        let mantissa = inverted & 0x0F
        // Decision value in 14-bit units: ((33 + 2·mantissa + 1)·2^exponent − 33), then × 4 (left-justify).
        let magnitude = (((mantissa << 1) + 33) << exponent) - 33
        let linear = magnitude << 2
        return Int16(code & 0x80 != 0 ? linear : -linear)
    }

    /// A-law decode table, index = code (ITU-T G.711 Table 1a; values as G.191 STL `alaw_expand`).
    @usableFromInline
    static let aLawDecodeTable: [Int16] = (0..<256).map { code in
        // Even bits are inverted on the line (XOR 0x55); bits 4–6 are the segment, bits 0–3 the step.
        let plain = (code ^ 0x55) & 0x7F
        let exponent = plain >> 4
        var mantissa = plain & 0x0F
        if exponent > 0 { mantissa += 16 }  // implicit leading one above segment 0
        // Middle of the quantization interval in 13-bit units, then × 8 (left-justify to 16 bits).
        var magnitude = (mantissa << 4) + 8
        if exponent > 1 { magnitude <<= exponent - 1 }
        return Int16(code & 0x80 != 0 ? magnitude : -magnitude)
    }
}
