import Foundation
import TestSupport
import Testing

/// `--picture` on the built `rtp2mp3` (SPEC §4, §5): the SVG beside the recording, from `inspect` too, and the
/// usage errors that keep it from overwriting the input or another output.
@Suite("rtp2mp3 --picture", .serialized, .enabled(if: TestData.shouldRun))
struct CommandLinePictureTests {
    static let binary = Subprocess.product("rtp2mp3")

    static func run(_ arguments: [String]) throws -> Subprocess.Outcome {
        try Subprocess.run(binary, arguments)
    }

    /// A transcode with `--picture` writes the recording, the report and a self-contained SVG whose header
    /// carries each leg's MOS as the report gives it; rsvg-convert renders it without a complaint.
    @Test("transcode --picture writes a self-contained SVG with each leg's MOS")
    func transcode() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try TestData.url("captures/wireshark-samples/SIP_DTMF2.pcap").path
        let (mp3, json, svg) = ["c.mp3", "c.json", "c.svg"].map { directory.appendingPathComponent($0).path }
            .splat()
        let result = try Self.run([input, "-o", mp3, "--report", json, "--picture", svg, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(!text.contains("<script") && !text.contains("href=\"http") && !text.contains("@import"))
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        )
        let legs = try #require(report["legs"] as? [[String: Any]])
        for leg in legs {
            let mos = try #require((leg["quality"] as? [String: Any])?["mos"] as? Double)
            #expect(text.contains("MOS \(String(format: "%.2f", mos))"), "MOS \(mos)")
        }
        if let rsvg = Subprocess.tool("rsvg-convert") {
            let png = directory.appendingPathComponent("c.png").path
            let rendered = try Subprocess.run(rsvg, ["--format", "png", "--output", png, svg])
            #expect(rendered.status == 0 && rendered.stderr.isEmpty, "\(rendered.stderr)")
        }
        // The same run again gives the same picture (deterministic bytes).
        let again = directory.appendingPathComponent("d.svg").path
        let second = try Self.run([input, "-o", mp3, "--picture", again, "--quiet"])
        #expect(second.status == 0)
        #expect(FileManager.default.contentsEqual(atPath: svg, andPath: again))
    }

    /// `inspect --picture` draws the same picture the transcode draws, and prints the JSON as before.
    @Test("inspect --picture: the transcode's picture, JSON on stdout")
    func inspect() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try TestData.url("captures/projectrtp/dtmfcapture1.pcap").path
        let fromInspect = directory.appendingPathComponent("i.svg").path
        let fromTranscode = directory.appendingPathComponent("t.svg").path
        let inspected = try Self.run(["inspect", input, "--picture", fromInspect])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(inspected.stdout)) is [String: Any])
        let mp3 = directory.appendingPathComponent("t.mp3").path
        #expect(try Self.run([input, "-o", mp3, "--picture", fromTranscode, "-q"]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: fromInspect, andPath: fromTranscode))
    }

    /// A picture that is not an `.svg` name, or that names the input, the recording or the report, is a usage
    /// error (64) before any work: nothing is written and the input is untouched.
    @Test(
        "--picture naming the input or another output, or not .svg: usage error 64, nothing written",
        arguments: ["input", "recording", "report", "png"]
    )
    func clash(_ what: String) throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.pcap").path
        try Data(TestData.bytes("captures/sipp/g711a.pcap")).write(to: URL(fileURLWithPath: input))
        let mp3 = directory.appendingPathComponent("out.mp3").path
        let json = directory.appendingPathComponent("out.json").path
        let picture =
            ["input": input, "recording": mp3, "report": json][what]
            ?? directory.appendingPathComponent("out.png").path
        let result = try Self.run([input, "-o", mp3, "--report", json, "--picture", picture])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--picture"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["in.pcap"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == Data(TestData.bytes("captures/sipp/g711a.pcap")))
    }
}

extension Array {
    /// The first three elements as a tuple (for three paths made alike).
    fileprivate func splat() -> (Element, Element, Element) { (self[0], self[1], self[2]) }
}
