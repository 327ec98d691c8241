/// Why a capture (or a part of one) could not be read.
///
/// One error type for the module: a `Code` saying what went wrong, the input's name, and where (byte offset
/// in the capture, as inflated when it was compressed; packet number) when that applies. Its description reads
/// `"<input>: <what>: expected …, found … at byte N (packet M)"`.
public struct CaptureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No bytes at all.
        case emptyInput
        /// The first bytes are not the magic of any supported container (pcap, pcapng, rtpdump).
        case notACapture
        /// The file ends inside its file header (pcap global header, pcapng SHB, rtpdump header).
        case truncatedHeader
        /// The file ends inside a packet record or block (a warning: the frames before it are kept).
        case truncatedRecord
        /// A record or block announces a size beyond the sanity bound (not allocated).
        case oversizedRecord
        /// A pcapng block is malformed (length not a multiple of 4, below 12, trailing length differs, …).
        case badBlock
        /// A container version this reader does not know.
        case unsupportedVersion
        /// A packet refers to a pcapng interface that was not described.
        case unknownInterface
        /// An rtpdump record is malformed.
        case badRecord
        /// An RTP header is malformed (RFC 3550 §5.1).
        case malformedRTP
        /// An RTP payload (RFC 4733 event, RFC 3389 comfort noise) is malformed.
        case malformedPayload
        /// A SIP message or SDP body could not be parsed.
        case malformedSIP

        /// A short phrase for the description.
        public var summary: String {
            switch self {
            case .emptyInput: "empty input"
            case .notACapture: "not a capture"
            case .truncatedHeader: "truncated file header"
            case .truncatedRecord: "truncated record"
            case .oversizedRecord: "oversized record"
            case .badBlock: "malformed pcapng block"
            case .unsupportedVersion: "unsupported version"
            case .unknownInterface: "unknown interface"
            case .badRecord: "malformed record"
            case .malformedRTP: "malformed RTP packet"
            case .malformedPayload: "malformed RTP payload"
            case .malformedSIP: "malformed SIP message"
            }
        }
    }

    public var code: Code
    /// The input's name (file name or S3 key) as given to the reader; empty for packet-level parsers.
    public var input: String
    /// What the reader expected.
    public var expected: String
    /// What it found instead.
    public var found: String
    /// Byte offset in the capture.
    public var byteOffset: Int?
    /// The 1-based packet (record) number, when the problem is inside a packet.
    public var packetNumber: Int?

    public init(
        _ code: Code,
        input: String = "",
        expected: String,
        found: String,
        byteOffset: Int? = nil,
        packetNumber: Int? = nil
    ) {
        self.code = code
        self.input = input
        self.expected = expected
        self.found = found
        self.byteOffset = byteOffset
        self.packetNumber = packetNumber
    }

    /// What went wrong and where, without the input's name: `truncated record: expected …, found … at byte 24`.
    public var detail: String {
        var text = "\(code.summary): expected \(expected), found \(found)"
        if let byteOffset { text += " at byte \(byteOffset)" }
        if let packetNumber { text += " (packet \(packetNumber))" }
        return text
    }

    public var description: String { input.isEmpty ? detail : "\(input): \(detail)" }
}
