/// What an invocation asks for, decoded from its payload (SPEC §6.2). The shape decides how the function
/// answers: a summary (or an error) for plain events, `batchItemFailures` for SQS, `results` for S3 Batch
/// Operations.
public enum LambdaEvent: Sendable, Equatable {
    /// An S3 notification, an SNS notification carrying one, an EventBridge `Object Created` event, a direct
    /// invoke, or an `s3:TestEvent`. The function answers with a summary, or posts an error if any object failed.
    case objects(EventSource, EventContents)
    /// An SQS batch whose messages carry S3 (or SNS-wrapped S3, or EventBridge) events. The function answers
    /// with the ids of the messages that failed, so only those are retried.
    case sqs([SQSMessage])
    /// An S3 Batch Operations job invocation (schema 1.0 or 2.0).
    case batchOperations(BatchOperationsJob)

    /// Where a plain event came from, for logs and the summary.
    public enum EventSource: String, Sendable, Equatable {
        case s3 = "aws:s3"
        case sns = "aws:sns"
        case eventBridge = "aws.events"
        case direct
        case s3TestEvent = "s3:TestEvent"
    }
}
