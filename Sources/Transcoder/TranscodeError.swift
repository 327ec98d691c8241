/// Why a capture could not become a recording. One type for the pipeline: the CLI maps `code` to its exit
/// status (SPEC §5), the Lambda function to its error type (SPEC §6.5).
public struct TranscodeError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not a capture, or a capture damaged where it cannot be read.
        case invalidCapture
        /// A readable capture with no RTP in it.
        case noRTP
        /// RTP, but no stream of a supported audio codec (the reasons per stream are in the message).
        case noAudio
        /// The `--call N` asked for is not in the capture.
        case noSuchCall
        /// Settings that cannot work together (e.g. a bitrate LAME does not offer at this rate).
        case invalidSettings
        /// The encoder failed.
        case encoderFailed
        /// Reading the input or writing the output failed.
        case io
        /// The work would not finish before the deadline.
        case deadlineExceeded
    }

    public var code: Code
    /// The input's name (path or `s3://bucket/key`).
    public var input: String
    /// What went wrong, with the byte offset or packet number where it applies.
    public var reason: String

    public init(_ code: Code, input: String, reason: String) {
        self.code = code
        self.input = input
        self.reason = reason
    }

    /// `<input>: <reason>`, the form of SPEC §5's one-line errors.
    public var description: String { "\(input): \(reason)" }

    /// True for errors of the input itself: retrying cannot help.
    public var isInvalidInput: Bool {
        switch code {
        case .invalidCapture, .noRTP, .noAudio, .noSuchCall: return true
        case .invalidSettings, .encoderFailed, .io, .deadlineExceeded: return false
        }
    }
}
