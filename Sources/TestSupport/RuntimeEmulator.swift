public import Foundation

/// Runs `scripts/runtime-api-emulator.py` (a local Lambda Runtime API, like AWS's Runtime Interface Emulator)
/// around a function command, for tests and by hand:
///
/// ```swift
/// let emulator = try RuntimeEmulator(command: [bootstrapPath], environment: ["OUTPUT_BUCKET": "out"])
/// defer { emulator.stop() }
/// let answer = try emulator.invoke(#"{"bucket":"in","key":"call.pcap"}"#)
/// // answer.status == 200; answer.functionError == "Unhandled" when the function posted an error
/// ```
///
/// The function is started by the emulator at the first invocation, with `AWS_LAMBDA_RUNTIME_API` set and this
/// process's environment plus `environment` passed through.
public final class RuntimeEmulator: @unchecked Sendable {
    /// The port on 127.0.0.1.
    public let port: Int
    /// `http://127.0.0.1:PORT/2015-03-31/functions/function/invocations`.
    public let invokeURL: String
    /// Where the function's stdout and stderr go, when a log file was asked for.
    public let logFile: URL?
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    /// `scripts/runtime-api-emulator.py` in the repository.
    public static var scriptURL: URL {
        TestData.projectRoot.appendingPathComponent("scripts/runtime-api-emulator.py")
    }

    /// `scripts/runtime-api-emulator-fake-function.py`: a tiny function for testing the emulator.
    public static var fakeFunctionURL: URL {
        TestData.projectRoot.appendingPathComponent("scripts/runtime-api-emulator-fake-function.py")
    }

    /// Starts the emulator and waits until it listens (it prints its port). The function starts at the first
    /// invocation.
    /// - Parameters:
    ///   - command: the function process: executable path and arguments.
    ///   - environment: added to this process's environment for the function.
    ///   - timeoutSeconds: the function timeout (deadline = delivery + timeout).
    ///   - logFile: where the function's output goes; nil passes it to this process's stderr.
    public init(
        command: [String],
        environment: [String: String] = [:],
        timeoutSeconds: Double = 30,
        initTimeoutSeconds: Double = 10,
        logFile: URL? = nil,
        functionRuntimeAPI: String? = nil
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = [
            "python3", Self.scriptURL.path, "--port", "0", "--timeout", String(timeoutSeconds),
            "--init-timeout", String(initTimeoutSeconds),
        ]
        if let logFile {
            arguments += ["--log-file", logFile.path]
        }
        if let functionRuntimeAPI {
            arguments += ["--function-runtime-api", functionRuntimeAPI]
        }
        process.arguments = arguments + ["--"] + command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        self.process = process
        self.logFile = logFile

        // The first stdout line is {"port": N, "runtimeAPI": "...", "invokeURL": "..."}.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        struct Ready: Decodable {
            var port: Int
            var invokeURL: String
        }
        guard let newline = line.firstIndex(of: UInt8(ascii: "\n")),
            let ready = try? JSONDecoder().decode(Ready.self, from: line[..<newline])
        else {
            process.terminate()
            process.waitUntilExit()
            throw EmulatorError(message: "the emulator did not start: \(String(decoding: line, as: UTF8.self))")
        }
        port = ready.port
        invokeURL = ready.invokeURL
    }

    deinit {
        stop()
    }

    /// Invokes the function like `aws lambda invoke` against the RIE: the answer's body is the function's
    /// response, or its error JSON with `X-Amz-Function-Error`.
    public func invoke(_ payload: [UInt8], headers: [String: String] = [:]) throws -> LoopbackHTTPResponse {
        try LoopbackHTTP.post(
            port: port,
            path: "/2015-03-31/functions/function/invocations",
            headers: headers,
            body: payload
        )
    }

    /// Invokes with a JSON text.
    public func invoke(_ json: String, headers: [String: String] = [:]) throws -> LoopbackHTTPResponse {
        try invoke(Array(json.utf8), headers: headers)
    }

    /// The emulator's own process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// The function process the emulator runs now (a child of the emulator), if one is running.
    public var functionProcessIdentifier: Int32? {
        let me = process.processIdentifier
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "(comm)": state, ppid, …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == me { return pid }
        }
        return nil
    }

    /// Stops the emulator, which kills the function. Safe to call twice.
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
        if process.isRunning {
            process.terminate()
        }
        // SIGTERM makes the emulator kill the function and exit; if it does not within five seconds, SIGKILL.
        var waited = 0
        while process.isRunning && waited < 500 {
            usleep(10_000)
            waited += 1
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// The emulator could not be started or reached.
public struct EmulatorError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
