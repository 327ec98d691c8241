/// An RTP header extension (RFC 3550 §5.3.1), with its elements parsed for the RFC 8285 one-byte (0xBEDE)
/// and two-byte (0x100X) forms; other profiles keep only the raw data.
public struct RTPHeaderExtension: Sendable, Hashable {
    /// One RFC 8285 extension element.
    public struct Element: Sendable, Hashable {
        /// The local identifier (1–14 one-byte, 1–255 two-byte).
        public var id: UInt8
        public var data: ArraySlice<UInt8>
    }

    /// The 16-bit "defined by profile" field.
    public var profile: UInt16
    /// The extension data (length × 4 bytes) after the 4-byte extension header.
    public var data: ArraySlice<UInt8>
    /// RFC 8285 elements, in order (padding skipped); empty for other profiles.
    public var elements: [Element]

    /// True for the RFC 8285 §4.2 one-byte form.
    public var isOneByte: Bool { profile == 0xBEDE }
    /// True for the RFC 8285 §4.3 two-byte form (0x100 in the top 12 bits, "appbits" in the low 4).
    public var isTwoByte: Bool { profile & 0xFFF0 == 0x1000 }

    init(profile: UInt16, data: ArraySlice<UInt8>) {
        self.profile = profile
        self.data = data
        elements = []
        if isOneByte {
            parseOneByte()
        } else if isTwoByte {
            parseTwoByte()
        }
    }

    /// RFC 8285 §4.2: ID (4 bits) and L (4 bits, length − 1); ID 0 is a padding byte, ID 15 stops parsing.
    /// A malformed element ends parsing (RFC 8285 §4.1: ignore what cannot be understood).
    private mutating func parseOneByte() {
        var cursor = data.startIndex
        while cursor < data.endIndex {
            let id = data[cursor] >> 4
            if id == 0 {
                cursor += 1
                continue
            }
            if id == 15 { return }
            let length = Int(data[cursor] & 0x0F) + 1
            guard cursor + 1 + length <= data.endIndex else { return }
            elements.append(Element(id: id, data: data[(cursor + 1)..<(cursor + 1 + length)]))
            cursor += 1 + length
        }
    }

    /// RFC 8285 §4.3: ID byte, length byte (0–255), data; ID 0 is a padding byte.
    private mutating func parseTwoByte() {
        var cursor = data.startIndex
        while cursor < data.endIndex {
            let id = data[cursor]
            if id == 0 {
                cursor += 1
                continue
            }
            guard cursor + 2 <= data.endIndex else { return }
            let length = Int(data[cursor + 1])
            guard cursor + 2 + length <= data.endIndex else { return }
            elements.append(Element(id: id, data: data[(cursor + 2)..<(cursor + 2 + length)]))
            cursor += 2 + length
        }
    }
}
