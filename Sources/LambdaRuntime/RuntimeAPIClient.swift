/// The Lambda Runtime API, as the runtime loop uses it. The bootstrap implements it over HTTP (libcurl) with the
/// requests `RuntimeAPIRequest` builds and the answers `RuntimeAPIResponse` checks; tests use a scripted fake.
public protocol RuntimeAPIClient {
    /// `GET …/runtime/invocation/next`: blocks (no timeout: it is a long poll) until an invocation arrives.
    func next() throws -> Invocation
    /// `POST …/runtime/invocation/{id}/response`.
    func respond(id: String, body: [UInt8]) throws
    /// `POST …/runtime/invocation/{id}/error`.
    func fail(id: String, error: LambdaErrorBody) throws
    /// `POST …/runtime/init/error`; the process exits afterwards.
    func initError(error: LambdaErrorBody) throws
}

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
