import Foundation
import LambdaRuntime
import Logging
import Synchronization
import TestSupport
import Testing

/// A Runtime API client over plain HTTP built only from `RuntimeAPIRequest` and `RuntimeAPIResponse`: what the
/// bootstrap's libcurl client does, minus libcurl.
struct LoopbackRuntimeAPIClient: RuntimeAPIClient {
    let endpoint: RuntimeAPIEndpoint
    let port: Int

    func perform(_ request: RuntimeAPIRequest) throws -> LoopbackHTTPResponse {
        let path = String(request.url.dropFirst("http://\(endpoint.hostAndPort)".count))
        let response = try LoopbackHTTP.exchange(
            method: request.method.rawValue,
            port: port,
            path: path,
            headers: request.headers,
            body: request.body
        )
        try RuntimeAPIResponse.check(status: response.status, body: response.body, request: request)
        return response
    }

    func next() throws -> Invocation {
        let response = try perform(.next(endpoint))
        return try RuntimeAPIResponse.invocation(
            status: response.status,
            headers: response.headers.map { (name: $0.key, value: $0.value) },
            body: response.body
        )
    }

    func respond(id: String, body: [UInt8]) throws {
        _ = try perform(.response(endpoint, id: id, body: body))
    }

    func fail(id: String, error: LambdaErrorBody) throws {
        _ = try perform(.error(endpoint, id: id, error: error))
    }

    func initError(error: LambdaErrorBody) throws {
        _ = try perform(.initError(endpoint, error: error))
    }
}

/// The runtime loop, in this process, against the real emulator: proves the request building and answer parsing
/// of `RuntimeAPIRequest`/`RuntimeAPIResponse` work with a Runtime API server. The emulator's own function is a
/// `sleep` that never polls, so this process serves the invocations.
@Suite("LambdaRuntimeLoop against the emulator", .serialized)
struct LambdaRuntimeLoopEmulatorTests {
    let handler = FakeRecordingHandler()

    /// The emulator's function is a shell that marks the file `started` and sleeps.
    func withEmulator(_ body: (RuntimeEmulator, LoopbackRuntimeAPIClient, URL) throws -> Void) throws {
        let started = FileManager.default.temporaryDirectory.appendingPathComponent("started-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: started) }
        let emulator = try RuntimeEmulator(
            command: ["/bin/sh", "-c", "touch '\(started.path)' && exec sleep 600"],
            timeoutSeconds: 30
        )
        defer { emulator.stop() }
        let endpoint = try RuntimeAPIEndpoint("127.0.0.1:\(emulator.port)")
        try body(emulator, LoopbackRuntimeAPIClient(endpoint: endpoint, port: emulator.port), started)
    }

    /// Waits until the emulator started its function, i.e. the invocation has arrived (an init error can only
    /// be reported for an invocation that exists).
    func waitUntilExists(_ file: URL) {
        while !FileManager.default.fileExists(atPath: file.path) {
            usleep(5_000)
        }
    }

    func loop(_ client: LoopbackRuntimeAPIClient) throws -> LambdaRuntimeLoop {
        let configuration = try FunctionConfiguration(
            environment: [
                "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secretsecret",
            ]
        )
        return LambdaRuntimeLoop(
            client: client,
            handler: handler,
            configuration: configuration,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            metricsSink: { _ in },
            traceIDSink: { _ in }
        )
    }

    /// Invokes on a background thread (the invoke blocks until the loop answers) and returns the answer.
    func invoke(
        _ emulator: RuntimeEmulator,
        _ payload: String,
        while serve: () throws -> Void
    ) throws
        -> LoopbackHTTPResponse
    {
        let result = Mutex<Result<LoopbackHTTPResponse, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let answer = Result { try emulator.invoke(payload) }
            result.withLock { $0 = answer }
            done.signal()
        }
        try serve()
        done.wait()
        return try result.withLock { $0! }.get()
    }

    /// Proves a direct invoke travels next → handler → response through the real Runtime API, with the
    /// deadline and ARN headers parsed.
    @Test func responseThroughTheEmulator() throws {
        try withEmulator { emulator, client, started in
            let answer = try invoke(emulator, #"{"bucket":"calls","key":"captures/a.pcap"}"#) {
                try loop(client).serveOne()
            }
            #expect(answer.status == 200)
            #expect(answer.functionError == nil)
            let summary = try JSONDecoder().decode(InvocationSummary.self, from: Data(answer.body))
            #expect(
                summary.recordings.map(\.outputKeys) == [["recordings/captures/a.mp3", "recordings/captures/a.json"]]
            )
            let context = try #require(handler.calls.first?.context)
            #expect(context.invokedFunctionARN.hasPrefix("arn:aws:lambda:"))
            #expect(context.remainingMilliseconds > 20_000)
        }
    }

    /// Proves a recording error is posted with its type header and body, and reaches the invoker as such.
    @Test func errorThroughTheEmulator() throws {
        handler.failures["bad.pcap"] = RecordingError(.invalidCapture, "no RTP packets found")
        try withEmulator { emulator, client, started in
            let answer = try invoke(emulator, #"{"bucket":"calls","key":"bad.pcap"}"#) {
                try loop(client).serveOne()
            }
            #expect(answer.functionError == "Unhandled")
            let body = try JSONDecoder().decode(LambdaErrorBody.self, from: Data(answer.body))
            #expect(body.errorType == "InvalidCapture")
            #expect(body.errorMessage == "InvalidCapture: no RTP packets found (s3://calls/bad.pcap)")
        }
    }

    /// Proves an init error reaches the invoker, and a second answer for the same request is refused (403).
    @Test func initErrorAndSecondPost() throws {
        try withEmulator { emulator, client, started in
            let answer = try invoke(emulator, "{}") {
                waitUntilExists(started)
                LambdaRuntimeLoop.reportInitError(
                    RecordingError(
                        .configInvalid,
                        "CHANNELS: expected stereo or mono, found \"quad\"",
                        variable: "CHANNELS"
                    ),
                    client: client,
                    redactor: Redactor(),
                    logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
                )
            }
            #expect(
                try JSONDecoder().decode(LambdaErrorBody.self, from: Data(answer.body)).errorType == "ConfigInvalid"
            )

            var requestID = ""
            _ = try invoke(emulator, #"{"bucket":"calls","key":"a.pcap"}"#) {
                let invocation = try client.next()
                requestID = invocation.requestID
                try client.respond(id: requestID, body: Array("{}".utf8))
            }
            #expect {
                try client.respond(id: requestID, body: Array("{}".utf8))
            } throws: { error in
                (error as? RecordingError)?.message.contains("403") == true
            }
        }
    }
}
