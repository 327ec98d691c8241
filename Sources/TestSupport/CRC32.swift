/// CRC-32 as gzip uses it, for the test gzip writer (RFC 1952 §8: polynomial 0xEDB88320 reflected, initial and final XOR 0xFFFFFFFF).
package struct CRC32: Sendable {
    package private(set) var value: UInt32 = 0

    package init() {}

    private static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    package mutating func update(_ bytes: some Sequence<UInt8>) {
        var crc = ~value
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        value = ~crc
    }

    package static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
