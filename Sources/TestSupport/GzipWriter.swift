import Capture

/// Writes gzip files (RFC 1952) around deflate data (RFC 1951) made with stored blocks or fixed Huffman codes
/// and a simple LZ77 matcher: inputs for the inflater and the capture path whose every block is known, not a rival
/// to gzip(1).
public enum GzipWriter {
    public enum Strategy: Sendable, Hashable {
        /// Stored (uncompressed) blocks of at most `blockSize` bytes.
        case stored(blockSize: Int = 65_535)
        /// One fixed-Huffman block with LZ77 matches (3–258 bytes, distances up to 32 KiB).
        case fixedHuffman
    }

    /// Optional header fields (RFC 1952 §2.3.1).
    public struct Header: Sendable, Hashable {
        public var fileName: String?
        public var comment: String?
        public var extra: [UInt8]?
        /// Adds FHCRC, the low 16 bits of the header's CRC-32.
        public var headerCRC: Bool

        public init(fileName: String? = nil, comment: String? = nil, extra: [UInt8]? = nil, headerCRC: Bool = false) {
            self.fileName = fileName
            self.comment = comment
            self.extra = extra
            self.headerCRC = headerCRC
        }
    }

    /// One gzip member holding `data`.
    public static func compress(
        _ data: [UInt8],
        strategy: Strategy = .fixedHuffman,
        header: Header = Header()
    ) -> [UInt8] {
        var flags: UInt8 = 0
        if header.headerCRC { flags |= 0x02 }
        if header.extra != nil { flags |= 0x04 }
        if header.fileName != nil { flags |= 0x08 }
        if header.comment != nil { flags |= 0x10 }
        var output: [UInt8] = [0x1F, 0x8B, 8, flags, 0, 0, 0, 0, 0, 255]
        if let extra = header.extra { output += PacketBuilder.le16(UInt16(extra.count)) + extra }
        if let name = header.fileName { output += Array(name.utf8) + [0] }
        if let comment = header.comment { output += Array(comment.utf8) + [0] }
        if header.headerCRC { output += PacketBuilder.le16(UInt16(truncatingIfNeeded: CRC32.checksum(output))) }
        output += deflate(data, strategy: strategy)
        output += PacketBuilder.le32(CRC32.checksum(data)) + PacketBuilder.le32(UInt32(truncatingIfNeeded: data.count))
        return output
    }

    /// A gzip member of `size` zero bytes written as one literal and runs of length-258 matches (about 160:1
    /// with fixed codes), built directly so a multi-megabyte bomb costs nothing to make.
    public static func zeros(size: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, bits: 1)
        writer.write(1, bits: 2)
        var remaining = size
        if remaining > 0 {
            writer.writeLiteral(0)
            remaining -= 1
        }
        while remaining >= 258 {
            writer.writeLength(258)
            writer.writeDistance(1)
            remaining -= 258
        }
        while remaining > 0 {
            writer.writeLiteral(0)
            remaining -= 1
        }
        writer.writeLiteral(256)
        writer.alignToByte()
        var crc = CRC32()
        var left = size
        let block = [UInt8](repeating: 0, count: 65_536)
        while left > 0 {
            crc.update(block[0..<min(left, block.count)])
            left -= min(left, block.count)
        }
        return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255] + writer.bytes + PacketBuilder.le32(crc.value)
            + PacketBuilder.le32(UInt32(truncatingIfNeeded: size))
    }

    /// Raw deflate data.
    public static func deflate(_ data: [UInt8], strategy: Strategy) -> [UInt8] {
        var writer = BitWriter()
        switch strategy {
        case .stored(let blockSize):
            var offset = 0
            repeat {
                let end = min(data.count, offset + max(1, min(blockSize, 65_535)))
                writer.write(end == data.count ? 1 : 0, bits: 1)
                writer.write(0, bits: 2)
                writer.alignToByte()
                let length = UInt16(end - offset)
                writer.bytes += PacketBuilder.le16(length) + PacketBuilder.le16(~length)
                writer.bytes += data[offset..<end]
                offset = end
            } while offset < data.count
        case .fixedHuffman:
            writer.write(1, bits: 1)
            writer.write(1, bits: 2)
            var head = [Int](repeating: -1, count: 1 << 15)
            var index = 0
            func hash(_ at: Int) -> Int {
                (Int(data[at]) << 10 ^ Int(data[at + 1]) << 5 ^ Int(data[at + 2])) & 0x7FFF
            }
            while index < data.count {
                var matchLength = 0
                var matchDistance = 0
                if index + 3 <= data.count {
                    let key = hash(index)
                    let candidate = head[key]
                    head[key] = index
                    if candidate >= 0 && index - candidate <= 32_768 {
                        var length = 0
                        while length < 258 && index + length < data.count
                            && data[candidate + length] == data[index + length]
                        {
                            length += 1
                        }
                        if length >= 3 {
                            matchLength = length
                            matchDistance = index - candidate
                        }
                    }
                }
                if matchLength >= 3 {
                    writer.writeLength(matchLength)
                    writer.writeDistance(matchDistance)
                    for position in (index + 1)..<(index + matchLength) where position + 3 <= data.count {
                        head[hash(position)] = position
                    }
                    index += matchLength
                } else {
                    writer.writeLiteral(Int(data[index]))
                    index += 1
                }
            }
            writer.writeLiteral(256)
            writer.alignToByte()
        }
        return writer.bytes
    }
}
