/// An S3 Batch Operations invocation (S3 User Guide, "Invoke AWS Lambda function", schema versions 1.0 and 2.0).
public struct BatchOperationsJob: Sendable, Equatable {
    /// Echoed in the answer.
    public var invocationSchemaVersion: String
    public var invocationId: String
    public var jobId: String?
    public var tasks: [BatchOperationsTask]

    public init(invocationSchemaVersion: String, invocationId: String, jobId: String?, tasks: [BatchOperationsTask]) {
        self.invocationSchemaVersion = invocationSchemaVersion
        self.invocationId = invocationId
        self.jobId = jobId
        self.tasks = tasks
    }
}
