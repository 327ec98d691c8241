/// The partial batch response of an SQS event source mapping (Lambda Developer Guide, "Handling errors for an
/// SQS event source": needs `FunctionResponseTypes: [ReportBatchItemFailures]` on the mapping).
public struct SQSBatchResponse: Sendable, Equatable, Codable {
    public struct ItemFailure: Sendable, Equatable, Codable {
        public var itemIdentifier: String
    }

    public var batchItemFailures: [ItemFailure]
}
