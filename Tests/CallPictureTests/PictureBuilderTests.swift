import Foundation
import Testing

@testable import CallPicture

@Suite("Picture builder")
struct PictureBuilderTests {
    static let legs = [
        PictureLeg(label: "A", role: "caller", sampleRate: 8000),
        PictureLeg(label: "B", role: "callee", sampleRate: 8000),
    ]
    static let header = PictureHeader(
        title: "t",
        startNanoseconds: 0,
        legs: [.init(codecs: "PCMU"), .init(codecs: "PCMU")]
    )

    @Test(
        "Ticks a reader counts in, by duration, at least 80 px apart",
        arguments: [
            (3.0, 0.5, "0.5 s"), (30, 5, "0:05"), (300, 30, "0:30"), (3600, 300, "0:05:00"), (36000, 3600, "1:00:00"),
        ]
    )
    func ticks(duration: Double, step: Double, firstLabel: String) {
        let axis = TimeAxis(duration: duration, width: 1046)
        #expect(axis.step == step)
        #expect(Double(axis.ticks.count - 1) * 80 <= 1046)
        #expect(axis.label(axis.ticks[1]) == firstLabel)
    }

    @Test(
        "Capture times in UTC (days to civil dates, H. Hinnant)",
        arguments: [
            (Int64(0), "1970-01-01 00:00:00 UTC"),
            (1_764_786_225_999_999_999, "2025-12-03 18:23:45 UTC"),
            (1_709_208_000_000_000_000, "2024-02-29 12:00:00 UTC"),
            (-1, "1969-12-31 23:59:59 UTC"),
            (-86_400_000_000_000, "1969-12-31 00:00:00 UTC"),
            (951_782_400_000_000_000, "2000-02-29 00:00:00 UTC"),
        ]
    )
    func utc(nanoseconds: Int64, text: String) {
        #expect(utcText(epochNanoseconds: nanoseconds) == text)
    }

    @Test("Durations in the header", arguments: [(12.34, "12.3 s"), (245, "4:05"), (3723, "1:02:03")])
    func durations(seconds: Double, text: String) {
        #expect(TimeAxis.durationText(seconds) == text)
    }

    @Test("Samples land in the column of their time, whatever the blocks; the last column takes any excess")
    func columns() {
        var lane = LegColumns(columns: 10, totalSamples: 100)
        var samples = [Int16](repeating: 0, count: 105)
        samples[35] = 1000
        samples[104] = -32768
        samples.withUnsafeBufferPointer { all in
            lane.append(UnsafeBufferPointer(rebasing: all[0..<7]))
            lane.append(UnsafeBufferPointer(rebasing: all[7..<105]))
        }
        #expect(lane.peak[3] == 1000)
        #expect(lane.peak[9] == 32768)
        #expect(lane.count.map(Int.init) == [10, 10, 10, 10, 10, 10, 10, 10, 10, 15])
        #expect(lane.columnRange(start: 0.35, end: 0.351) == 3...3)
        #expect(lane.columnRange(start: 0.3, end: 0.5) == 3...4)
        #expect(lane.columnRange(start: -5, end: .infinity) == 0...9)
    }

    @Test("Hostile input (NaN and negative times, unknown legs, empty digits, no legs) draws, never traps")
    func hostile() {
        var builder = PictureBuilder(durationMilliseconds: .nan, legs: Self.legs)
        builder.mark(.lost, startMilliseconds: .nan, durationMilliseconds: 5, leg: 0)
        builder.mark(.lost, startMilliseconds: -100, durationMilliseconds: -5, leg: 0)
        builder.mark(.concealed, startMilliseconds: 1e300, durationMilliseconds: 1e300, leg: 1)
        builder.mark(dtmf: "", atMilliseconds: 0, leg: 0)
        builder.mark(dtmf: "event 200", atMilliseconds: -1, leg: 7)
        builder.mark(change: "x", kind: .other, atMilliseconds: .infinity, leg: 1)
        builder.jitter(atMilliseconds: 0, milliseconds: .nan, leg: 0)
        builder.jitter(atMilliseconds: 0, milliseconds: -3, leg: 1)
        builder.append(samples: [1, 2, 3], leg: 5)
        #expect(builder.svg(header: Self.header).hasSuffix("</svg>\n"))
        let empty = PictureBuilder(durationMilliseconds: 0, legs: [])
        #expect(empty.svg(header: PictureHeader(title: "", startNanoseconds: nil, legs: [])).hasSuffix("</svg>\n"))
    }

    @Test("Text from the capture is escaped: a Call-ID cannot inject markup")
    func escaping() {
        let builder = PictureBuilder(durationMilliseconds: 1000, legs: Self.legs)
        let header = PictureHeader(
            title: "<script>alert(1)</script>\"&",
            startNanoseconds: nil,
            legs: [.init(codecs: "<b>"), .init(codecs: "x")],
            note: "]]><x/>"
        )
        let svg = builder.svg(header: header)
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<b>"))
        #expect(!svg.contains("<x/>"))
        #expect(svg.contains("&lt;script&gt;"))
    }

    @Test("Self-contained: no script, no image, no style sheet, every reference local")
    func selfContained() {
        let svg = SyntheticCall.demo.picture().svg(header: SyntheticCall.demo.header)
        for forbidden in ["<script", "<image", "<foreignObject", "@import", "url(", "<style", "on" + "load="] {
            #expect(!svg.contains(forbidden))
        }
        let references = svg.components(separatedBy: "href=\"").dropFirst()
        #expect(references.count == 12)  // per lane: peak and RMS bands twice (mirrored), jitter and its halo
        #expect(references.allSatisfy { $0.hasPrefix("#") })
        let namespaces = svg.components(separatedBy: "http").count - 1
        #expect(namespaces == 2)  // the SVG and XLink namespace names, which are never fetched
    }

    @Test("The worst case for size: every column a different mark, digit, change and jitter figure, an hour long")
    func worstCaseSize() {
        var builder = PictureBuilder(durationMilliseconds: 3_600_000, legs: Self.legs)
        let columnMilliseconds = 3_600_000.0 / Double(builder.layout.columns)
        for column in 0..<builder.layout.columns {
            let time = (Double(column) + 0.5) * columnMilliseconds
            for leg in 0..<2 {
                let kind = IntervalKind.allCases[(column + leg) % 4]
                builder.mark(kind, startMilliseconds: time, durationMilliseconds: 1, leg: leg)
                builder.jitter(atMilliseconds: time, milliseconds: Double(column % 97), leg: leg)
                for _ in 0..<20 { builder.mark(dtmf: "9", atMilliseconds: time, leg: leg) }
                for _ in 0..<5 { builder.mark(change: "SSRC 0xFFFFFFFF", kind: .ssrc, atMilliseconds: time, leg: leg) }
            }
        }
        let size = builder.svgBytes(header: Self.header).count
        print("worst-case SVG: \(size) bytes")
        #expect(size < 300_000)
    }
}
