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

/// The objects an event names, and the records it holds that are not for this function.
public struct EventContents: Sendable, Equatable {
    public var refs: [ObjectRef]
    /// Records ignored on purpose (test events, deletions, restores), each with the reason logged.
    public var ignored: [IgnoredRecord]

    public init(refs: [ObjectRef] = [], ignored: [IgnoredRecord] = []) {
        self.refs = refs
        self.ignored = ignored
    }

    mutating func append(_ other: EventContents) {
        refs += other.refs
        ignored += other.ignored
    }
}

/// A record that is not a new object: logged and skipped, never an error.
public struct IgnoredRecord: Sendable, Equatable {
    /// The event name or type (`s3:TestEvent`, `ObjectRemoved:Delete`, `Object Deleted`).
    public var event: String
    /// The object it named, when it named one (key decoded).
    public var bucket: String?
    public var key: String?

    public init(event: String, bucket: String? = nil, key: String? = nil) {
        self.event = event
        self.bucket = bucket
        self.key = key
    }
}

/// One SQS message of a batch.
public struct SQSMessage: Sendable, Equatable {
    /// The `messageId`, returned as `itemIdentifier` when the message failed.
    public var messageId: String
    /// What the body holds, or why it could not be understood (the message is then reported failed, so it ends
    /// in the queue's dead-letter queue instead of being lost).
    public var contents: Result<EventContents, RecordingError>

    public init(messageId: String, contents: Result<EventContents, RecordingError>) {
        self.messageId = messageId
        self.contents = contents
    }
}

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

/// One task of a batch job: one object.
public struct BatchOperationsTask: Sendable, Equatable {
    public var taskId: String
    /// The object, or why the task names none (reported `PermanentFailure`).
    public var ref: Result<ObjectRef, RecordingError>

    public init(taskId: String, ref: Result<ObjectRef, RecordingError>) {
        self.taskId = taskId
        self.ref = ref
    }
}
