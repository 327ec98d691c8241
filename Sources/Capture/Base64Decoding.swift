/// Base64 decoding (RFC 4648 §4) for key material: validated first, then written straight where it is kept, so
/// secrets are not copied through intermediate arrays.
package enum Base64Decoding {
    /// The value of a base64 alphabet byte, or nil.
    @inline(__always)
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    /// The number of bytes `text` decodes to, or nil when it is not base64: only alphabet characters, then at
    /// most two `=` that complete the last group (padding may also be left out, as some SDES writers do), and no
    /// group of a single character. Set bits in the unused low bits of the last character are tolerated.
    package static func decodedLength(_ text: some Collection<UInt8>) -> Int? {
        var characters = 0
        var padding = 0
        for byte in text {
            if byte == UInt8(ascii: "=") {
                padding += 1
                guard padding <= 2 else { return nil }
            } else {
                guard padding == 0, value(byte) != nil else { return nil }
                characters += 1
            }
        }
        let remainder = characters % 4
        guard remainder != 1 else { return nil }
        if padding > 0 { guard (characters + padding) % 4 == 0, remainder != 0 else { return nil } }
        return characters / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
    }

    /// Decodes validated text (``decodedLength(_:)`` was not nil) into `output`, which holds exactly that many
    /// bytes.
    package static func decode(_ text: some Collection<UInt8>, into output: UnsafeMutableRawBufferPointer) {
        var accumulator: UInt32 = 0
        var bits = 0
        var index = 0
        for byte in text {
            guard let sextet = value(byte) else { break }
            accumulator = accumulator << 6 | UInt32(sextet)
            bits += 6
            if bits >= 8 {
                bits -= 8
                if index < output.count {
                    output[index] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                    index += 1
                }
            }
        }
        accumulator = 0
    }

    /// Decodes base64 into an array (for non-secret data and tests); nil when it is not base64.
    package static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard let length = decodedLength(text) else { return nil }
        var bytes = [UInt8](repeating: 0, count: length)
        bytes.withUnsafeMutableBytes { decode(text, into: $0) }
        return bytes
    }
}
