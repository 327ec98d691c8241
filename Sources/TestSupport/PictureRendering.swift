import Foundation

/// rsvg-convert to PNG and scripts/png-columns.py to read pixel columns back.
public enum PictureRendering {
    /// Whether the rendering tests run: both tools installed, or CI (where a missing tool is a failure).
    public static var shouldRun: Bool {
        let missing = ["rsvg-convert", "python3"].filter { Subprocess.tool($0) == nil }
        if missing.isEmpty || TestData.isCI { return true }
        print("note: \(missing.joined(separator: ", ")) not installed: the picture rendering tests are skipped")
        return false
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `svg` to the temporary folder (kept, for a person to look at) and renders it; the PNG's path.
    public static func png(_ svg: [UInt8], name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rtp2mp3-pictures")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let svgPath = directory.appendingPathComponent("\(name).svg").path
        let pngPath = directory.appendingPathComponent("\(name).png").path
        try Data(svg).write(to: URL(fileURLWithPath: svgPath))
        guard let tool = Subprocess.tool("rsvg-convert") else { throw Failure(description: "rsvg-convert not found") }
        let outcome = try Subprocess.run(tool, ["--format", "png", "--output", pngPath, svgPath])
        guard outcome.status == 0, outcome.stderr.isEmpty else {
            throw Failure(description: "rsvg-convert failed (\(outcome.status)): \(outcome.stderr)")
        }
        return pngPath
    }

    /// The colours down the asked columns of a PNG: runs of rows of one colour name, per column.
    public struct Columns {
        public var size: (Int, Int)
        public var runs: [Int: [(ClosedRange<Int>, String)]]

        public func colour(x: Int, y: Int) -> String? { runs[x]?.first { $0.0.contains(y) }?.1 }

        public func contains(_ colour: String, x: Int, rows: ClosedRange<Int>) -> Bool {
            runs[x]?.contains { $0.1 == colour && $0.0.overlaps(rows) } ?? false
        }
    }

    public static func columns(_ png: String, _ xs: [Int]) throws -> Columns {
        let script = TestData.projectRoot.appendingPathComponent("scripts/png-columns.py").path
        guard let python = Subprocess.tool("python3") else { throw Failure(description: "python3 not found") }
        let outcome = try Subprocess.run(python, [script, png] + xs.map(String.init))
        guard outcome.status == 0 else { throw Failure(description: "png-columns.py: \(outcome.stderr)") }
        var result = Columns(size: (0, 0), runs: [:])
        for line in outcome.stdoutText.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.first == "size", fields.count == 3 {
                result.size = (Int(fields[1]) ?? 0, Int(fields[2]) ?? 0)
                continue
            }
            guard let x = fields.first.flatMap({ Int($0) }) else { continue }
            result.runs[x] = fields.dropFirst().compactMap { field in
                let parts = field.split(separator: ":")
                let rows = parts.first?.split(separator: "-").compactMap { Int($0) } ?? []
                guard parts.count == 2, rows.count == 2, rows[0] <= rows[1] else { return nil }
                return (rows[0]...rows[1], String(parts[1]))
            }
        }
        return result
    }
}
