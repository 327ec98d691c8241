import Capture
import Foundation
import HTTPClient
import Logging
import S3
import SigV4
import Synchronization
import TestSupport
import Testing

/// The built `bootstrap` binary, run by the Runtime API emulator against the loopback S3 server that checks
/// signatures as AWS does (SPEC §6): events in, recordings and reports out.
@Suite("bootstrap end to end", .serialized, .enabled(if: S3TestServer.shouldRun && TestData.shouldRun))
struct LambdaEndToEndTests {
    let server: S3TestServer
    let bucket: String
    let s3: S3Client

    init() throws {
        server = try S3TestServer.shared()
        bucket = "captures-\(UUID().uuidString.prefix(8).lowercased())"
        s3 = try Self.client(server, session: false)
        try s3.createBucket(bucket)
    }

    static func client(_ server: S3TestServer, session: Bool) throws -> S3Client {
        S3Client(
            configuration: S3Configuration(
                region: server.region,
                credentials: session
                    ? AWSCredentials(
                        accessKeyID: server.sessionAccessKeyID,
                        secretAccessKey: server.sessionSecretAccessKey,
                        sessionToken: server.sessionToken
                    )
                    : AWSCredentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey),
                endpoint: server.endpoint
            ),
            httpClient: try HTTPClient(),
            logger: Logger(label: "test")
        )
    }

    /// The function's environment (SPEC §6.3), pointed at the loopback S3.
    func environment(session: Bool = false, endpoint: String? = nil, secret: String? = nil) -> [String: String] {
        var env = [
            "AWS_REGION": server.region,
            "AWS_ENDPOINT_URL_S3": endpoint ?? server.endpoint,
            "INPUT_PREFIX": "captures/",
            "OUTPUT_PREFIX": "recordings/",
            "AWS_LAMBDA_FUNCTION_NAME": "rtp2mp3-test",
            "AWS_LAMBDA_LOG_FORMAT": "JSON",
            "http_proxy": "", "https_proxy": "", "HTTP_PROXY": "", "HTTPS_PROXY": "",
        ]
        if session {
            env["AWS_ACCESS_KEY_ID"] = server.sessionAccessKeyID
            env["AWS_SECRET_ACCESS_KEY"] = server.sessionSecretAccessKey
            env["AWS_SESSION_TOKEN"] = server.sessionToken
        } else {
            env["AWS_ACCESS_KEY_ID"] = server.accessKeyID
            env["AWS_SECRET_ACCESS_KEY"] = secret ?? server.secretAccessKey
        }
        return env
    }

    func emulator(_ env: [String: String], timeout: Double = 60, log: URL? = nil) throws -> RuntimeEmulator {
        try RuntimeEmulator(
            command: [Subprocess.product("bootstrap")],
            environment: env,
            timeoutSeconds: timeout,
            logFile: log
        )
    }

    func upload(_ capture: String, as key: String) throws {
        let bytes = try TestData.bytes("captures/" + capture)
        _ = try s3.putObject(bucket: bucket, key: key, body: bytes)
    }

    func exists(_ key: String) throws -> Bool {
        do {
            _ = try s3.headObject(bucket: bucket, key: key)
            return true
        } catch let error as S3Error where error.isNotFoundOrForbidden {
            return false
        }
    }

    /// An S3 notification shaped like the real one in ../shared/testdata, with the key form-URL-encoded as S3
    /// sends it (`+` for a space).
    func s3Event(key: String) throws -> String {
        var event =
            try JSONSerialization.jsonObject(
                with: Data(TestData.bytes("s3events/s3-notification-plus-encoded.synthetic.json"))
            ) as! [String: Any]
        var records = event["Records"] as! [[String: Any]]
        var s3Part = records[0]["s3"] as! [String: Any]
        s3Part["bucket"] = ["name": bucket, "arn": "arn:aws:s3:::\(bucket)"]
        var object = s3Part["object"] as! [String: Any]
        object["key"] = Self.formEncode(key)
        s3Part["object"] = object
        records[0]["s3"] = s3Part
        event["Records"] = records
        return String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
    }

    /// application/x-www-form-urlencoded, as S3 notifications encode keys.
    static func formEncode(_ key: String) -> String {
        var out = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "*"), UInt8(ascii: "/"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "):
                out.append("+")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    func checkRecording(_ key: String, seconds: Double) throws {
        let mp3 = try s3.getObjectBytes(bucket: bucket, key: key).bytes
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.mp3").path
        try Data(mp3).write(to: URL(fileURLWithPath: path))
        let audio = try DecodedAudio.ffmpeg(path)
        #expect(audio.channels == 2)
        #expect(abs(audio.seconds - seconds) < 0.1, "\(audio.seconds) s")
    }

    /// S3 notification → MP3 and JSON report at the mapped key (captures/… → recordings/…).
    @Test("S3 notification: recording and report stored")
    func s3Notification() throws {
        try upload("wireshark-samples/MagicJack_short_call.pcap", as: "captures/2026/11/29/call-42.pcap")
        let emulator = try emulator(environment())
        defer { emulator.stop() }
        let response = try emulator.invoke(s3Event(key: "captures/2026/11/29/call-42.pcap"))
        #expect(response.status == 200)
        #expect(response.functionError == nil, "\(response.text)")
        try checkRecording("recordings/2026/11/29/call-42.mp3", seconds: 12.84)
        let report = try s3.getObjectBytes(bucket: bucket, key: "recordings/2026/11/29/call-42.json").bytes
        let json = try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any]
        let input = json?["input"] as? [String: Any]
        #expect(input?["name"] as? String == "s3://\(bucket)/captures/2026/11/29/call-42.pcap")
        #expect((input?["eTag"] as? String)?.isEmpty == false)
    }

    /// WRITE_PICTURE=true: the picture of the call (`<stem>.svg`, image/svg+xml) beside the recording and its
    /// report, and the metrics record's LowestLegMOS equal to the report's lowest leg MOS.
    @Test("WRITE_PICTURE: picture stored beside the recording, LowestLegMOS in the metrics")
    func writePicture() throws {
        try upload("wireshark-samples/SIP_DTMF2.pcap", as: "captures/pictured.pcap")
        var env = environment()
        env["WRITE_PICTURE"] = "true"
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("function.log")
        let emulator = try emulator(env, log: log)
        let response = try emulator.invoke(s3Event(key: "captures/pictured.pcap"))
        emulator.stop()
        #expect(response.functionError == nil, "\(response.text)")
        let picture = try s3.getObjectBytes(bucket: bucket, key: "recordings/pictured.svg")
        #expect(picture.metadata.contentType == "image/svg+xml")
        let svg = String(decoding: picture.bytes, as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("MOS") && !svg.contains("<script"))
        #expect(try exists("recordings/pictured.mp3") && exists("recordings/pictured.json"))
        let report = try s3.getObjectBytes(bucket: bucket, key: "recordings/pictured.json").bytes
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any])
        let legs = try #require(json["legs"] as? [[String: Any]])
        let lowest = legs.compactMap { ($0["quality"] as? [String: Any])?["mos"] as? Double }.min()
        let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let metrics = logged.split(separator: "\n").first { $0.contains("\"LowestLegMOS\"") }
        let record = try metrics.flatMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lowest != nil && record?["LowestLegMOS"] as? Double == lowest, "\(metrics ?? "no metrics line")")
    }

    /// A key with spaces, `+`, `:` and non-ASCII letters, through an S3 notification (form-encoded key) and with
    /// session credentials.
    @Test("awkward key and session credentials")
    func awkwardKeySession() throws {
        let key = "captures/Café Zoë/call+1 10:30.pcap"
        try upload("projectrtp/dtmfcapture1.pcap", as: key)
        let emulator = try emulator(environment(session: true))
        defer { emulator.stop() }
        let response = try emulator.invoke(s3Event(key: key))
        #expect(response.functionError == nil, "\(response.text)")
        try checkRecording("recordings/Café Zoë/call+1 10:30.mp3", seconds: 7.13)
    }

    /// S3 via SQS (the body is the S3 JSON); the answer lists no failures.
    @Test("SQS event")
    func sqsEvent() throws {
        try upload("sipp/g711a.pcap", as: "captures/sqs/one.pcap")
        var event =
            try JSONSerialization.jsonObject(
                with: Data(TestData.bytes("s3events/powertools-python/s3SqsEvent.json"))
            ) as! [String: Any]
        var records = event["Records"] as! [[String: Any]]
        records[0]["body"] = try s3Event(key: "captures/sqs/one.pcap")
        event["Records"] = Array(records.prefix(1))
        let emulator = try emulator(environment())
        defer { emulator.stop() }
        let response = try emulator.invoke(
            String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
        )
        #expect(response.functionError == nil, "\(response.text)")
        let answer = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect((answer?["batchItemFailures"] as? [Any])?.isEmpty == true)
        try checkRecording("recordings/sqs/one.mp3", seconds: 7.08)
    }

    /// EventBridge `Object Created`: the key is not encoded.
    @Test("EventBridge event with a raw key")
    func eventBridge() throws {
        let key = "captures/eb/a+b c.pcap"
        try upload("sipp/g711a.pcap", as: key)
        var event =
            try JSONSerialization.jsonObject(
                with: Data(
                    TestData.bytes("s3events/powertools-python/s3EventBridgeNotificationObjectCreatedEvent.json")
                )
            ) as! [String: Any]
        var detail = event["detail"] as! [String: Any]
        detail["bucket"] = ["name": bucket]
        var object = detail["object"] as! [String: Any]
        object["key"] = key
        detail["object"] = object
        event["detail"] = detail
        let emulator = try emulator(environment())
        defer { emulator.stop() }
        let response = try emulator.invoke(
            String(decoding: try JSONSerialization.data(withJSONObject: event), as: UTF8.self)
        )
        #expect(response.functionError == nil, "\(response.text)")
        #expect(try exists("recordings/eb/a+b c.mp3"))
    }

    /// An invalid capture ends with `InvalidCapture` and leaves no recording; its report says what was found and
    /// the error (a failed run still writes the report asked for).
    @Test("invalid capture: InvalidCapture, no recording, the report says why")
    func invalidCapture() throws {
        try upload("asterisk-testsuite/ast-2016-003-fax-crash.pcap", as: "captures/bad/fax.pcap")
        let emulator = try emulator(environment())
        defer { emulator.stop() }
        let response = try emulator.invoke(#"{"bucket": "\#(bucket)", "key": "captures/bad/fax.pcap"}"#)
        #expect(response.functionError != nil)
        let error = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(error?["errorType"] as? String == "InvalidCapture")
        #expect((error?["errorMessage"] as? String)?.contains("no RTP found") == true)
        #expect(try !exists("recordings/bad/fax.mp3"))
        let report = try s3.getObjectBytes(bucket: bucket, key: "recordings/bad/fax.json").bytes
        let json = try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any]
        #expect((json?["error"] as? [String: Any])?["code"] as? String == "noRTP")
    }

    /// `CALLS=all`: every call of a real two-call capture to its own recording and report, keyed with `-callN`,
    /// all listed in the answer; nothing at the plain keys.
    @Test("CALLS=all: one recording and one report per call")
    func allCalls() throws {
        try upload("ndpi/vlan_qinq_gtp_rtp_false_positives.pcapng", as: "captures/two/calls.pcapng")
        var env = environment()
        env["CALLS"] = "all"
        let emulator = try emulator(env)
        defer { emulator.stop() }
        let response = try emulator.invoke(#"{"bucket": "\#(bucket)", "key": "captures/two/calls.pcapng"}"#)
        #expect(response.functionError == nil, "\(response.text)")
        let keys = ["calls-call1.mp3", "calls-call1.json", "calls-call2.mp3", "calls-call2.json"].map {
            "recordings/two/" + $0
        }
        for key in keys { #expect(try exists(key), "\(key)") }
        #expect(try !exists("recordings/two/calls.mp3") && !exists("recordings/two/calls.json"))
        for key in keys { #expect(response.text.contains(key), "the answer lists \(key)") }
        for number in [1, 2] {
            let report = try s3.getObjectBytes(bucket: bucket, key: "recordings/two/calls-call\(number).json").bytes
            let json = try JSONSerialization.jsonObject(with: Data(report)) as? [String: Any]
            #expect((json?["call"] as? [String: Any])?["number"] as? Int == number)
        }
    }

    /// A missing object gives `SourceUnavailable`.
    @Test("missing object: SourceUnavailable")
    func missingObject() throws {
        let emulator = try emulator(environment())
        defer { emulator.stop() }
        let response = try emulator.invoke(#"{"bucket": "\#(bucket)", "key": "captures/none.pcap"}"#)
        let error = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(error?["errorType"] as? String == "SourceUnavailable")
    }

    /// Wrong credentials give a clear signature error, and neither the secret nor the token reaches the logs.
    @Test("bad credentials: signature error; secrets never logged")
    func badCredentials() throws {
        try upload("sipp/g711a.pcap", as: "captures/creds/x.pcap")
        let logs = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: logs) }
        let log = logs.appendingPathComponent("function.log")
        let wrongSecret = "WRONGsecretWRONGsecretWRONGsecret1234"
        let emulator = try emulator(environment(secret: wrongSecret), log: log)
        let response = try emulator.invoke(#"{"bucket": "\#(bucket)", "key": "captures/creds/x.pcap"}"#)
        emulator.stop()
        let error = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(error?["errorType"] as? String == "SourceUnavailable")
        #expect((error?["errorMessage"] as? String)?.contains("SignatureDoesNotMatch") == true, "\(response.text)")
        let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(!logged.contains(wrongSecret))
        #expect(!response.text.contains(wrongSecret))

        let sessionLog = log.deletingLastPathComponent().appendingPathComponent("session.log")
        let session = try self.emulator(environment(session: true), log: sessionLog)
        _ = try session.invoke(#"{"bucket": "\#(bucket)", "key": "captures/creds/x.pcap"}"#)
        session.stop()
        let sessionLogged = (try? String(contentsOf: sessionLog, encoding: .utf8)) ?? ""
        #expect(!sessionLogged.isEmpty)
        #expect(!sessionLogged.contains(server.sessionToken))
        #expect(!sessionLogged.contains(server.sessionSecretAccessKey))
    }

    /// An S3 that answers 503 SlowDown twice and then works still yields the recording (retries with backoff).
    @Test("S3 503 twice then success: recording stored")
    func retriesThroughFaults() throws {
        try upload("sipp/g711a.pcap", as: "captures/flaky/x.pcap")
        let proxy = try S3ServerFaultProxy(upstreamPort: server.port) { _, number in
            number <= 2
                ? .answer(
                    .respond(
                        LoopbackHTTPServer.Response(
                            status: 503,
                            headers: [("Content-Type", "application/xml")],
                            body: Array(
                                "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message><RequestId>T1</RequestId></Error>"
                                    .utf8
                            )
                        )
                    )
                )
                : .pass
        }
        let emulator = try emulator(environment(endpoint: proxy.endpoint))
        defer { emulator.stop() }
        let response = try emulator.invoke(#"{"bucket": "\#(bucket)", "key": "captures/flaky/x.pcap"}"#)
        #expect(response.functionError == nil, "\(response.text)")
        try checkRecording("recordings/flaky/x.mp3", seconds: 7.08)
    }

    /// A Runtime API that restarts under the running function (a fault-injecting proxy between `bootstrap` and
    /// the emulator): the first `/next` connection is reset, and the first response post loses its answer after
    /// the emulator took it. The function retries both and the recording is stored and reported once.
    @Test("Runtime API restarts: next and response retried, recording stored")
    func runtimeAPIRestarts() throws {
        try upload("sipp/g711a.pcap", as: "captures/restart/x.pcap")
        let seen = Mutex((next: 0, response: 0))
        let proxy = try S3ServerFaultProxy(upstreamPort: 0) { request, _ in
            if request.target.hasSuffix("/invocation/next") {
                return seen.withLock {
                    $0.next += 1; return $0.next
                } == 1 ? .answer(.reset) : .pass
            }
            if request.target.hasSuffix("/response") {
                return seen.withLock {
                    $0.response += 1; return $0.response
                } == 1 ? .passTruncated(bytes: 0) : .pass
            }
            return .pass
        }
        defer { proxy.stop() }
        let emulator = try RuntimeEmulator(
            command: [Subprocess.product("bootstrap")],
            environment: environment(),
            timeoutSeconds: 60,
            functionRuntimeAPI: "127.0.0.1:\(proxy.port)"
        )
        defer { emulator.stop() }
        proxy.setUpstreamPort(emulator.port)
        let response = try emulator.invoke(#"{"bucket": "\#(bucket)", "key": "captures/restart/x.pcap"}"#)
        #expect(response.functionError == nil, "\(response.text)")
        try checkRecording("recordings/restart/x.mp3", seconds: 7.08)
        let counts = seen.withLock { $0 }
        #expect(counts.next >= 2)
        #expect(counts.response == 2)
    }

    /// Writing into the trigger bucket under OUTPUT_PREFIX never triggers another transcode.
    @Test("recursion guard: outputs are never transcoded")
    func recursionGuard() throws {
        try upload("sipp/g711a.pcap", as: "recordings/loop/x.pcap")
        let emulator = try emulator(environment())
        defer { emulator.stop() }
        let response = try emulator.invoke(try s3Event(key: "recordings/loop/x.pcap"))
        #expect(response.functionError == nil, "\(response.text)")
        #expect(try !exists("recordings/recordings/loop/x.mp3"))
        #expect(try !exists("recordings/loop/x.mp3"))
    }

    /// The CLI on S3 objects: `rtp2mp3 s3://… -o s3://… --report s3://…` with credentials from the environment;
    /// the capture spooled while pass 1 reads it, the recording and report uploaded.
    @Test("rtp2mp3 s3:// in and out")
    func commandLineOnS3() throws {
        try upload("projectrtp/dtmfcapture1.pcap", as: "captures/cli/in put.pcap")
        let environment = ProcessInfo.processInfo.environment.merging(self.environment(session: true)) { _, new in new }
        let result = try Subprocess.run(
            Subprocess.product("rtp2mp3"),
            [
                "s3://\(bucket)/captures/cli/in put.pcap", "-o", "s3://\(bucket)/out/cli.mp3",
                "--report", "s3://\(bucket)/out/cli.json", "-q",
            ],
            environment: environment
        )
        #expect(result.status == 0, "\(result.stderr)")
        try checkRecording("out/cli.mp3", seconds: 7.13)
        #expect(try exists("out/cli.json"))
        let missing = try Subprocess.run(
            Subprocess.product("rtp2mp3"),
            ["s3://\(bucket)/captures/cli/none.pcap", "-o", "/tmp/never.mp3"],
            environment: environment
        )
        #expect(missing.status == 74)
        #expect(
            missing.stderr.hasPrefix("rtp2mp3: error: s3://\(bucket)/captures/cli/none.pcap: "),
            "\(missing.stderr)"
        )
    }

    /// A deadline too short for the work ends with `DeadlineExceeded` and leaves no object at the output key.
    @Test("deadline too short: DeadlineExceeded, no partial object")
    func deadlineExceeded() throws {
        var a = SynthLeg(
            codec: .pcmu,
            source: Endpoint(address: IPAddress("192.0.2.1")!, port: 4000),
            destination: Endpoint(address: IPAddress("192.0.2.2")!, port: 4002)
        )
        // 40 minutes of audio: far more than 1.5 s of work in a debug build.
        a.durationSeconds = 2400
        let capture = CallSynthesizer(legs: [a]).capture()
        _ = try s3.putObject(bucket: bucket, key: "captures/long/x.pcap", body: capture)
        let emulator = try emulator(environment(), timeout: 2)
        defer { emulator.stop() }
        let response = try emulator.invoke(#"{"bucket": "\#(bucket)", "key": "captures/long/x.pcap"}"#)
        let error = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(error?["errorType"] as? String == "DeadlineExceeded", "\(response.text)")
        #expect(try !exists("recordings/long/x.mp3"))
    }
}
