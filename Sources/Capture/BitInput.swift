/// Compressed bytes waiting to be decoded, read LSB-first as RFC 1951 §3.1.1 packs them.
///
/// Decoding is resumable by rollback: a decoder takes a `Mark` before an atomic unit (a block header, one
/// literal/length+distance pair) and restores it when the input runs out, to retry once more bytes arrive.
struct BitInput {
    private(set) var bytes: [UInt8] = []
    /// The next byte to load into the bit buffer.
    private(set) var position = 0
    private(set) var bitBuffer: UInt64 = 0
    private(set) var bitCount = 0
    /// Bytes dropped from the front by compaction, so offsets stay absolute.
    private(set) var discarded = 0
    /// True once the producer said no more bytes will come.
    var isEnded = false

    struct Mark {
        var position: Int
        var bitBuffer: UInt64
        var bitCount: Int
    }

    /// Absolute offset (in the compressed stream) of the next unread whole byte.
    var offset: Int { discarded + position - bitCount / 8 }

    /// Bytes not yet consumed (counting whole bytes still in the bit buffer).
    var availableBytes: Int { bytes.count - position + bitCount / 8 }

    var mark: Mark { Mark(position: position, bitBuffer: bitBuffer, bitCount: bitCount) }

    mutating func restore(_ mark: Mark) {
        position = mark.position
        bitBuffer = mark.bitBuffer
        bitCount = mark.bitCount
    }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        compact()
        bytes.append(contentsOf: chunk)
    }

    mutating func append(_ chunk: [UInt8]) {
        compact()
        bytes.append(contentsOf: chunk)
    }

    /// Drops consumed bytes once they are a large part of the buffer (amortised O(1) per byte).
    private mutating func compact() {
        // Keep 8 bytes behind `position`: `unreadWholeBytes` may step back over the bit buffer.
        let drop = position - 8
        guard drop > 65_536, drop * 2 > bytes.count else { return }
        bytes.removeFirst(drop)
        position -= drop
        discarded += drop
    }

    /// Loads bytes until at least `count` bits (≤ 56) are buffered; false when the input runs out first.
    @inline(__always)
    mutating func need(_ count: Int) -> Bool {
        while bitCount < count {
            guard position < bytes.count else { return false }
            bitBuffer |= UInt64(bytes[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
        return true
    }

    /// Loads as many bits as possible up to `count`.
    @inline(__always)
    mutating func fill(upTo count: Int) {
        _ = need(count)
    }

    /// The low `count` bits without consuming them (zeros above `bitCount`).
    @inline(__always)
    func peek(_ count: Int) -> UInt32 { UInt32(truncatingIfNeeded: bitBuffer & ((1 << UInt64(count)) - 1)) }

    /// Consumes `count` bits that `need` made available.
    @inline(__always)
    mutating func take(_ count: Int) -> UInt32 {
        let value = peek(count)
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    /// Drops the bits up to the next byte boundary (RFC 1951 §3.2.4, stored blocks).
    mutating func alignToByte() {
        _ = take(bitCount % 8)
    }

    /// After alignment, returns whole bytes held in the bit buffer to the byte stream.
    mutating func unreadWholeBytes() {
        alignToByte()
        position -= bitCount / 8
        bitBuffer = 0
        bitCount = 0
    }

    /// Reads one byte at a byte boundary (after `unreadWholeBytes`).
    mutating func readByte() -> UInt8? {
        guard bitCount == 0, position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    /// The byte `ahead` bytes after the read position (byte-aligned reading only).
    func byte(ahead: Int) -> UInt8? {
        let index = position + ahead
        return bitCount == 0 && index < bytes.count ? bytes[index] : nil
    }

    /// Consumes `count` bytes at a byte boundary.
    mutating func skipBytes(_ count: Int) {
        position = min(bytes.count, position + count)
    }

    /// Copies up to `count` bytes at a byte boundary.
    mutating func readBytes(_ count: Int) -> ArraySlice<UInt8> {
        let end = min(bytes.count, position + count)
        defer { position = end }
        return bytes[position..<end]
    }
}
