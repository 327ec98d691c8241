public import Foundation

/// Locates the shared test material (`../shared/testdata` from the project root: real captures, ITU-T vectors,
/// AWS SigV4 suites, S3 event samples). It is never copied into the repository.
///
/// Where the folder is missing, tests that need it say so plainly; with `CI=true` they fail instead.
public enum TestData {
    /// The project root, found from this source file's location (Sources/TestSupport/TestData.swift).
    public static let projectRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `RTP2MP3_TESTDATA` when set, else `../shared/testdata` beside the project root.
    public static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["RTP2MP3_TESTDATA"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return projectRoot.deletingLastPathComponent().appendingPathComponent("shared/testdata")
    }()

    /// True when running in CI, where missing test data is a failure rather than a note.
    public static let isCI: Bool = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether the shared test data is present.
    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("README.md").path)
    }

    /// Tests that read shared test data run when it is present, and also in CI, where its absence then fails
    /// them loudly (see `url(_:)`). Elsewhere they are skipped with this reason.
    public static var shouldRun: Bool { isAvailable || isCI }

    public static let missingNote = "shared test data not found at ../shared/testdata (set RTP2MP3_TESTDATA)"

    /// The URL of a file under the test data folder; throws a plain error naming the path when it is missing.
    public static func url(_ relativePath: String) throws -> URL {
        let url = directory.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingTestData(path: url.path)
        }
        return url
    }

    /// Every capture under `captures/` (pcap, pcapng, rtpdump), by path under it, sorted; empty when the test data
    /// is missing.
    public static let captures: [String] = {
        guard isAvailable, let root = try? url("captures") else { return [] }
        let names = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return names.filter { name in
            [".pcap", ".pcapng", ".cap", ".rtpdump"].contains { name.hasSuffix($0) }
        }.sorted()
    }()

    /// The bytes of a file under the test data folder.
    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relativePath)))
    }

    /// Little-endian 16-bit words of a file under the test data folder.
    public static func int16LE(_ relativePath: String) throws -> [Int16] {
        let raw = try bytes(relativePath)
        var words = [Int16]()
        words.reserveCapacity(raw.count / 2)
        var index = 0
        while index + 1 < raw.count {
            words.append(Int16(bitPattern: UInt16(raw[index]) | UInt16(raw[index + 1]) << 8))
            index += 2
        }
        return words
    }
}

/// Thrown when a shared test-data file is missing.
public struct MissingTestData: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "test data missing: \(path) (\(TestData.missingNote))" }
}
