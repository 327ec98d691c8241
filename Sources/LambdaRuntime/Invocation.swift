/// One invocation handed out by `GET /2018-06-01/runtime/invocation/next` (Lambda Developer Guide, "Using the
/// Lambda runtime API for custom runtimes").
public struct Invocation: Sendable, Equatable {
    /// `Lambda-Runtime-Aws-Request-Id`.
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: the deadline in milliseconds since the Unix epoch.
    public var deadlineMilliseconds: Int64
    /// `Lambda-Runtime-Invoked-Function-Arn`.
    public var invokedFunctionARN: String
    /// `Lambda-Runtime-Trace-Id`, exported as `_X_AMZN_TRACE_ID` while the invocation runs.
    public var traceID: String?
    /// `Lambda-Runtime-Client-Context` (mobile SDK invokes).
    public var clientContext: String?
    /// `Lambda-Runtime-Cognito-Identity`.
    public var cognitoIdentity: String?
    /// The event payload.
    public var body: [UInt8]

    public init(
        requestID: String,
        deadlineMilliseconds: Int64,
        invokedFunctionARN: String,
        traceID: String? = nil,
        clientContext: String? = nil,
        cognitoIdentity: String? = nil,
        body: [UInt8]
    ) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.body = body
    }
}
