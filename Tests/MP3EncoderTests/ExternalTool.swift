import Foundation
import TestSupport
import Testing

/// Runs the command-line tools the MP3 tests compare against (ffmpeg, ffprobe, mpg123) with Foundation's Process.
/// Where a tool is missing, the tests that need it are skipped with a note, except in CI (`CI=true`), where they
/// run and fail naming the tool.
enum ExternalTool {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    struct Missing: Error, CustomStringConvertible {
        var tool: String
        var description: String { "\(tool) not found on PATH: install it (Debian: apt-get install ffmpeg mpg123)" }
    }

    /// The full path of `tool` on PATH, if any.
    static func path(_ tool: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether tests needing all of `tools` should run: they are installed, or we are in CI (where absence fails).
    static func shouldRun(_ tools: String...) -> Bool {
        let missing = tools.filter { path($0) == nil }
        if missing.isEmpty || TestData.isCI { return true }
        print("note: \(missing.joined(separator: ", ")) not installed: tests comparing against it are skipped")
        return false
    }

    /// Runs `tool` with `arguments`, capturing stdout and stderr in temporary files (no pipe deadlocks).
    static func run(_ tool: String, _ arguments: [String]) throws -> Result {
        guard let executable = path(tool) else { throw Missing(tool: tool) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mp3tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: try Data(contentsOf: outURL),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }
}
