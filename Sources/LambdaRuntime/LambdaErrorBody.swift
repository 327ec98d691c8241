/// The error document of the Runtime API: `{"errorMessage","errorType","stackTrace":[]}`.
public struct LambdaErrorBody: Sendable, Equatable, Codable {
    public var errorMessage: String
    public var errorType: String
    public var stackTrace: [String]

    public init(errorMessage: String, errorType: String, stackTrace: [String] = []) {
        self.errorMessage = errorMessage
        self.errorType = errorType
        self.stackTrace = stackTrace
    }

    /// The body for a recording error, its message passed through `redactor`.
    public init(_ error: RecordingError, redactor: Redactor = Redactor()) {
        self.init(errorMessage: redactor.redact(error.description), errorType: error.errorType)
    }
}
