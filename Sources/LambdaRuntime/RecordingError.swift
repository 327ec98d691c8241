/// Why a recording, an invocation or the function's start failed, and the Lambda error type it is reported as
/// (SPEC §6.5). The recording handler throws it; the runtime loop turns it into the Runtime API's error body, an
/// SQS batch item failure or an S3 Batch Operations result code.
public struct RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error types the function reports (`errorType` in the Runtime API error body).
    public enum Code: String, Sendable, CaseIterable {
        /// Not a capture, no RTP, no supported codec. Permanent: retrying gives the same answer.
        case invalidCapture = "InvalidCapture"
        /// The source object is missing, access is denied, or it could not be read.
        case sourceUnavailable = "SourceUnavailable"
        /// Writing the recording or its report failed after retries.
        case outputFailed = "OutputFailed"
        /// The invocation's deadline came before the work was done; the work was stopped cleanly.
        case deadlineExceeded = "DeadlineExceeded"
        /// The environment is invalid: reported as an init error, and the process exits.
        case configInvalid = "ConfigInvalid"
        /// The invocation payload is not an event this function understands. Permanent.
        case invalidEvent = "InvalidEvent"
        /// The Runtime API answered something the protocol does not allow (missing request id, bad status).
        case runtimeAPI = "RuntimeAPIError"
        /// Any other error thrown by the handler.
        case unhandled = "Unhandled"

        /// Whether retrying the same input can never succeed, unless the thrower says otherwise.
        public var isPermanentByDefault: Bool {
            switch self {
            case .invalidCapture, .invalidEvent: true
            case .sourceUnavailable, .outputFailed, .deadlineExceeded, .configInvalid, .runtimeAPI, .unhandled: false
            }
        }
    }

    public var code: Code
    /// What was expected and what was found. Never holds a credential.
    public var message: String
    /// The object concerned, when there is one.
    public var bucket: String?
    public var key: String?
    /// The environment variable concerned, for `configInvalid`.
    public var variable: String?
    /// Whether a retry of the same input cannot succeed. S3 Batch Operations reports `PermanentFailure` for these
    /// and `TemporaryFailure` for the rest. A handler sets it for a `SourceUnavailable` that is final (NoSuchKey).
    public var isPermanent: Bool

    public init(
        _ code: Code,
        _ message: String,
        bucket: String? = nil,
        key: String? = nil,
        variable: String? = nil,
        permanent: Bool? = nil
    ) {
        self.code = code
        self.message = message
        self.bucket = bucket
        self.key = key
        self.variable = variable
        self.isPermanent = permanent ?? code.isPermanentByDefault
    }

    /// The Runtime API `errorType`.
    public var errorType: String { code.rawValue }

    /// `InvalidCapture: no RTP packets found (s3://bucket/key)`.
    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let bucket, let key {
            text += " (s3://\(bucket)/\(key))"
        } else if let key {
            text += " (\(key))"
        }
        return text
    }
}
