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
