// Bounds are checked by the callers once per header; these only assemble integers.
extension [UInt8] {
    @inline(__always)
    func be16(_ offset: Int) -> UInt16 { UInt16(self[offset]) << 8 | UInt16(self[offset + 1]) }

    @inline(__always)
    func le16(_ offset: Int) -> UInt16 { UInt16(self[offset + 1]) << 8 | UInt16(self[offset]) }

    @inline(__always)
    func be32(_ offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8
            | UInt32(self[offset + 3])
    }

    @inline(__always)
    func le32(_ offset: Int) -> UInt32 {
        UInt32(self[offset + 3]) << 24 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 1]) << 8
            | UInt32(self[offset])
    }

    @inline(__always)
    func u16(_ offset: Int, bigEndian: Bool) -> UInt16 { bigEndian ? be16(offset) : le16(offset) }

    @inline(__always)
    func u32(_ offset: Int, bigEndian: Bool) -> UInt32 { bigEndian ? be32(offset) : le32(offset) }

    @inline(__always)
    func u64(_ offset: Int, bigEndian: Bool) -> UInt64 {
        let first = UInt64(u32(offset, bigEndian: bigEndian))
        let second = UInt64(u32(offset + 4, bigEndian: bigEndian))
        return bigEndian ? first << 32 | second : second << 32 | first
    }

    /// The bytes at `offset` as hex, for error messages (`"d4 c3 b2 a1"`).
    func hex(_ offset: Int, count: Int) -> String {
        let end = Swift.min(self.count, offset + count)
        guard offset < end else { return "nothing" }
        return self[offset..<end].map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined(separator: " ")
    }
}

/// `0x%08x` without Foundation.
func hex32(_ value: UInt32) -> String {
    let text = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: Swift.max(0, 8 - text.count)) + text
}
