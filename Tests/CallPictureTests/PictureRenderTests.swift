import Foundation
import TestSupport
import Testing

@testable import CallPicture

/// The pictures of synthetic calls, rendered by a real SVG renderer (rsvg-convert, librsvg) to PNG, checked pixel
/// column by pixel column where the calls have their losses, comfort noise, DTMF and changes.
@Suite("Picture rendered by librsvg", .enabled(if: Renderer.shouldRun))
struct PictureRenderTests {
    @Test("The demo call: marks where its losses, comfort noise, DTMF and changes are")
    func demo() throws {
        let call = SyntheticCall.demo
        let builder = call.picture()
        let png = try Renderer.render(builder.svgBytes(header: call.header), name: "demo")
        let layout = builder.layout
        func x(_ seconds: Double) -> Int { Int(layout.x(fraction: seconds / call.seconds)) }
        let columns = try Renderer.columns(
            png,
            [x(14.25), x(3.02), x(14.5), x(8.0), x(24.0), x(10.2), x(20.0), x(9.03)]
        )
        #expect(columns.size.0 == layout.width && columns.size.1 == layout.height)

        let stripA = Int(layout.stripTop(0)) + 6
        let stripB = Int(layout.stripTop(1)) + 6
        #expect(columns.colour(x: x(14.25), y: stripA) == "#d55e00")  // lost, A
        #expect(columns.colour(x: x(3.02), y: stripA) == "#e69f00")  // concealed 40 ms, A
        #expect(columns.colour(x: x(9.03), y: stripB) == "#e69f00")  // concealed 60 ms, B
        #expect(columns.colour(x: x(14.5), y: stripB) == "#009e73")  // comfort noise, B
        #expect(columns.colour(x: x(10.2), y: stripA) != "#d55e00")  // nothing there
        #expect(columns.colour(x: x(10.2), y: stripA) != "#e69f00")

        // DTMF badges: their fill in the digit row, and the tick under the digit.
        let digitRows = Int(layout.digitRowCentre(0)) - 6...Int(layout.digitRowCentre(0)) + 6
        #expect(columns.contains("#f0e442", x: x(8.0), rows: digitRows))
        let digitRowsB = Int(layout.digitRowCentre(1)) - 6...Int(layout.digitRowCentre(1)) + 6
        #expect(columns.contains("#f0e442", x: x(24.0), rows: digitRowsB))
        #expect(!columns.contains("#f0e442", x: x(10.2), rows: digitRows))

        // The SSRC change at 20 s: its line through lane A's level.
        let envelopeA = Int(layout.envelopeTop(0))...Int(layout.envelopeTop(0)) + PictureLayout.envelopeHeight
        #expect(columns.contains("#374151", x: x(20.0), rows: envelopeA))
        // Speech at 10.2 s in lane B draws the RMS band at the centre line.
        #expect(
            columns.contains(
                "#2b6cb0",
                x: x(10.2),
                rows: Int(layout.envelopeCentre(1)) - 2...Int(layout.envelopeCentre(1)) + 2
            )
        )
    }

    @Test("The hour-long call: a few hundred KB at most, and its marks at the minute they happened")
    func hour() throws {
        let call = SyntheticCall.hour
        let builder = call.picture(blockMilliseconds: 2048)
        let bytes = builder.svgBytes(header: call.header)
        print("60-minute call: SVG \(bytes.count) bytes")
        #expect(bytes.count < 300_000)
        let png = try Renderer.render(bytes, name: "hour")
        let layout = builder.layout
        func x(_ seconds: Double) -> Int { Int(layout.x(fraction: seconds / call.seconds)) }
        let columns = try Renderer.columns(png, [x(2702), x(1800), x(1500 + 60), x(300)])
        let stripA = Int(layout.stripTop(0)) + 6
        #expect(columns.colour(x: x(2702), y: stripA) == "#d55e00")
        #expect(
            columns.contains(
                "#f0e442",
                x: x(1800),
                rows: Int(layout.digitRowCentre(0)) - 6...Int(layout.digitRowCentre(0)) + 6
            )
        )
        #expect(columns.colour(x: x(1500 + 60), y: Int(layout.stripTop(1)) + 6) == "#009e73")
    }

    @Test("The same call gives the same bytes, whatever the block size it was fed in")
    func deterministic() {
        let call = SyntheticCall.demo
        let first = call.picture(blockMilliseconds: 256).svgBytes(header: call.header)
        let second = call.picture(blockMilliseconds: 1000).svgBytes(header: call.header)
        let same = first == second
        #expect(same)
        #expect(first.count > 10_000)
    }
}

/// rsvg-convert and the PNG column reader (scripts/png-columns.py).
enum Renderer {
    static var shouldRun: Bool {
        let missing = ["rsvg-convert", "python3"].filter { Subprocess.tool($0) == nil }
        if missing.isEmpty || TestData.isCI { return true }
        print("note: \(missing.joined(separator: ", ")) not installed: the picture rendering tests are skipped")
        return false
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Where the pictures go: kept after the run so a person can look at them (outside the repository).
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtp2mp3-pictures")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `svg` and renders it to PNG at its own size; returns the PNG's path.
    static func render(_ svg: [UInt8], name: String) throws -> String {
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

    /// The colours down the given columns of a PNG.
    struct Columns {
        var size: (Int, Int)
        var runs: [Int: [(ClosedRange<Int>, String)]]

        func colour(x: Int, y: Int) -> String? {
            runs[x]?.first { $0.0.contains(y) }?.1
        }

        func contains(_ colour: String, x: Int, rows: ClosedRange<Int>) -> Bool {
            runs[x]?.contains { $0.1 == colour && $0.0.overlaps(rows) } ?? false
        }
    }

    static func columns(_ png: String, _ xs: [Int]) throws -> Columns {
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
