import Foundation
import LambdaRuntime
import Logging
import Testing

/// The runtime loop against a scripted Runtime API client and a fake recording handler.
@Suite("LambdaRuntimeLoop")
struct LambdaRuntimeLoopTests {
    static let now: Int64 = 1_795_935_344_000
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

    let clock = ManualClock(now)
    let metrics = LineCollector()
    let traceIDs = LineCollector()
    let logs = LineCollector()
    let handler = FakeRecordingHandler()

    func configuration(_ extra: [String: String] = [:]) throws -> FunctionConfiguration {
        try FunctionConfiguration(
            environment: [
                "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": Self.secret,
                "INPUT_PREFIX": "captures/", "AWS_LAMBDA_FUNCTION_NAME": "rtp2mp3-test",
            ].merging(extra) { _, new in new }
        )
    }

    func loop(_ client: ScriptedRuntimeClient, _ extra: [String: String] = [:]) throws -> LambdaRuntimeLoop {
        let configuration = try configuration(extra)
        let logs = self.logs
        let clock = self.clock
        let logger = Logger(label: "test") { label in
            LambdaLogHandler(
                label: label,
                settings: LogSettings(format: .json, level: .debug),
                redactor: Redactor(credentials: configuration.credentials),
                clock: clock,
                sink: logs.sink
            )
        }
        let traceIDs = self.traceIDs
        return LambdaRuntimeLoop(
            client: client,
            handler: handler,
            configuration: configuration,
            logger: logger,
            clock: clock,
            metricsSink: metrics.sink,
            traceIDSink: { traceIDs.append($0 ?? "<none>") }
        )
    }

    static func invocation(_ id: String, _ body: String, trace: String? = nil, deadlineIn: Int64 = 60_000) -> Invocation
    {
        Invocation(
            requestID: id,
            deadlineMilliseconds: now + deadlineIn,
            invokedFunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:rtp2mp3",
            traceID: trace,
            body: Array(body.utf8)
        )
    }

    static func s3Event(_ keys: [String], bucket: String = "calls") -> String {
        let records = keys.map {
            #"{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"\#(bucket)"},"object":{"key":"\#($0)","size":10}}}"#
        }
        return #"{"Records":[\#(records.joined(separator: ","))]}"#
    }

    static func sqsEvent(_ messages: [(id: String, body: String)]) -> String {
        let records = messages.map { message in
            let body = String(decoding: try! JSONEncoder().encode(message.body), as: UTF8.self)
            return #"{"messageId":"\#(message.id)","eventSource":"aws:sqs","body":\#(body)}"#
        }
        return #"{"Records":[\#(records.joined(separator: ","))]}"#
    }

    func onlyPost(_ client: ScriptedRuntimeClient) throws -> ScriptedRuntimeClient.Post {
        try #require(client.posts.count == 1)
        return client.posts[0]
    }

    func responseObject(_ client: ScriptedRuntimeClient) throws -> [String: Any] {
        guard case .response(_, let body) = try onlyPost(client) else {
            Issue.record("expected a response, got \(client.posts)")
            return [:]
        }
        return try jsonObject(body)
    }

    func postedError(_ client: ScriptedRuntimeClient) throws -> LambdaErrorBody? {
        guard case .error(_, let error) = try onlyPost(client) else {
            Issue.record("expected an error, got \(client.posts)")
            return nil
        }
        return error
    }

    /// Proves an S3 notification reaches the handler with the decoded key, output location, deadline and ids,
    /// is answered with a summary, and emits one EMF record.
    @Test func s3NotificationSucceeds() throws {
        let client = ScriptedRuntimeClient([
            Self.invocation("r1", Self.s3Event(["captures/2026/call+42.pcap"]), trace: "Root=1-a")
        ])
        try loop(client).serveOne()

        #expect(handler.calls.count == 1)
        let call = try #require(handler.calls.first)
        #expect(call.ref == ObjectRef(bucket: "calls", key: "captures/2026/call 42.pcap", size: 10))
        #expect(
            call.context.output
                == OutputLocation(
                    bucket: "calls",
                    recordingKey: "recordings/2026/call 42.mp3",
                    reportKey: "recordings/2026/call 42.json"
                )
        )
        #expect(call.context.requestID == "r1")
        #expect(call.context.remainingMilliseconds == 60_000)
        #expect(call.context.traceID == "Root=1-a")

        let summary = try responseObject(client)
        let recordings = try #require(summary["recordings"] as? [[String: Any]])
        #expect(recordings.count == 1)
        #expect(
            recordings.first?["outputKeys"] as? [String] == [
                "recordings/2026/call 42.mp3", "recordings/2026/call 42.json",
            ]
        )
        #expect(metrics.lines.count == 1)
        #expect(traceIDs.lines == ["Root=1-a"])
    }

    /// Proves EventBridge, SNS and direct invokes reach the handler with their keys (raw for EventBridge/direct).
    @Test(arguments: [
        (
            #"{"source":"aws.s3","detail-type":"Object Created","detail":{"bucket":{"name":"calls"},"object":{"key":"captures/a+b.pcap"}}}"#,
            "captures/a+b.pcap"
        ),
        (#"{"bucket":"calls","key":"captures/a+b.pcap"}"#, "captures/a+b.pcap"),
        (
            #"{"Records":[{"EventSource":"aws:sns","Sns":{"Message":"{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"calls\"},\"object\":{\"key\":\"captures/a+b.pcap\"}}}]}"}}]}"#,
            "captures/a b.pcap"
        ),
    ])
    func otherEventForms(payload: String, key: String) throws {
        let client = ScriptedRuntimeClient([Self.invocation("r1", payload)])
        try loop(client).serveOne()
        #expect(handler.calls.map(\.ref.key) == [key])
        guard case .response = try onlyPost(client) else {
            Issue.record("expected a response")
            return
        }
    }

    /// Proves an SQS batch answers with only the failed messages: a failed object, an unreadable body; a test
    /// event in a message is not a failure.
    @Test func sqsPartialFailure() throws {
        handler.failures["captures/bad.pcap"] = RecordingError(.invalidCapture, "no RTP packets found")
        let event = Self.sqsEvent([
            ("m1", Self.s3Event(["captures/good.pcap"])),
            ("m2", Self.s3Event(["captures/bad.pcap"])),
            ("m3", "not json"),
            ("m4", #"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"calls"}"#),
        ])
        let client = ScriptedRuntimeClient([Self.invocation("r1", event)])
        try loop(client).serveOne()
        let answer = try responseObject(client)
        let failures = try #require(answer["batchItemFailures"] as? [[String: String]])
        #expect(failures == [["itemIdentifier": "m2"], ["itemIdentifier": "m3"]])
        #expect(handler.calls.map(\.ref.key) == ["captures/good.pcap", "captures/bad.pcap"])
    }

    /// Proves S3 Batch Operations result codes: Succeeded; InvalidCapture → PermanentFailure; SourceUnavailable
    /// → TemporaryFailure unless marked permanent; OutputFailed and non-recording errors → TemporaryFailure; a
    /// task without a key → PermanentFailure; a skipped output object → Succeeded with the reason.
    @Test func batchOperationsResultCodes() throws {
        struct Boom: Error {}
        handler.failures = [
            "invalid.pcap": RecordingError(.invalidCapture, "not a capture"),
            "gone.pcap": RecordingError(.sourceUnavailable, "NoSuchKey", permanent: true),
            "denied.pcap": RecordingError(.sourceUnavailable, "AccessDenied"),
            "output.pcap": RecordingError(.outputFailed, "PutObject failed after 5 attempts"),
            "boom.pcap": Boom(),
        ]
        let tasks =
            ["ok.pcap", "invalid.pcap", "gone.pcap", "denied.pcap", "output.pcap", "boom.pcap", "recordings/x.mp3"]
            .enumerated().map {
                #"{"taskId":"t\#($0.offset)","s3Key":"\#($0.element)","s3BucketArn":"arn:aws:s3:::calls"}"#
            }
            + [#"{"taskId":"t7","s3BucketArn":"arn:aws:s3:::calls"}"#]
        let event =
            #"{"invocationSchemaVersion":"1.0","invocationId":"inv","job":{"id":"j"},"tasks":[\#(tasks.joined(separator: ","))]}"#
        let client = ScriptedRuntimeClient([Self.invocation("r1", event)])
        try loop(client).serveOne()

        let answer = try responseObject(client)
        #expect(answer["invocationSchemaVersion"] as? String == "1.0")
        #expect(answer["invocationId"] as? String == "inv")
        #expect(answer["treatMissingKeysAs"] as? String == "PermanentFailure")
        let results = try #require(answer["results"] as? [[String: String]])
        #expect(results.map { $0["taskId"] } == (0...7).map { "t\($0)" })
        #expect(
            results.map { $0["resultCode"] } == [
                "Succeeded", "PermanentFailure", "PermanentFailure", "TemporaryFailure", "TemporaryFailure",
                "TemporaryFailure", "Succeeded", "PermanentFailure",
            ]
        )
        #expect(results[0]["resultString"] == "s3://calls/recordings/ok.mp3")
        #expect(results[1]["resultString"]?.contains("InvalidCapture") == true)
        #expect(results[6]["resultString"]?.hasPrefix("skipped") == true)
    }

    /// Proves a Batch Operations 2.0 job echoes its schema version and uses `s3Bucket`.
    @Test func batchOperationsSchema2() throws {
        let event =
            #"{"invocationSchemaVersion":"2.0","invocationId":"inv2","job":{"id":"j","userArguments":{}},"tasks":[{"taskId":"t","s3Bucket":"calls","s3Key":"a.pcap","s3VersionId":null}]}"#
        let client = ScriptedRuntimeClient([Self.invocation("r1", event)])
        try loop(client).serveOne()
        let answer = try responseObject(client)
        #expect(answer["invocationSchemaVersion"] as? String == "2.0")
        #expect(handler.calls.map(\.ref) == [ObjectRef(bucket: "calls", key: "a.pcap")])
    }

    /// Proves an `s3:TestEvent` and non-creation records are answered without calling the handler, and logged.
    @Test func testEventIgnored() throws {
        let client = ScriptedRuntimeClient([
            Self.invocation("r1", #"{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"calls"}"#),
            Self.invocation(
                "r2",
                #"{"Records":[{"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}"#
            ),
        ])
        try loop(client).run(maxInvocations: 2)
        #expect(handler.calls.isEmpty)
        #expect(client.posts.count == 2)
        #expect(logs.lines.filter { $0.contains("record ignored") }.count == 2)
    }

    /// Proves the recursion guard: our own output (under OUTPUT_PREFIX, or .mp3) is never transcoded.
    @Test func recursionGuard() throws {
        let client = ScriptedRuntimeClient([
            Self.invocation("r1", Self.s3Event(["recordings/2026/call.pcap", "captures/call.mp3"]))
        ])
        try loop(client).serveOne()
        #expect(handler.calls.isEmpty)
        let summary = try responseObject(client)
        #expect((summary["skipped"] as? [Any])?.count == 2)
    }

    /// Proves an object is not started within the safety margin of the deadline: DeadlineExceeded is posted.
    @Test func deadlineExceeded() throws {
        let client = ScriptedRuntimeClient([Self.invocation("r1", Self.s3Event(["captures/a.pcap"]), deadlineIn: 400)])
        try loop(client).serveOne()
        #expect(handler.calls.isEmpty)
        #expect(try postedError(client)?.errorType == "DeadlineExceeded")
    }

    /// Proves that when time runs out during an SQS batch, the messages not reached are reported failed.
    @Test func deadlineDuringSQSBatch() throws {
        let clock = self.clock
        handler.onCall = { _ in clock.set(Self.now + 59_900) }
        let event = Self.sqsEvent([
            ("m1", Self.s3Event(["captures/a.pcap"])), ("m2", Self.s3Event(["captures/b.pcap"])),
        ])
        let client = ScriptedRuntimeClient([Self.invocation("r1", event)])
        try loop(client).serveOne()
        #expect(handler.calls.count == 1)
        let answer = try responseObject(client)
        #expect(answer["batchItemFailures"] as? [[String: String]] == [["itemIdentifier": "m2"]])
    }

    /// Proves each handler error is posted with its error type, the object named, and other errors as Unhandled.
    @Test(arguments: RecordingError.Code.allCases)
    func errorTypes(code: RecordingError.Code) throws {
        handler.failures["captures/a.pcap"] = RecordingError(code, "it failed")
        let client = ScriptedRuntimeClient([Self.invocation("r1", Self.s3Event(["captures/a.pcap"]))])
        try loop(client).serveOne()
        let error = try #require(try postedError(client))
        #expect(error.errorType == code.rawValue)
        #expect(error.errorMessage.contains("it failed"))
        #expect(error.errorMessage.contains("s3://calls/captures/a.pcap"))
        #expect(error.stackTrace.isEmpty)
    }

    /// Proves a non-RecordingError is Unhandled, and a secret inside any error message is redacted.
    @Test func unhandledErrorIsRedacted() throws {
        struct Leaky: Error, CustomStringConvertible {
            var description: String { "signing failed with \(LambdaRuntimeLoopTests.secret)" }
        }
        handler.failures["captures/a.pcap"] = Leaky()
        let client = ScriptedRuntimeClient([Self.invocation("r1", Self.s3Event(["captures/a.pcap"]))])
        try loop(client).serveOne()
        let error = try #require(try postedError(client))
        #expect(error.errorType == "Unhandled")
        #expect(!error.errorMessage.contains(Self.secret))
        #expect(error.errorMessage.contains(Redactor.placeholder))
        #expect(!logs.lines.contains { $0.contains(Self.secret) })
    }

    /// Proves an event that is not understood is an InvalidEvent error.
    @Test func invalidEvent() throws {
        let client = ScriptedRuntimeClient([Self.invocation("r1", #"{"hello":1}"#)])
        try loop(client).serveOne()
        #expect(try postedError(client)?.errorType == "InvalidEvent")
    }

    /// Proves several objects in one event: all are tried, and the error has the first failure's type and
    /// counts the failures.
    @Test func severalObjectsSomeFail() throws {
        handler.failures["captures/b.pcap"] = RecordingError(.outputFailed, "PutObject 503")
        handler.failures["captures/c.pcap"] = RecordingError(.invalidCapture, "no RTP")
        let client = ScriptedRuntimeClient([
            Self.invocation("r1", Self.s3Event(["captures/a.pcap", "captures/b.pcap", "captures/c.pcap"]))
        ])
        try loop(client).serveOne()
        #expect(handler.calls.count == 3)
        let error = try #require(try postedError(client))
        #expect(error.errorType == "OutputFailed")
        #expect(error.errorMessage.hasPrefix("2 of 3 objects failed; first: OutputFailed: PutObject 503"))
    }

    /// Proves one process serves many invocations without leaks: each gets its own request id in logs and
    /// context, and a trace id never carries over to an invocation without one.
    @Test func invocationsAreIsolated() throws {
        let client = ScriptedRuntimeClient([
            Self.invocation("r1", Self.s3Event(["captures/a.pcap"]), trace: "Root=1-first"),
            Self.invocation("r2", Self.s3Event(["captures/b.pcap"])),
        ])
        try loop(client).run(maxInvocations: 2)
        #expect(handler.calls.map(\.context.requestID) == ["r1", "r2"])
        #expect(traceIDs.lines == ["Root=1-first", "<none>"])
        let written = try logs.lines.map(jsonObject).filter { $0["message"] as? String == "recording written" }
        #expect(written.map { $0["requestId"] as? String } == ["r1", "r2"])
        #expect(client.posts.map { if case .response(let id, _) = $0 { id } else { "" } } == ["r1", "r2"])
    }

    /// Proves the default trace id sink sets `_X_AMZN_TRACE_ID` for an invocation and removes it for the next
    /// one without a trace id.
    @Test func traceIDEnvironment() {
        LambdaRuntimeLoop.exportTraceID("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
        #expect(
            getenv("_X_AMZN_TRACE_ID").map { String(cString: $0) }
                == "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
        )
        LambdaRuntimeLoop.exportTraceID(nil)
        #expect(getenv("_X_AMZN_TRACE_ID") == nil)
    }

    /// Proves `run` ends by throwing when `next` fails (the Runtime API is gone), after serving what it had.
    @Test func runStopsWhenNextFails() throws {
        let client = ScriptedRuntimeClient([Self.invocation("r1", Self.s3Event(["captures/a.pcap"]))])
        #expect(throws: ScriptedRuntimeClient.Exhausted.self) { try loop(client).run() }
        #expect(client.posts.count == 1)
    }

    /// Proves a refused response (e.g. 413) is followed by an error post for the same invocation.
    @Test func refusedResponseBecomesError() throws {
        let client = ScriptedRuntimeClient([Self.invocation("r1", Self.s3Event(["captures/a.pcap"]))])
        client.failResponses = true
        try loop(client).serveOne()
        guard case .error(let id, let error) = try onlyPost(client) else {
            Issue.record("expected an error post")
            return
        }
        #expect(id == "r1")
        #expect(error.errorType == "RuntimeAPIError")
    }

    /// Proves a configuration error is posted as an init error naming the variable, without the secret.
    @Test func initErrorForInvalidConfiguration() throws {
        let client = ScriptedRuntimeClient([])
        do {
            _ = try configuration(["OUTPUT_FORMAT": "flac \(Self.secret)"])
            Issue.record("expected a configuration error")
        } catch {
            LambdaRuntimeLoop.reportInitError(
                error,
                client: client,
                redactor: Redactor(secrets: [Self.secret]),
                logger: Logger(label: "init") { _ in SwiftLogNoOpLogHandler() }
            )
        }
        guard case .initError(let body) = try onlyPost(client) else {
            Issue.record("expected an init error")
            return
        }
        #expect(body.errorType == "ConfigInvalid")
        #expect(body.errorMessage.contains("OUTPUT_FORMAT"))
        #expect(!body.errorMessage.contains(Self.secret))
    }
}
