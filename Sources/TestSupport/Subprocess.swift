public import Foundation

/// Runs the project's built executables and the reference tools (ffmpeg, mpg123, lame) from tests.
public enum Subprocess {
    /// What a finished process left.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: String
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The directory of the built products (where `swift build` put this test binary and the executables).
    public static let productsDirectory: URL = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test runner is `<products>/rtp2mp3PackageTests.xctest`; step out of any bundle.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS"
            || directory.lastPathComponent == "Contents"
        {
            directory.deleteLastPathComponent()
        }
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("rtp2mp3").path) {
            return directory
        }
        return TestData.projectRoot.appendingPathComponent(".build/debug")
    }()

    /// The path of a built executable of this package.
    public static func product(_ name: String) -> String {
        productsDirectory.appendingPathComponent(name).path
    }

    /// The path of a tool on PATH, or nil.
    public static func tool(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs `executable` with `arguments` to completion and returns its status and output.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        stdin: [UInt8]? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes while the process runs so a full pipe never blocks it.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: [UInt8](outData),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    /// A fresh temporary directory for one test.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtp2mp3-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Decoded audio from ffmpeg, for checking recordings the way a user's player would see them.
public struct DecodedAudio: Sendable {
    public var sampleRate: Int
    public var channels: Int
    /// Interleaved 16-bit samples.
    public var samples: [Int16]
    public var frames: Int { samples.count / max(channels, 1) }
    public var seconds: Double { Double(frames) / Double(sampleRate) }

    /// Decodes `path` with ffmpeg to 16-bit PCM at its own rate and channel count; ffprobe tells those.
    public static func ffmpeg(_ path: String) throws -> DecodedAudio {
        guard let ffprobe = Subprocess.tool("ffprobe"), let ffmpeg = Subprocess.tool("ffmpeg") else {
            throw MissingTool(name: "ffmpeg/ffprobe")
        }
        let probe = try Subprocess.run(
            ffprobe,
            [
                "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels", "-of",
                "csv=p=0", path,
            ]
        )
        let fields = probe.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
        guard probe.status == 0, fields.count == 2, let rate = Int(fields[0]), let channels = Int(fields[1]) else {
            throw DecodeFailure(tool: "ffprobe", message: probe.stderr)
        }
        let decode = try Subprocess.run(ffmpeg, ["-v", "error", "-i", path, "-f", "s16le", "-"])
        guard decode.status == 0, decode.stderr.isEmpty else {
            throw DecodeFailure(tool: "ffmpeg", message: decode.stderr)
        }
        var samples = [Int16](repeating: 0, count: decode.stdout.count / 2)
        for index in samples.indices {
            samples[index] = Int16(
                bitPattern: UInt16(decode.stdout[2 * index]) | UInt16(decode.stdout[2 * index + 1]) << 8
            )
        }
        return DecodedAudio(sampleRate: rate, channels: channels, samples: samples)
    }
}

/// A reference tool the test needs is not installed.
public struct MissingTool: Error, CustomStringConvertible {
    public var name: String
    public init(name: String) { self.name = name }
    public var description: String { "\(name) not installed (scripts/test installs it)" }
}

/// A reference decoder rejected a file.
public struct DecodeFailure: Error, CustomStringConvertible {
    public var tool: String
    public var message: String
    public var description: String { "\(tool) failed: \(message)" }
}
