public import Logging

/// What a recording handler knows about the invocation it works for: ids, where to write, and how much time is
/// left. One is made per object; nothing in it outlives the invocation.
public struct InvocationContext: Sendable {
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`, epoch milliseconds.
    public var deadlineMilliseconds: Int64
    public var invokedFunctionARN: String
    public var traceID: String?
    /// Where this object's recording and report go.
    public var output: OutputLocation
    public var configuration: FunctionConfiguration
    /// Carries `aws.request_id`, `s3.bucket` and `s3.key` metadata.
    public var logger: Logger
    public var clock: any EpochClock
    /// Time kept in hand before the deadline to stop cleanly (abort a multipart upload, post the error).
    public var safetyMarginMilliseconds: Int64

    public init(
        requestID: String,
        deadlineMilliseconds: Int64,
        invokedFunctionARN: String,
        traceID: String?,
        output: OutputLocation,
        configuration: FunctionConfiguration,
        logger: Logger,
        clock: any EpochClock,
        safetyMarginMilliseconds: Int64
    ) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.output = output
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.safetyMarginMilliseconds = safetyMarginMilliseconds
    }

    /// Milliseconds until the deadline (negative once past it).
    public var remainingMilliseconds: Int64 {
        deadlineMilliseconds - clock.nowMilliseconds()
    }

    /// Time until the deadline.
    public var remaining: Duration {
        .milliseconds(remainingMilliseconds)
    }

    /// Milliseconds the handler may still spend: the remaining time less the safety margin (zero or more).
    public var budgetMilliseconds: Int64 {
        max(0, remainingMilliseconds - safetyMarginMilliseconds)
    }

    /// Throws `DeadlineExceeded` once the remaining time is within the safety margin. Handlers call it between
    /// stages (after the download, before each upload part) and stop, cleaning up, when it throws.
    public func checkDeadline(_ stage: String) throws(RecordingError) {
        let remaining = remainingMilliseconds
        guard remaining > safetyMarginMilliseconds else {
            throw RecordingError(
                .deadlineExceeded,
                "stopped before \(stage): \(max(0, remaining)) ms left, at least \(safetyMarginMilliseconds) ms needed"
            )
        }
    }
}
