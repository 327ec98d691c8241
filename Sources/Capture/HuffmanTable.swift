/// A canonical Huffman code (RFC 1951 §3.2.2) as a single lookup table indexed by the next `maxLength` input
/// bits (bit-reversed, as deflate sends codes MSB-first inside an LSB-first stream).
struct HuffmanTable: Sendable {
    /// `symbol << 4 | codeLength`; 0 where no code matches (an incomplete code).
    private(set) var entries: [UInt16]
    private(set) var maxLength: Int

    /// Builds the table; nil when the lengths over-subscribe the code space (not a prefix code).
    /// Incomplete codes are accepted (RFC 1951 allows a single distance code); unused entries stay invalid.
    init?(lengths: [UInt8]) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths where length > 0 { counts[Int(length)] += 1 }
        var left = 1
        for length in 1...15 {
            left = left << 1 - counts[length]
            if left < 0 { return nil }
        }
        let maxLength = max(1, lengths.max().map(Int.init) ?? 1)
        // First code of each length (RFC 1951 §3.2.2 step 2).
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        var entries = [UInt16](repeating: 0, count: 1 << maxLength)
        for (symbol, lengthByte) in lengths.enumerated() where lengthByte > 0 {
            let length = Int(lengthByte)
            let assigned = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for bit in 0..<length where assigned & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            let entry = UInt16(symbol << 4 | length)
            var index = reversed
            while index < entries.count {
                entries[index] = entry
                index += 1 << length
            }
        }
        self.entries = entries
        self.maxLength = maxLength
    }

    /// RFC 1951 §3.2.6 fixed literal/length code.
    static let fixedLiterals: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        return HuffmanTable(lengths: lengths)!
    }()

    /// RFC 1951 §3.2.6 fixed distance code (5-bit codes, 30 and 31 never occur).
    static let fixedDistances = HuffmanTable(lengths: [UInt8](repeating: 5, count: 30))!

    enum Decoded {
        case symbol(Int)
        case needInput
        case invalid
    }

    /// Decodes one symbol, consuming its bits.
    @inline(__always)
    func decode(_ input: inout BitInput) -> Decoded {
        input.fill(upTo: maxLength)
        let entry = entries[Int(input.peek(maxLength))]
        let length = Int(entry & 15)
        if entry == 0 {
            // With fewer than maxLength bits buffered the zero-filled peek proves nothing: wait for input.
            return input.bitCount >= maxLength ? .invalid : .needInput
        }
        if length > input.bitCount { return .needInput }
        _ = input.take(length)
        return .symbol(Int(entry >> 4))
    }
}
