/// Why a capture could not become a recording. One type for the pipeline: the CLI maps `code` to its exit
/// status (SPEC §5), the Lambda function `code` and `side` to its error type (SPEC §6.5). The error that caused it
/// (a `CaptureError`, an S3 or HTTP error, a `WAVWriterError`…) is kept in `underlying`, so callers decide on
/// types, never on the text.
public struct TranscodeError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not a capture, or a capture damaged where it cannot be read.
        case invalidCapture
        /// A readable capture with no RTP in it.
        case noRTP
        /// RTP, but no stream of a supported audio codec (the reasons per stream are in the message).
        case noAudio
        /// Nothing decodable but encrypted media no key decrypts (SPEC §2.4): the message names what showed it
        /// and how keys can be given.
        case encryptedMedia
        /// The `--call N` asked for is not in the capture.
        case noSuchCall
        /// Settings that cannot work together (e.g. a bitrate LAME does not offer at this rate).
        case invalidSettings
        /// The encoder failed.
        case encoderFailed
        /// Reading the input or writing the output failed (`side` says which).
        case io
        /// The work would not finish before the deadline.
        case deadlineExceeded

        /// The side a failure of this code is on unless the thrower says otherwise.
        var defaultSide: Side {
            switch self {
            case .invalidCapture, .noRTP, .noAudio, .encryptedMedia, .noSuchCall, .io, .deadlineExceeded: .input
            case .invalidSettings, .encoderFailed: .output
            }
        }
    }

    /// Which end of the pipeline failed: reading the capture (its source, its spool, its contents) or making and
    /// storing the outputs (the encoder, the staged files, their upload).
    public enum Side: String, Sendable {
        case input
        case output
    }

    public var code: Code
    public var side: Side
    /// What failed, for the message: the input's name (path or `s3://bucket/key`), or the output's.
    public var input: String
    /// What went wrong, with the byte offset or packet number where it applies.
    public var reason: String
    /// The error this one reports, when there is one.
    public var underlying: (any Error)?

    public init(
        _ code: Code,
        input: String,
        reason: String,
        side: Side? = nil,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.side = side ?? code.defaultSide
        self.input = input
        self.reason = reason
        self.underlying = underlying
    }

    /// `<input>: <reason>`, the form of SPEC §5's one-line errors.
    public var description: String { "\(input): \(reason)" }

    /// True for errors of the input itself: retrying cannot help.
    public var isInvalidInput: Bool {
        switch code {
        case .invalidCapture, .noRTP, .noAudio, .encryptedMedia, .noSuchCall: return true
        case .invalidSettings, .encoderFailed, .io, .deadlineExceeded: return false
        }
    }
}
