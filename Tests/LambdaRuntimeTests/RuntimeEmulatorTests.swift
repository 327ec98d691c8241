import Foundation
import TestSupport
import Testing

/// The Runtime API emulator (scripts/runtime-api-emulator.py), run for real with a tiny fake function
/// (scripts/runtime-api-emulator-fake-function.py) that does what each event's "action" says.
@Suite("RuntimeEmulator", .serialized)
struct RuntimeEmulatorTests {
    static let fakeFunction = ["/usr/bin/env", "python3", RuntimeEmulator.fakeFunctionURL.path]

    func emulator(
        timeout: Double = 30,
        environment: [String: String] = [:],
        logFile: URL? = nil
    ) throws -> RuntimeEmulator {
        try RuntimeEmulator(
            command: Self.fakeFunction,
            environment: environment,
            timeoutSeconds: timeout,
            logFile: logFile
        )
    }

    func object(_ response: LoopbackHTTPResponse) throws -> [String: Any] {
        try jsonObject(response.body)
    }

    /// Proves an invocation returns the function's response, with the Runtime API headers the function saw
    /// (request id, epoch-ms deadline from the timeout, function ARN, trace id), and that one process serves
    /// successive invocations.
    @Test func responseAndHeaders() throws {
        let emulator = try emulator(timeout: 30)
        defer { emulator.stop() }
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let first = try emulator.invoke(#"{"action":"echo","value":42}"#)
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(first.status == 200)
        #expect(first.functionError == nil)
        let body = try object(first)
        #expect(body["value"] as? Int == 42)
        #expect(body["served"] as? Int == 1)
        let headers = try #require(body["headers"] as? [String: String])
        #expect(headers["Lambda-Runtime-Aws-Request-Id"]?.count == 36)
        let deadline = try #require(headers["Lambda-Runtime-Deadline-Ms"].flatMap { Int64($0) })
        #expect(deadline >= before + 30_000 && deadline <= after + 30_000)
        #expect(headers["Lambda-Runtime-Invoked-Function-Arn"]?.hasPrefix("arn:aws:lambda:") == true)
        #expect(headers["Lambda-Runtime-Trace-Id"]?.hasPrefix("Root=1-") == true)

        let second = try object(emulator.invoke(#"{"action":"echo"}"#))
        #expect(second["served"] as? Int == 2)
        #expect(second["pid"] as? Int == body["pid"] as? Int)
    }

    /// Proves a posted error reaches the invoker as the error JSON with `X-Amz-Function-Error: Unhandled`.
    @Test func functionError() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let answer = try emulator.invoke(#"{"action":"error"}"#)
        #expect(answer.status == 200)
        #expect(answer.functionError == "Unhandled")
        let body = try object(answer)
        #expect(body["errorType"] as? String == "InvalidCapture")
        #expect(body["errorMessage"] as? String == "no RTP packets found")
    }

    /// Proves a function that exits during an invocation gives `Runtime.ExitError`, and is started again for
    /// the next invocation.
    @Test func crashIsExitErrorAndRestarts() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let crash = try emulator.invoke(#"{"action":"crash"}"#)
        #expect(crash.functionError == "Unhandled")
        let body = try object(crash)
        #expect(body["errorType"] as? String == "Runtime.ExitError")
        #expect((body["errorMessage"] as? String)?.contains("exit status 3") == true)
        #expect(try object(emulator.invoke(#"{"action":"echo"}"#))["served"] as? Int == 1)
    }

    /// Proves a function still running at its deadline is killed, the invoker gets `Task timed out`, and the
    /// next invocation gets a fresh process.
    @Test func timeoutKillsAndRestarts() throws {
        let emulator = try emulator(timeout: 1)
        defer { emulator.stop() }
        let answer = try emulator.invoke(#"{"action":"sleep","seconds":60}"#)
        #expect(answer.functionError == "Unhandled")
        let body = try object(answer)
        #expect((body["errorMessage"] as? String)?.contains("Task timed out after 1.00 seconds") == true)
        #expect(try object(emulator.invoke(#"{"action":"echo"}"#))["served"] as? Int == 1)
    }

    /// Proves a response over 6 MiB is refused with 413 to the function and reported to the invoker as an error.
    @Test func responseTooLarge() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let answer = try emulator.invoke(#"{"action":"big"}"#)
        #expect(answer.functionError == "Unhandled")
        #expect(try object(answer)["errorType"] as? String == "Function.ResponseSizeTooLarge")
        let report = try object(emulator.invoke(#"{"action":"report"}"#))
        #expect(report["statuses"] as? [Int] == [413])
    }

    /// Proves posts are answered 202, and a second post for an answered invocation is refused with 403.
    @Test func secondPostRefused() throws {
        let emulator = try emulator()
        defer { emulator.stop() }
        let answer = try emulator.invoke(#"{"action":"twice"}"#)
        #expect(try object(answer)["first"] as? Bool == true)
        let report = try object(emulator.invoke(#"{"action":"report"}"#))
        #expect(report["statuses"] as? [Int] == [202, 403, 403])
    }

    /// Proves an init error posted by the function is passed back to the invoker.
    @Test func initErrorReachesInvoker() throws {
        let emulator = try emulator(environment: ["FAKE_INIT_ERROR": "1"])
        defer { emulator.stop() }
        let answer = try emulator.invoke("{}")
        #expect(answer.functionError == "Unhandled")
        let body = try object(answer)
        #expect(body["errorType"] as? String == "ConfigInvalid")
        #expect((body["errorMessage"] as? String)?.contains("OUTPUT_FORMAT") == true)
    }

    /// Proves the function's output is captured to the log file when one is given.
    @Test func logsCapturedToFile() throws {
        let logFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("runtime-emulator-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: logFile) }
        let emulator = try emulator(logFile: logFile)
        _ = try emulator.invoke(#"{"action":"echo"}"#)
        emulator.stop()
        let log = try String(contentsOf: logFile, encoding: .utf8)
        #expect(log.contains("fake: invocation"))
        #expect(log.contains("action echo"))
    }
}
