import Foundation
import TestSupport
import Testing

@testable import LambdaRuntime

/// What an event decodes to, flattened for comparison.
private struct Decoded: Equatable, CustomStringConvertible {
    var refs: [ObjectRef] = []
    var ignored: [String] = []
    var sqsMessageIds: [String] = []

    init(refs: [ObjectRef] = [], ignored: [String] = [], sqsMessageIds: [String] = []) {
        self.refs = refs
        self.ignored = ignored
        self.sqsMessageIds = sqsMessageIds
    }

    init(_ event: LambdaEvent) {
        switch event {
        case .objects(_, let contents):
            refs = contents.refs
            ignored = contents.ignored.map(\.event)
        case .sqs(let messages):
            for message in messages {
                sqsMessageIds.append(message.messageId)
                if case .success(let contents) = message.contents {
                    refs += contents.refs
                    ignored += contents.ignored.map(\.event)
                }
            }
        case .batchOperations(let job):
            refs = job.tasks.compactMap { try? $0.ref.get() }
        }
    }

    var description: String { "refs \(refs) ignored \(ignored) sqs \(sqsMessageIds)" }
}

/// Every sample in ../shared/testdata/s3events, with what it must decode to.
private let expectations: [String: Decoded] = [
    "aws-lambda-go/s3-event.json": Decoded(refs: [
        ObjectRef(
            bucket: "sourcebucket",
            key: "Happy Face.jpg",
            size: 1024,
            eTag: "d41d8cd98f00b204e9800998ecf8427e",
            versionId: "version"
        )
    ]),
    "aws-lambda-go/s3-event-with-decoded.json": Decoded(refs: [
        ObjectRef(
            bucket: "sourcebucket",
            key: "Happy Face.jpg",
            size: 1024,
            eTag: "d41d8cd98f00b204e9800998ecf8427e",
            versionId: "version"
        )
    ]),
    "aws-lambda-go/s3-glacier-event.json": Decoded(ignored: ["s3:ObjectRestore:Completed"]),
    "aws-lambda-go/s3-intelligenttier-event.json": Decoded(ignored: ["s3:IntelligentTiering:TransitionAccess"]),
    "aws-lambda-go/s3-lifecycle-event.json": Decoded(ignored: ["s3:LifecycleTransition"]),
    "aws-lambda-go/s3-replication-event.json": Decoded(ignored: ["s3:Replication:OperationFailedReplication"]),
    "aws-lambda-go/s3-restore-event.json": Decoded(ignored: ["s3:ObjectRestore:Completed"]),
    "powertools-python/s3Event.json": Decoded(refs: [
        ObjectRef(
            bucket: "lambda-artifacts-deafc19498e3f2df",
            key: "b21b84d653bb07b05b1e6b33684dc11b",
            size: 1_305_107,
            eTag: "b21b84d653bb07b05b1e6b33684dc11b"
        )
    ]),
    "powertools-python/s3EventGlacier.json": Decoded(refs: [
        ObjectRef(
            bucket: "lambda-artifacts-deafc19498e3f2df",
            key: "b21b84d653bb07b05b1e6b33684dc11b",
            size: 1_305_107,
            eTag: "b21b84d653bb07b05b1e6b33684dc11b"
        )
    ]),
    "powertools-python/s3EventDeleteObject.json": Decoded(ignored: ["ObjectRemoved:Delete"]),
    "powertools-python/s3EventBridgeNotificationObjectCreatedEvent.json": Decoded(refs: [
        ObjectRef(
            bucket: "example-bucket",
            key: "IMG_m7fzo3.jpg",
            size: 184_662,
            eTag: "4e68adba0abe2dc8653dc3354e14c01d"
        )
    ]),
    "powertools-python/s3EventBridgeNotificationObjectDeletedEvent.json": Decoded(ignored: ["Object Deleted"]),
    "powertools-python/s3SqsEvent.json": Decoded(
        refs: [
            ObjectRef(
                bucket: "xxx",
                key: "test.pdf",
                size: 104_681,
                eTag: "2e3ad1e983318bbd8e73b080e2997980",
                versionId: "yd3d4HaWOT2zguDLvIQLU6ptDTwKBnQV"
            )
        ],
        sqsMessageIds: ["ca3e7a89-c358-40e5-8aa0-5da01403c267"]
    ),
    "s3-notification-plus-encoded.synthetic.json": Decoded(refs: [
        ObjectRef(
            bucket: "call-captures",
            key: "incoming/call 2024-05-01 12:00:00+foo.rtp",
            size: 480_000,
            eTag: "0123456789abcdef0123456789abcdef",
            versionId: "null"
        )
    ]),
    "s3-test-event.synthetic.json": Decoded(ignored: ["s3:TestEvent"]),
]

@Suite("LambdaEvent: S3 samples", .enabled(if: TestData.shouldRun, Comment(rawValue: TestData.missingNote)))
struct LambdaEventSampleTests {
    /// Proves every sample file has an expectation, so a new sample cannot go untested.
    @Test func everySampleHasAnExpectation() throws {
        let root = try TestData.url("s3events")
        let files =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" }
            .map { String($0.path.dropFirst(root.path.count + 1)) } ?? []
        #expect(!files.isEmpty)
        for file in files {
            #expect(expectations[file] != nil, "no expectation for s3events/\(file)")
        }
    }

    /// Proves each sample decodes to its objects (keys decoded the right way for its form) or is ignored.
    @Test(arguments: expectations.keys.sorted())
    func sampleDecodes(file: String) throws {
        let event = try LambdaEvent.decode(TestData.bytes("s3events/\(file)"))
        #expect(Decoded(event) == expectations[file])
    }
}

@Suite("LambdaEvent: synthetic forms")
struct LambdaEventTests {
    static let s3Notification = """
        {"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:CompleteMultipartUpload",
        "s3":{"bucket":{"name":"calls"},"object":{"key":"captures/2026/11/29/call+42%C3%A9.pcap","size":42}}}]}
        """

    static func json(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value), as: UTF8.self)
    }

    /// Proves an S3 notification inside SNS (`Records[].Sns.Message`) decodes, key form-decoded.
    @Test func snsWrappedNotification() throws {
        let event = Self.json([
            "Records": [["EventSource": "aws:sns", "Sns": ["Type": "Notification", "Message": Self.s3Notification]]]
        ])
        let decoded = try LambdaEvent.decode(Array(event.utf8))
        guard case .objects(.sns, let contents) = decoded else {
            Issue.record("expected an SNS event, got \(decoded)")
            return
        }
        #expect(contents.refs == [ObjectRef(bucket: "calls", key: "captures/2026/11/29/call 42é.pcap", size: 42)])
    }

    /// Proves S3 → SNS → SQS (the SNS envelope in the SQS body, no raw delivery) reaches the object.
    @Test func sqsCarryingSNSEnvelope() throws {
        let envelope = Self.json(["Type": "Notification", "MessageId": "m", "Message": Self.s3Notification])
        let event = Self.json(["Records": [["messageId": "id-1", "eventSource": "aws:sqs", "body": envelope]]])
        let decoded = try LambdaEvent.decode(Array(event.utf8))
        guard case .sqs(let messages) = decoded else {
            Issue.record("expected SQS, got \(decoded)")
            return
        }
        #expect(messages.count == 1)
        #expect(messages[0].messageId == "id-1")
        #expect(try messages[0].contents.get().refs.map(\.key) == ["captures/2026/11/29/call 42é.pcap"])
    }

    /// Proves an SQS message whose body is not an S3 event fails alone, and a test event inside SQS is ignored.
    @Test func sqsBadBodyFailsOnlyItsMessage() throws {
        let testEvent = Self.json(["Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "calls"])
        let event = Self.json([
            "Records": [
                ["messageId": "bad", "eventSource": "aws:sqs", "body": "hello"],
                ["messageId": "test", "eventSource": "aws:sqs", "body": testEvent],
            ]
        ])
        guard case .sqs(let messages) = try LambdaEvent.decode(Array(event.utf8)) else {
            Issue.record("expected SQS")
            return
        }
        #expect(throws: RecordingError.self) { try messages[0].contents.get() }
        #expect(
            try messages[1].contents.get()
                == EventContents(ignored: [IgnoredRecord(event: "s3:TestEvent", bucket: "calls")])
        )
    }

    /// Proves an EventBridge key is taken raw: `+` and `%20` stay as they are.
    @Test func eventBridgeKeyIsNotDecoded() throws {
        let event = Self.json([
            "source": "aws.s3", "detail-type": "Object Created",
            "detail": ["bucket": ["name": "calls"], "object": ["key": "a+b%20c.pcap", "size": 7, "version-id": "v1"]],
        ])
        let decoded = try LambdaEvent.decode(Array(event.utf8))
        #expect(
            decoded
                == .objects(
                    .eventBridge,
                    EventContents(refs: [ObjectRef(bucket: "calls", key: "a+b%20c.pcap", size: 7, versionId: "v1")])
                )
        )
    }

    /// Proves a direct invoke takes bucket and key as given (not encoded).
    @Test func directInvoke() throws {
        let decoded = try LambdaEvent.decode(Array(#"{"bucket":"calls","key":"in/a+b.pcap"}"#.utf8))
        #expect(decoded == .objects(.direct, EventContents(refs: [ObjectRef(bucket: "calls", key: "in/a+b.pcap")])))
    }

    /// Proves a Batch Operations 1.0 job: bucket from the ARN, URL-encoded key decoded, fields echoed.
    @Test func batchOperationsSchema1() throws {
        let event = Self.json([
            "invocationSchemaVersion": "1.0", "invocationId": "inv-1", "job": ["id": "job-1"],
            "tasks": [
                [
                    "taskId": "t1", "s3Key": "captures/call%2042+x%2B.pcap", "s3VersionId": "3",
                    "s3BucketArn": "arn:aws:s3:::calls",
                ]
            ],
        ])
        guard case .batchOperations(let job) = try LambdaEvent.decode(Array(event.utf8)) else {
            Issue.record("expected a batch job")
            return
        }
        #expect(job.invocationSchemaVersion == "1.0")
        #expect(job.invocationId == "inv-1")
        #expect(job.jobId == "job-1")
        #expect(job.tasks.map(\.taskId) == ["t1"])
        #expect(
            try job.tasks[0].ref.get() == ObjectRef(bucket: "calls", key: "captures/call 42 x+.pcap", versionId: "3")
        )
    }

    /// Proves a Batch Operations 2.0 job takes the bucket name from `s3Bucket`; a null version is nil; a task
    /// without a key is a task failure, not an event failure.
    @Test func batchOperationsSchema2() throws {
        let event = """
            {"invocationSchemaVersion":"2.0","invocationId":"inv-2","job":{"id":"j","userArguments":{"k":"v"}},
            "tasks":[{"taskId":"t1","s3Bucket":"calls--use1-az4--x-s3","s3Key":"a.pcap","s3VersionId":null},
            {"taskId":"t2","s3Bucket":"calls"}]}
            """
        guard case .batchOperations(let job) = try LambdaEvent.decode(Array(event.utf8)) else {
            Issue.record("expected a batch job")
            return
        }
        #expect(try job.tasks[0].ref.get() == ObjectRef(bucket: "calls--use1-az4--x-s3", key: "a.pcap"))
        #expect(throws: RecordingError.self) { try job.tasks[1].ref.get() }
    }

    /// Proves payloads that are not events are `InvalidEvent` errors, never traps.
    @Test(arguments: [
        "", "not json", "[1,2]", #"{"hello":"world"}"#, #"{"Records":[{"s3":{}}]}"#, #"{"bucket":"","key":"k"}"#,
    ])
    func invalidEvents(payload: String) {
        #expect {
            try LambdaEvent.decode(Array(payload.utf8))
        } throws: { error in
            (error as? RecordingError)?.code == .invalidEvent
        }
    }

    /// Proves an S3 key whose escapes are not UTF-8 is rejected rather than mangled.
    @Test func keyThatIsNotUTF8() {
        let event =
            #"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"%FF.pcap"}}}]}"#
        #expect(throws: RecordingError.self) { try LambdaEvent.decode(Array(event.utf8)) }
    }
}

@Suite("KeyDecoding")
struct KeyDecodingTests {
    /// Proves form-URL decoding: `+` is a space, `%2B` a plus, UTF-8 sequences join, bad escapes stay literal.
    @Test(arguments: [
        ("call+2024-05-01+12%3A00%3A00%2Bfoo.rtp", "call 2024-05-01 12:00:00+foo.rtp"),
        ("Happy%20Face.jpg", "Happy Face.jpg"),
        ("caf%C3%A9", "café"),
        ("100%", "100%"),
        ("%zz%4", "%zz%4"),
        ("plain", "plain"),
    ])
    func formDecoding(encoded: String, decoded: String) {
        #expect(KeyDecoding.formURLDecoded(encoded) == decoded)
    }

    /// Proves request ids are escaped so they cannot change a Runtime API path.
    @Test func pathSegmentEscaping() {
        #expect(
            KeyDecoding.escapedPathSegment("8476a536-e9f4-11e8-9739-2dfe598c3fcd")
                == "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
        )
        #expect(KeyDecoding.escapedPathSegment("../x y") == "..%2Fx%20y")
    }
}
