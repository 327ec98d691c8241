import Foundation

/// File helpers of the benchmark sections: whole files in and out (the benchmarks time what happens after the
/// bytes are in memory, so disk speed does not blur the figures).
enum BenchFiles {
    /// The chunk size the sections feed readers with, as `LocalFiles.read` does (1 MiB).
    static let chunkBytes = 1 << 20

    static func read(_ path: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            print("rtp2mp3-bench: error: \(path): cannot read")
            exit(74)
        }
        return [UInt8](data)
    }

    static func write(_ bytes: [UInt8], to path: String) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            print("rtp2mp3-bench: error: \(path): cannot write")
            exit(74)
        }
    }

    /// Seconds of a `ContinuousClock` duration.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
