/// Reads a payload's bits most significant bit first, as RTP payload formats pack them (RFC 4867 §4.3, the Speex
/// bit-stream of RFC 5574). Every read checks the bits remain; none traps.
struct BitReader {
    let bytes: UnsafeRawBufferPointer
    /// The next bit to read, counted from the most significant bit of the first byte.
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Bits not yet read.
    var remaining: Int { bytes.count * 8 - position }

    /// The next `count` bits (at most 32) as an unsigned value, without consuming them; nil if fewer remain.
    func peek(_ count: Int) -> UInt32? {
        guard count <= 32, count <= remaining else { return nil }
        var value: UInt32 = 0
        var bit = position
        var left = count
        while left > 0 {
            // Take as many bits as the current byte still holds.
            let offset = bit & 7
            let take = min(8 - offset, left)
            let byte = UInt32(bytes[bit >> 3])
            let chunk = (byte >> UInt32(8 - offset - take)) & ((1 << UInt32(take)) - 1)
            value = value << UInt32(take) | chunk
            bit += take
            left -= take
        }
        return value
    }

    /// Reads the next `count` bits (at most 32); nil, consuming nothing, if fewer remain.
    mutating func read(_ count: Int) -> UInt32? {
        guard let value = peek(count) else { return nil }
        position += count
        return value
    }

    /// Skips `count` bits; false, skipping nothing, if fewer remain.
    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= remaining else { return false }
        position += count
        return true
    }

    /// Appends the next `count` bits to `output` most significant bit first, zero-padded to whole bytes, and
    /// consumes them; false, appending nothing, if fewer remain.
    mutating func copy(_ count: Int, appendingTo output: inout [UInt8]) -> Bool {
        guard count >= 0, count <= remaining else { return false }
        var left = count
        while left >= 8 {
            output.append(UInt8(truncatingIfNeeded: peek(8) ?? 0))
            position += 8
            left -= 8
        }
        if left > 0 {
            output.append(UInt8(truncatingIfNeeded: (peek(left) ?? 0) << UInt32(8 - left)))
            position += left
        }
        return true
    }
}
