/// The answer to a plain event (S3, SNS, EventBridge, direct invoke) when every object succeeded or was skipped.
public struct InvocationSummary: Sendable, Equatable, Codable {
    public struct Recording: Sendable, Equatable, Codable {
        public var bucket: String
        public var key: String
        public var outputBucket: String
        public var outputKeys: [String]
        public var audioSeconds: Double
        public var transcodeMs: Double
    }

    public struct Skipped: Sendable, Equatable, Codable {
        public var bucket: String
        public var key: String
        public var reason: String
    }

    public struct Ignored: Sendable, Equatable, Codable {
        public var event: String
        public var bucket: String?
        public var key: String?
    }

    public var recordings: [Recording]
    public var skipped: [Skipped]
    public var ignored: [Ignored]
}

/// The partial batch response of an SQS event source mapping (Lambda Developer Guide, "Handling errors for an
/// SQS event source": needs `FunctionResponseTypes: [ReportBatchItemFailures]` on the mapping).
public struct SQSBatchResponse: Sendable, Equatable, Codable {
    public struct ItemFailure: Sendable, Equatable, Codable {
        public var itemIdentifier: String
    }

    public var batchItemFailures: [ItemFailure]
}

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
