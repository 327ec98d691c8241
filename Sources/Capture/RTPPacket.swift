/// An RTP packet (RFC 3550 §5.1) parsed from a UDP payload. The payload is a slice of the input (no copy).
public struct RTPPacket: Sendable, Hashable {
    /// Always 2 for a parsed packet.
    public var version: UInt8
    public var hasPadding: Bool
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]
    public var headerExtension: RTPHeaderExtension?
    /// Padding bytes at the end (the last byte's value when `hasPadding`), excluded from `payload`.
    public var paddingLength: Int
    /// Where the payload sits in the parsed bytes.
    public var payloadRange: Range<Int>
    /// The payload (a slice of the parsed bytes).
    public var payload: ArraySlice<UInt8>

    /// Parses an RTP header; throws `.malformedRTP` saying what is wrong.
    ///
    /// `isTruncated` (a snaplen-cut datagram) skips the padding check: the padding count byte was not captured.
    public init(parsing bytes: [UInt8], isTruncated: Bool = false) throws(CaptureError) {
        func failure(_ expected: String, _ found: String) -> CaptureError {
            CaptureError(.malformedRTP, expected: expected, found: found)
        }
        guard bytes.count >= 12 else { throw failure("at least 12 bytes", "\(bytes.count)") }
        version = bytes[0] >> 6
        guard version == 2 else { throw failure("version 2", "version \(version)") }
        hasPadding = bytes[0] & 0x20 != 0
        let hasExtension = bytes[0] & 0x10 != 0
        let csrcCount = Int(bytes[0] & 0x0F)
        marker = bytes[1] & 0x80 != 0
        payloadType = bytes[1] & 0x7F
        sequenceNumber = bytes.be16(2)
        timestamp = bytes.be32(4)
        ssrc = bytes.be32(8)
        var cursor = 12
        guard bytes.count >= cursor + 4 * csrcCount else {
            throw failure("\(csrcCount) CSRC identifiers", "\(bytes.count - cursor) bytes after the fixed header")
        }
        csrcs = (0..<csrcCount).map { bytes.be32(12 + 4 * $0) }
        cursor += 4 * csrcCount
        headerExtension = nil
        if hasExtension {
            guard bytes.count >= cursor + 4 else { throw failure("a 4-byte extension header", "the end") }
            let profile = bytes.be16(cursor)
            let length = Int(bytes.be16(cursor + 2)) * 4
            guard bytes.count >= cursor + 4 + length else {
                throw failure("\(length) extension bytes", "\(bytes.count - cursor - 4)")
            }
            headerExtension = RTPHeaderExtension(profile: profile, data: bytes[(cursor + 4)..<(cursor + 4 + length)])
            cursor += 4 + length
        }
        var end = bytes.count
        paddingLength = 0
        if hasPadding && !isTruncated {
            // RFC 3550 §5.1: the last octet counts the padding, itself included.
            let count = Int(bytes[bytes.count - 1])
            guard count >= 1, count <= bytes.count - cursor else {
                throw failure("a padding count from 1 to \(bytes.count - cursor)", "\(count)")
            }
            paddingLength = count
            end -= count
        }
        payloadRange = cursor..<end
        payload = bytes[cursor..<end]
    }
}
