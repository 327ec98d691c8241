import Foundation
import TestSupport
import Testing

@testable import CallPicture

/// The pictures of synthetic calls, rendered by a real SVG renderer (rsvg-convert, librsvg) to PNG, checked pixel
/// column by pixel column where the calls have their losses, comfort noise, DTMF and changes.
@Suite("Picture rendered by librsvg", .enabled(if: PictureRendering.shouldRun))
struct PictureRenderTests {
    @Test("The demo call: marks where its losses, comfort noise, DTMF and changes are")
    func demo() throws {
        let call = SyntheticCall.demo
        let builder = call.picture()
        let png = try PictureRendering.png(builder.svgBytes(header: call.header), name: "demo")
        let layout = builder.layout
        func x(_ seconds: Double) -> Int { Int(layout.x(fraction: seconds / call.seconds)) }
        let columns = try PictureRendering.columns(
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
        let png = try PictureRendering.png(bytes, name: "hour")
        let layout = builder.layout
        func x(_ seconds: Double) -> Int { Int(layout.x(fraction: seconds / call.seconds)) }
        let columns = try PictureRendering.columns(png, [x(2702), x(1800), x(1500 + 60), x(300)])
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
