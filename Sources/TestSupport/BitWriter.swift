/// LSB-first bit packing (RFC 1951 §3.1.1).
public struct BitWriter: Sendable {
    public internal(set) var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0

    public init() {}

    public mutating func write(_ value: Int, bits: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += bits
        while count >= 8 {
            bytes.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            count -= 8
        }
    }

    /// Huffman codes go MSB-first.
    public mutating func writeCode(_ code: Int, length: Int) {
        var reversed = 0
        for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
        write(reversed, bits: length)
    }

    public mutating func alignToByte() {
        if count > 0 { write(0, bits: 8 - count) }
    }

    /// Pads to a whole byte and returns the stream.
    public mutating func finish() -> [UInt8] {
        alignToByte()
        return bytes
    }

    /// RFC 1951 §3.2.6 fixed literal/length codes.
    mutating func writeLiteral(_ symbol: Int) {
        switch symbol {
        case 0...143: writeCode(0x30 + symbol, length: 8)
        case 144...255: writeCode(0x190 + symbol - 144, length: 9)
        case 256...279: writeCode(symbol - 256, length: 7)
        default: writeCode(0xC0 + symbol - 280, length: 8)
        }
    }

    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    mutating func writeLength(_ length: Int) {
        let index = length == 258 ? 28 : (Self.lengthBase.lastIndex { $0 <= length } ?? 0)
        writeLiteral(257 + index)
        write(length - Self.lengthBase[index], bits: Self.lengthExtra[index])
    }

    mutating func writeDistance(_ distance: Int) {
        let index = Self.distanceBase.lastIndex { $0 <= distance } ?? 0
        writeCode(index, length: 5)
        write(distance - Self.distanceBase[index], bits: Self.distanceExtra[index])
    }
}
