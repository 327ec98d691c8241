public import Foundation

/// The loopback S3 server of the tests: `scripts/s3-server` (moto 5.2.1 with a faithful SigV4 checker: see
/// `scripts/s3-server.py`) started as a child process on a free port of 127.0.0.1, with authentication on.
///
/// One server is shared by every test of the process (`shared`); tests use their own buckets. It stops when
/// the test process ends (its stdin pipe closes) or on `stop()`.
public final class S3TestServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    public let port: Int
    public let region: String
    /// A long-term IAM user key.
    public let accessKeyID: String
    public let secretAccessKey: String
    /// An STS session (AssumeRole) of a role allowed everything.
    public let sessionAccessKeyID: String
    public let sessionSecretAccessKey: String
    public let sessionToken: String
    /// Where the server's own log goes.
    public let logPath: String
    private let process: Process
    private let stdin: Pipe

    /// Whether python3 with moto (and flask, werkzeug, boto3) can be imported here.
    public static let isAvailable: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import moto, flask, werkzeug, boto3"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do {
            try probe.run()
            probe.waitUntilExit()
            return probe.terminationStatus == 0
        } catch {
            return false
        }
    }()

    /// Tests that need the server run when it is available, and in CI, where its absence then fails them.
    public static var shouldRun: Bool { isAvailable || TestData.isCI }

    public static let unavailableNote =
        "loopback S3 server unavailable: python3 with moto[server]==5.2.1 and boto3 is needed"
        + " (scripts/python-tools.sh installs them)"

    /// The server shared by the tests of this process, started on first use.
    public static func shared() throws -> S3TestServer {
        try sharedResult.get()
    }

    private static let sharedResult: Result<S3TestServer, any Error> = Result { try S3TestServer.start() }

    /// Starts a new server and waits (up to `timeout` seconds) for its ready line.
    public static func start(timeout: TimeInterval = 60) throws -> S3TestServer {
        guard isAvailable else { throw LoopbackError(unavailableNote) }
        let script = TestData.projectRoot.appendingPathComponent("scripts/s3-server")
        let logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "rtp2mp3-s3-server-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8)).log"
            )
            .path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = script
        process.arguments = ["--port", "0", "--exit-on-stdin-eof"]
        var environment = ProcessInfo.processInfo.environment
        environment["RTP2MP3_SKIP_TOOL_INSTALL"] = "1"
        // The server bootstraps itself with boto3 over loopback: no proxy may capture that.
        for name in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
            environment[name] = nil
        }
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        process.environment = environment
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()

        guard let line = Self.firstLine(of: output, timeout: timeout) else {
            process.terminate()
            throw LoopbackError("the S3 test server did not become ready within \(Int(timeout)) s; see \(logPath)")
        }
        struct Ready: Decodable {
            struct Session: Decodable {
                var accessKeyId: String
                var secretAccessKey: String
                var sessionToken: String
            }
            var endpoint: String
            var port: Int
            var region: String
            var accessKeyId: String
            var secretAccessKey: String
            var session: Session
        }
        let info: Ready
        do {
            info = try JSONDecoder().decode(Ready.self, from: line)
        } catch {
            process.terminate()
            throw LoopbackError("the S3 test server printed no ready line; see \(logPath)")
        }
        return S3TestServer(
            endpoint: info.endpoint,
            port: info.port,
            region: info.region,
            accessKeyID: info.accessKeyId,
            secretAccessKey: info.secretAccessKey,
            sessionAccessKeyID: info.session.accessKeyId,
            sessionSecretAccessKey: info.session.secretAccessKey,
            sessionToken: info.session.sessionToken,
            logPath: logPath,
            process: process,
            stdin: input
        )
    }

    /// The first line `pipe` gives within `timeout` seconds (read on a thread of its own), or nil.
    private static func firstLine(of pipe: Pipe, timeout: TimeInterval) -> Data? {
        let ready = DispatchSemaphore(value: 0)
        let box = LineBox()
        let reader = Thread {
            let handle = pipe.fileHandleForReading
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer += chunk
                if let newline = buffer.firstIndex(of: 0x0a) {
                    box.set(buffer[buffer.startIndex..<newline])
                    break
                }
            }
            ready.signal()
        }
        reader.start()
        guard ready.wait(timeout: .now() + timeout) == .success else { return nil }
        return box.get()
    }

    private init(
        endpoint: String,
        port: Int,
        region: String,
        accessKeyID: String,
        secretAccessKey: String,
        sessionAccessKeyID: String,
        sessionSecretAccessKey: String,
        sessionToken: String,
        logPath: String,
        process: Process,
        stdin: Pipe
    ) {
        self.endpoint = endpoint
        self.port = port
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionAccessKeyID = sessionAccessKeyID
        self.sessionSecretAccessKey = sessionSecretAccessKey
        self.sessionToken = sessionToken
        self.logPath = logPath
        self.process = process
        self.stdin = stdin
    }

    /// The ready line's fields as JSON, as `scripts/s3-server` printed them (for scripts such as the boto3
    /// check that read it on stdin).
    public var readyLine: String {
        let object: [String: Any] = [
            "endpoint": endpoint, "port": port, "region": region, "accessKeyId": accessKeyID,
            "secretAccessKey": secretAccessKey,
            "session": [
                "accessKeyId": sessionAccessKeyID, "secretAccessKey": sessionSecretAccessKey,
                "sessionToken": sessionToken,
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Stops the server: closes its stdin (it exits on EOF) and sends SIGTERM, then waits for it.
    public func stop() {
        guard process.isRunning else { return }
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    private final class LineBox: @unchecked Sendable {
        private let lock = NSLock()
        private var line: Data?
        func set(_ data: Data) { lock.withLock { line = data } }
        func get() -> Data? { lock.withLock { line } }
    }
}
