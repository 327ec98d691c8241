/// How G.726 codewords are packed into octets: the two bit orders of RTP (RFC 3551 §4.5.4).
public enum G726Packing: Sendable, Hashable, CaseIterable {
    /// RFC 3551 §4.5.4 (`G726-32` and the others): codewords are packed from the least significant bit of each
    /// octet up, so the first codeword of a 32 kbit/s octet is its low nibble.
    case rfc3551
    /// ITU-T I.366.2 Annex E, the AAL2 order (`AAL2-G726-32` and the others, RFC 3551 §4.5.4): codewords are
    /// packed from the most significant bit down, so the first codeword of a 32 kbit/s octet is its high nibble.
    case aal2

    /// The codewords (one per element, in its low bits) packed in `bytes`; a trailing part of a codeword is
    /// dropped.
    public func unpack(_ bytes: UnsafeRawBufferPointer, bitsPerCodeword bits: Int) -> [UInt8] {
        precondition((2...8).contains(bits), "G726Packing: codewords are 2 to 8 bits")
        let count = bytes.count * 8 / bits
        var codes = [UInt8](repeating: 0, count: count)
        let mask = UInt32(1 << bits) - 1
        var buffer: UInt32 = 0
        var buffered = 0
        var next = 0
        for index in 0..<count {
            if buffered < bits {
                // Load one more octet: above the held bits (RFC 3551) or below them (AAL2).
                let octet = UInt32(bytes[next])
                next += 1
                buffer = self == .rfc3551 ? buffer | octet << UInt32(buffered) : buffer << 8 | octet
                buffered += 8
            }
            buffered -= bits
            if self == .rfc3551 {
                codes[index] = UInt8(truncatingIfNeeded: buffer & mask)
                buffer >>= UInt32(bits)
            } else {
                codes[index] = UInt8(truncatingIfNeeded: (buffer >> UInt32(buffered)) & mask)
                buffer &= (1 << UInt32(buffered)) - 1
            }
        }
        return codes
    }

    /// The codewords packed in `bytes` (a convenience for arrays).
    public func unpack(_ bytes: [UInt8], bitsPerCodeword bits: Int) -> [UInt8] {
        bytes.withUnsafeBytes { unpack($0, bitsPerCodeword: bits) }
    }

    /// Packs codewords (their low `bits` bits) into octets; a last partial octet is filled with zero bits.
    public func pack(_ codes: [UInt8], bitsPerCodeword bits: Int) -> [UInt8] {
        precondition((2...8).contains(bits), "G726Packing: codewords are 2 to 8 bits")
        var bytes: [UInt8] = []
        bytes.reserveCapacity((codes.count * bits + 7) / 8)
        let mask = UInt32(1 << bits) - 1
        var buffer: UInt32 = 0
        var buffered = 0
        for code in codes {
            let value = UInt32(code) & mask
            if self == .rfc3551 {
                buffer |= value << UInt32(buffered)
                buffered += bits
                while buffered >= 8 {
                    bytes.append(UInt8(truncatingIfNeeded: buffer))
                    buffer >>= 8
                    buffered -= 8
                }
            } else {
                buffer = buffer << UInt32(bits) | value
                buffered += bits
                while buffered >= 8 {
                    buffered -= 8
                    bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(buffered)))
                }
                buffer &= (1 << UInt32(buffered)) - 1
            }
        }
        if buffered > 0 {
            bytes.append(UInt8(truncatingIfNeeded: self == .rfc3551 ? buffer : buffer << UInt32(8 - buffered)))
        }
        return bytes
    }

    /// The same codewords repacked from this order into `target`'s.
    public func repack(_ bytes: UnsafeRawBufferPointer, bitsPerCodeword bits: Int, to target: G726Packing) -> [UInt8] {
        if target == self { return Array(bytes) }
        return target.pack(unpack(bytes, bitsPerCodeword: bits), bitsPerCodeword: bits)
    }
}
