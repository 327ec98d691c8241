import CallTimeline
import Foundation
import TestSupport
import Testing

@testable import Transcoder

/// One story in `inspect` and in the report (issue 17): the streams' DTMF, `late`, the `--left` warning, and JSON
/// any reader takes as it is.
@Suite("One truth: inspect and the report agree", .enabled(if: TestData.shouldRun))
struct OneTruthTests {
    static func inspection(_ relative: String, options: TimelineOptions = TimelineOptions()) throws -> [String: Any] {
        var settings = TranscodeSettings()
        settings.timeline = options
        let contents = try RealCaptureTests.read(relative, settings: settings)
        let json = CaptureInspection(contents).json()
        return try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] ?? [:]
    }

    // Proves the stream that carried SIP_DTMF2's digits lists them, as its leg does, with the leg's label.
    @Test func streamDTMF() throws {
        let json = try Self.inspection("wireshark-samples/SIP_DTMF2.pcap")
        let legs = (json["calls"] as? [[String: Any]])?.first?["legs"] as? [[String: Any]] ?? []
        let legDigits = legs.flatMap { ($0["dtmf"] as? [[String: Any]] ?? []).compactMap { $0["digit"] as? String } }
        let streams = json["streams"] as? [[String: Any]] ?? []
        let events = streams.flatMap { $0["dtmf"] as? [[String: Any]] ?? [] }
        #expect(legDigits == ["6", "7", "8", "9", "1", "2", "3"])
        #expect(events.compactMap { $0["digit"] as? String } == legDigits)
        let label = legs.first { !($0["dtmf"] as? [Any] ?? []).isEmpty }?["label"] as? String
        #expect(label != nil && events.allSatisfy { $0["leg"] as? String == label })
    }

    // Proves `late` counts what a jitter buffer would have missed, not a sender's pauses: projectrtp's ivr_dtmf
    // leg (0.58 ms jitter, no loss, pauses of up to 9.9 s) had 1,242 of 1,481 packets "late"; now none is.
    @Test func lateIsTheNetworks() throws {
        let json = try Self.inspection("projectrtp/ivr_dtmf_issue_9_1_9_9_3.pcap")
        let streams = json["streams"] as? [[String: Any]] ?? []
        #expect(streams.map { $0["packets"] as? Int } == [1481, 2424])
        #expect(streams.map { $0["late"] as? Int } == [0, 0])
    }

    // Proves a `--left` address that matches no sender is a warning, with the left channel chosen without it.
    @Test func leftMatchesNothing() throws {
        var options = TimelineOptions()
        options.left = try #require(LeftChannelRule("203.0.113.0/24"))
        let json = try Self.inspection("wireshark-samples/MagicJack_short_call.pcap", options: options)
        let warnings = json["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.hasPrefix("--left 203.0.113.0/24 matches no sender") })
    }

    // Proves empty objects and arrays are `{}` and `[]`, and a string's own newline is left alone.
    @Test func emptyContainers() {
        struct Sample: Encodable {
            var empty: [String: Int] = [:]
            var none: [Int] = []
            var text = "a\n{\n}"
        }
        let text = String(decoding: JSONText.encode(Sample()), as: UTF8.self)
        #expect(text == "{\n  \"empty\" : {},\n  \"none\" : [],\n  \"text\" : \"a\\n{\\n}\"\n}\n")
    }

    // Proves the call's start in epoch nanoseconds (above 2^53) is a string, exact.
    @Test func bigIntegers() throws {
        var settings = TranscodeSettings()
        settings.format = .wav
        let source = FileSource(
            path: try TestData.url("captures/wireshark-samples/MagicJack_short_call.pcap").path,
            name: "MagicJack"
        )
        let result = try TwoSteps.transcode(source, settings: settings)
        let report = TranscodeReport(
            contents: result.contents,
            call: result.call,
            recording: result.recording,
            outputName: "x.wav",
            settings: settings,
            timings: TranscodeReport.Timings(downloadMilliseconds: nil, readMilliseconds: 0, encodeMilliseconds: 0)
        )
        let json = try JSONSerialization.jsonObject(with: Data(report.json())) as? [String: Any]
        let start = (json?["call"] as? [String: Any])?["startEpochNanoseconds"] as? String
        #expect(start == String(result.call.start))
        #expect(result.call.start > 1 << 53)
    }
}
