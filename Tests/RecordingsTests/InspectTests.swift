import Foundation
import TestSupport
import Testing
import Transcoder

@testable import Recordings

/// `rtp2mp3 inspect` renders each call by pass 2 without encoding, so it tells the story the transcode's report
/// tells: on every real capture, the recorded call's legs (gaps, concealment, DTMF, quality, talk time) and double
/// talk are the same JSON in both.
@Suite("Inspect tells what the report tells", .enabled(if: TestData.shouldRun))
struct InspectTests {
    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// The same JSON value, compared as canonical text (key order and number spelling aside).
    static func same(_ a: Any?, _ b: Any?) throws -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed]
        return try JSONSerialization.data(withJSONObject: a, options: options)
            == JSONSerialization.data(withJSONObject: b, options: options)
    }

    @Test("inspect's legs equal the report's, on every real capture", arguments: TestData.captures)
    func sameStory(_ capture: String) throws {
        let folder = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Location.file(try TestData.url("captures/" + capture).path)
        var settings = TranscodeSettings()
        settings.format = .wav
        let inspection = try Self.object(
            RecordingJob(inspecting: input, settings: settings, temporaryDirectory: folder.path).inspect()
                .inspection.json()
        )
        let calls = try #require(inspection["calls"] as? [[String: Any]])
        let job = RecordingJob(
            input: input,
            settings: settings,
            outputs: OutputPlan(
                recording: .file(folder.appendingPathComponent("call.wav").path),
                report: .file(folder.appendingPathComponent("call.json").path)
            ),
            temporaryDirectory: folder.path
        )
        let result: RecordingJob.Result
        do {
            result = try job.run()
        } catch {
            // Nothing recordable: inspect renders nothing either, so no leg shows a quality.
            let legs = calls.flatMap { ($0["legs"] as? [[String: Any]]) ?? [] }
            #expect(legs.allSatisfy { $0["quality"] == nil }, "\(error)")
            return
        }
        let report = try Self.object(result.report.json())
        let reportCall = try #require(report["call"] as? [String: Any])
        let number = try #require(reportCall["number"] as? Int)
        let inspected = try #require(calls.first { $0["number"] as? Int == number })
        #expect(try Self.same(inspected["legs"], report["legs"]))
        #expect(try Self.same(inspected["doubleTalkSeconds"], reportCall["doubleTalkSeconds"]))
        let legs = try #require(report["legs"] as? [[String: Any]])
        #expect(legs.allSatisfy { $0["quality"] != nil && $0["talkSeconds"] != nil })
    }

    /// `inspect --picture` stages the picture of the recorded call and puts it in place; nothing else is written.
    @Test("inspect --picture writes the SVG and nothing else")
    func picture() throws {
        let folder = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Location.file(try TestData.url("captures/wireshark-samples/SIP_DTMF2.pcap").path)
        let svg = folder.appendingPathComponent("call.svg").path
        _ = try RecordingJob(inspecting: input, picture: .file(svg), temporaryDirectory: folder.path).inspect()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["call.svg"])
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<?xml") || text.hasPrefix("<svg"))
        #expect(text.contains("MOS"))
        #expect(!text.contains("<script"))
    }
}
