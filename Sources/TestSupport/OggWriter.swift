/// Writes Ogg pages (RFC 3533) holding one packet each, for the files ffmpeg reads in the codec tests: Ogg Opus
/// (RFC 7845) and Ogg Speex (Speex manual, "Ogg file format"). See ``CodecStreamFile``.
public struct OggWriter {
    /// The file so far.
    public private(set) var bytes: [UInt8] = []
    /// The logical bitstream's serial number (RFC 3533 §6).
    public let serialNumber: UInt32
    private var pageSequence: UInt32 = 0

    public init(serialNumber: UInt32 = 0x7270_3233) {
        self.serialNumber = serialNumber
    }

    /// Appends a page holding `packet` whole, ending at `granulePosition` (the codec's position after the packet,
    /// RFC 3533 §6); the first page is marked beginning of stream, and `isLast` marks the end of stream.
    public mutating func appendPage(packet: [UInt8], granulePosition: Int64, isLast: Bool = false) {
        // Lacing values (RFC 3533 §5): 255 for each full 255-byte segment, then the remainder (0 when the packet is
        // a multiple of 255 long), which ends the packet. One page holds at most 255 lacing values.
        var lacing = [UInt8](repeating: 255, count: packet.count / 255)
        lacing.append(UInt8(packet.count % 255))
        precondition(lacing.count <= 255, "one packet per page: at most 64 770 bytes")
        var page: [UInt8] = Array("OggS".utf8)
        page.append(0)  // stream structure version 0
        page.append((pageSequence == 0 ? 0x02 : 0) | (isLast ? 0x04 : 0))  // header type: BOS, EOS
        page.append(contentsOf: Self.littleEndian(UInt64(bitPattern: granulePosition), bytes: 8))
        page.append(contentsOf: Self.littleEndian(UInt64(serialNumber), bytes: 4))
        page.append(contentsOf: Self.littleEndian(UInt64(pageSequence), bytes: 4))
        page.append(contentsOf: [0, 0, 0, 0])  // CRC, computed over the page with this field zero
        page.append(UInt8(lacing.count))
        page.append(contentsOf: lacing)
        page.append(contentsOf: packet)
        let crc = Self.crc32(page)
        page.replaceSubrange(22..<26, with: Self.littleEndian(UInt64(crc), bytes: 4))
        bytes.append(contentsOf: page)
        pageSequence += 1
    }

    /// The Ogg CRC-32 (RFC 3533 §6, "CRC checksum"): generator polynomial 0x04C11DB7, initial value 0, no reflection
    /// of input or output, no final XOR.
    public static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for byte in data {
            crc = (crc << 8) ^ crcTable[Int(UInt8(crc >> 24) ^ byte)]
        }
        return crc
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 {
            value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1
        }
        return value
    }

    static func littleEndian(_ value: UInt64, bytes count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
