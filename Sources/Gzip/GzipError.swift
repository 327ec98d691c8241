/// Why a gzip stream could not be inflated, or (as a warning) what was odd about one that could: the input's name,
/// what went wrong in zlib's words, and the offset in the compressed stream.
package struct GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Code: String, Sendable, Hashable {
        /// Data zlib refused, in its words (`reason`): a member header (method, flags, header CRC; RFC 1952
        /// §2.3), deflate data (a bad block type or code lengths, a distance too far back; RFC 1951), or a member's
        /// CRC-32 or ISIZE that does not match its data (RFC 1952 §2.3.1).
        case data
        /// The input ended inside a member (a warning: what was inflated is kept).
        case truncated
        /// Bytes after the last member that do not start another one (a warning, as gzip(1) warns "trailing
        /// garbage ignored").
        case trailingData
        /// More output than the limits allow: a gzip bomb, or limits set too low.
        case limitExceeded
        /// zlib could not get memory, or refused its own set-up.
        case resources

        /// A short phrase for the description.
        package var summary: String {
            switch self {
            case .data: "malformed gzip data"
            case .truncated: "truncated gzip stream"
            case .trailingData: "data after the last gzip member"
            case .limitExceeded: "decompression limit exceeded"
            case .resources: "zlib failed"
            }
        }
    }

    package var code: Code
    /// The input's name (a path or an S3 key).
    package var input: String
    /// What was wrong: zlib's message, or what was expected and found.
    package var reason: String
    /// Offset in the compressed stream where it was found.
    package var byteOffset: Int

    package init(_ code: Code, input: String, reason: String, byteOffset: Int) {
        self.code = code
        self.input = input
        self.reason = reason
        self.byteOffset = byteOffset
    }

    /// `malformed deflate data: invalid distance too far back at byte 1234`, without the input's name.
    package var detail: String { "\(code.summary): \(reason) at byte \(byteOffset)" }

    package var description: String { input.isEmpty ? detail : "\(input): \(detail)" }
}
