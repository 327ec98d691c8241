import CallPicture
import CallTimeline
import Foundation
import TestSupport
import Testing

/// The picture pass 2 draws of a synthetic call (SPEC §4), rendered to PNG by a real SVG renderer (rsvg-convert)
/// and checked pixel column by pixel column where the timeline has its marks: the loss, the concealment, the
/// DTMF digit and the silence it stands in, and speech where nothing happened.
@Suite("Picture of a rendered call, through librsvg", .enabled(if: PictureRendering.shouldRun))
struct CallPictureRenderTests {
    /// 30 s, PCMU both ways: A loses 2 packets at 5 s (40 ms, concealed) and 40 at 12 s (800 ms, lost); B sends
    /// the digit 5 at 20 s for 400 ms instead of audio.
    static func synth() -> CallSynthesizer {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 30
        a.lossBursts = [(first: 250, count: 2), (first: 600, count: 40)]
        var b = SynthLeg(codec: .pcmu, source: Fixtures.bob, destination: Fixtures.alice)
        b.ssrc = 0x2222_2222
        b.pitchHz = 210
        b.durationSeconds = 30
        b.startMilliseconds = 100
        b.dtmf = [(code: 5, startMilliseconds: 19_900, durationMilliseconds: 400)]
        return CallSynthesizer(legs: [a, b])
    }

    /// The call `scripts/demo` synthesizes (capture-synth --duration 30 --codec-a pcmu --codec-b g722 --sip
    /// --loss 1 --jitter 20).
    static func demo() -> CallSynthesizer {
        var a = SynthLeg(codec: .pcmu, source: Fixtures.alice, destination: Fixtures.bob)
        a.durationSeconds = 30
        a.lossProbability = 0.01
        a.jitterMilliseconds = 20
        var b = SynthLeg(codec: .g722, source: Fixtures.bob, destination: Fixtures.alice)
        b.ssrc = 0x2222_2222
        b.firstSequence = 30_000
        b.startMilliseconds = 150
        b.durationSeconds = 29.85
        b.pitchHz = 220
        b.seed = 2
        b.lossProbability = 0.01
        b.jitterMilliseconds = 20
        var synth = CallSynthesizer(legs: [a, b])
        synth.withSIP = true
        return synth
    }

    /// Pass 1 and pass 2 over `synth`'s packets with the picture drawn: the rendered call and the SVG's bytes.
    static func picture(_ synth: CallSynthesizer) throws -> (call: Call, svg: [UInt8]) {
        let packets = Fixtures.media(synth.packets())
        let timeline = Fixtures.timeline(packets)
        let call = try #require(timeline.summary.longestCall)
        var renderer = timeline.renderer(for: call, picture: true)
        var left: [Int16] = []
        var right: [Int16] = []
        for packet in packets {
            renderer.add(packet)
            while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 {}
        }
        renderer.finish()
        while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 {}
        let svg = try #require(renderer.picture(title: "synthetic", analysis: renderer.analysis))
        return (renderer.renderedCall, svg)
    }

    /// The demo call: rsvg-convert renders its picture without a complaint, and every loss the timeline found is
    /// marked in its leg's strip, in the colour of its kind, at its time.
    @Test("the demo call: each loss marked at its time")
    func demoCall() throws {
        let (rendered, svg) = try Self.picture(Self.demo())
        let layout = PictureLayout(width: 1200, legCount: 2)
        func x(_ milliseconds: Double) -> Int {
            Int(layout.x(fraction: milliseconds / 1000 / rendered.durationSeconds))
        }
        let colours: [GapKind: String] = [.lost: "#d55e00", .concealed: "#e69f00", .silence: "#9ca3af"]
        // Gaps with no other gap of the leg within 4 pixel columns (marks are at least 3 pixels wide).
        let marks = rendered.legs.enumerated().flatMap { lane, leg in
            leg.gaps.compactMap { gap -> (lane: Int, x: Int, colour: String)? in
                let at = x(gap.startMilliseconds + gap.durationMilliseconds / 2)
                let alone = leg.gaps.allSatisfy { other in
                    other.startMilliseconds == gap.startMilliseconds
                        || abs(x(other.startMilliseconds + other.durationMilliseconds / 2) - at) > 4
                }
                guard alone, let colour = colours[gap.kind] else { return nil }
                return (lane, at, colour)
            }
        }
        #expect(marks.count >= 4, "\(marks.count) marks")
        let png = try PictureRendering.png(svg, name: "pass2-demo")
        let columns = try PictureRendering.columns(png, marks.map(\.x))
        for mark in marks {
            let strip = Int(layout.stripTop(mark.lane)) + 6
            #expect(columns.colour(x: mark.x, y: strip) == mark.colour, "lane \(mark.lane) x \(mark.x)")
        }
    }

    @Test("marks drawn where the timeline has them")
    func marks() throws {
        let (rendered, svg) = try Self.picture(Self.synth())
        #expect(svg.count < 300_000)

        // Where the timeline put the marks (ms from the call's start).
        let gaps = rendered.legs[0].gaps
        let concealed = try #require(gaps.first { $0.kind == .concealed })
        let lost = try #require(gaps.first { $0.kind == .lost })
        let digit = try #require(rendered.legs[1].dtmf.first)
        let silence = try #require(rendered.legs[1].gaps.first { $0.kind == .silence })
        #expect(digit.digit == "5")

        let layout = PictureLayout(width: 1200, legCount: 2)
        let seconds = rendered.durationSeconds
        func x(_ milliseconds: Double) -> Int { Int(layout.x(fraction: milliseconds / 1000 / seconds)) }
        let at = (
            concealed: x(concealed.startMilliseconds + concealed.durationMilliseconds / 2),
            lost: x(lost.startMilliseconds + lost.durationMilliseconds / 2),
            digit: x(digit.startMilliseconds),
            silence: x(silence.startMilliseconds + silence.durationMilliseconds / 2),
            speech: x(8_000)
        )
        let png = try PictureRendering.png(svg, name: "pass2-synthetic")
        let columns = try PictureRendering.columns(png, [at.concealed, at.lost, at.digit, at.silence, at.speech])
        #expect(columns.size.0 == layout.width && columns.size.1 == layout.height)
        let stripA = Int(layout.stripTop(0)) + 6
        let stripB = Int(layout.stripTop(1)) + 6
        #expect(columns.colour(x: at.concealed, y: stripA) == "#e69f00")
        #expect(columns.colour(x: at.lost, y: stripA) == "#d55e00")
        #expect(columns.colour(x: at.silence, y: stripB) == "#9ca3af")
        let digitRows = Int(layout.digitRowCentre(1)) - 6...Int(layout.digitRowCentre(1)) + 6
        #expect(columns.contains("#f0e442", x: at.digit, rows: digitRows))
        #expect(!columns.contains("#f0e442", x: at.speech, rows: digitRows))
        // Speech at 8 s: no mark in either strip, the RMS band at lane A's centre line.
        for strip in [stripA, stripB] {
            #expect(!["#e69f00", "#d55e00", "#9ca3af", "#009e73"].contains(columns.colour(x: at.speech, y: strip)))
        }
        let centre = Int(layout.envelopeCentre(0))
        #expect(columns.contains("#2b6cb0", x: at.speech, rows: centre - 2...centre + 2))
        // The lost 800 ms draw no level (the fade, then silence).
        #expect(!columns.contains("#2b6cb0", x: at.lost, rows: centre - 2...centre + 2))
    }
}
