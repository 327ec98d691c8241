public import PayloadFormats

/// Builds RTP payloads in every payload format the product reads: the inverse of `PayloadFormats.Depacketizer`, so
/// tests can write synthetic calls in any codec and hand-build odd or hostile payloads.
///
/// Frame sizes are written here from the standards a second time (not taken from the depacketizer), so a round
/// trip also checks the depacketizer's tables.
public enum Packetizer {
    /// G.726 codewords (one per element) packed in the format's bit order (RFC 3551 §4.5.4).
    public static func g726(codewords: [UInt8], format: G726Format) -> [UInt8] {
        format.packing.pack(codewords, bitsPerCodeword: format.rate.bitsPerCodeword)
    }

    /// G.729 (RFC 3551 §4.5.6): 10-byte frames, then an optional 2-byte Annex B SID frame.
    public static func g729(frames: [[UInt8]], sid: [UInt8]? = nil) -> [UInt8] {
        precondition(frames.allSatisfy { $0.count == 10 } && (sid?.count ?? 2) == 2, "G.729 frames are 10 bytes")
        return frames.flatMap { $0 } + (sid ?? [])
    }

    /// GSM 06.10 (RFC 3551 §4.5.8): 33-byte frames.
    public static func gsm(frames: [[UInt8]]) -> [UInt8] {
        precondition(frames.allSatisfy { $0.count == 33 }, "GSM frames are 33 bytes")
        return frames.flatMap { $0 }
    }

    /// L16 (RFC 3551 §4.5.11): samples (channels interleaved) in network byte order.
    public static func l16(samples: [Int16]) -> [UInt8] {
        samples.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
    }

    /// A random G.729 frame, a GSM frame with its 0xD signature, and so on: frames of the right size with random
    /// contents.
    public static func randomFrame(bytes: Int, generator: inout SplitMix64) -> [UInt8] {
        (0..<bytes).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// A GSM frame of random bits with the signature nibble 0xD.
    public static func randomGSMFrame(generator: inout SplitMix64) -> [UInt8] {
        var frame = randomFrame(bytes: 33, generator: &generator)
        frame[0] = 0xD0 | frame[0] & 0x0F
        return frame
    }
}

/// Most-significant-bit-first bit packing, as RTP payload formats other than G.726's RFC 3551 order use.
public struct MSBBitWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Bits in the last byte (0 when it is full or there is none).
    public private(set) var pending = 0

    public init() {}

    /// The total number of bits written.
    public var bitCount: Int { bytes.count * 8 - (pending == 0 ? 0 : 8 - pending) }

    /// Writes the low `count` bits of `value`, most significant first.
    public mutating func write(_ value: UInt64, bits count: Int) {
        for index in stride(from: count - 1, through: 0, by: -1) {
            let bit = UInt8(truncatingIfNeeded: value >> UInt64(index)) & 1
            if pending == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= bit << UInt8(7 - pending)
            pending = (pending + 1) % 8
        }
    }

    /// Writes the first `count` bits of `source`, most significant bit of its first byte first.
    public mutating func write(bitsOf source: [UInt8], count: Int) {
        for index in 0..<count {
            write(UInt64(source[index / 8] >> UInt8(7 - index % 8) & 1), bits: 1)
        }
    }

    /// Fills the last byte with zero bits.
    public mutating func padWithZeros() {
        while pending != 0 { write(0, bits: 1) }
    }
}
