/// The answer S3 Batch Operations expects (S3 User Guide, "Invoke AWS Lambda function", response fields).
public struct BatchOperationsResponse: Sendable, Equatable, Codable {
    public enum ResultCode: String, Sendable, Equatable, Codable {
        case succeeded = "Succeeded"
        /// Batch Operations retries the task.
        case temporaryFailure = "TemporaryFailure"
        case permanentFailure = "PermanentFailure"
    }

    public struct Result: Sendable, Equatable, Codable {
        public var taskId: String
        public var resultCode: ResultCode
        /// Written to the job's completion report: the output key, or the error.
        public var resultString: String
    }

    public var invocationSchemaVersion: String
    /// A task missing from `results` is a failure, never a silent success.
    public var treatMissingKeysAs: ResultCode
    public var invocationId: String
    public var results: [Result]
}
