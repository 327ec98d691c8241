import Foundation
import TestSupport
import Testing

/// The command line never destroys a file or surprises its user (issue 17): the input, the recording and the
/// report are three files; outputs that cannot be made fail before the work; usage errors are one line; a failed
/// run still writes its report; `--all-calls` writes one recording and one report per call.
@Suite("rtp2mp3 command line: safety and messages", .serialized, .enabled(if: TestData.shouldRun))
struct CommandLineSafetyTests {
    static let binary = Subprocess.product("rtp2mp3")
    static let capture = "captures/wireshark-samples/MagicJack_short_call.pcap"

    /// A folder holding the capture as `name`, removed after the test.
    final class Folder {
        let url: URL
        init(capture name: String = "keep.pcap", from source: String = CommandLineSafetyTests.capture) throws {
            url = try Subprocess.temporaryDirectory()
            try Data(contentsOf: TestData.url(source)).write(to: url.appendingPathComponent(name))
        }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
        func bytes(_ name: String) throws -> Data { try Data(contentsOf: url.appendingPathComponent(name)) }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func run(_ arguments: [String]) throws -> Subprocess.Outcome {
        try Subprocess.run(binary, arguments)
    }

    /// One line on stderr, `rtp2mp3: error: …`.
    static func isOneErrorLine(_ text: String) -> Bool {
        text.hasPrefix("rtp2mp3: error: ") && text.hasSuffix("\n") && text.filter { $0 == "\n" }.count == 1
    }

    // Proves each way of naming the input (or the recording) twice is exit 64 with one line, before any work,
    // and every file keeps its bytes: the report over the capture, the report over the recording, a capture with
    // an .mp3 name as its own default output, and -o naming the input.
    @Test(
        "input, recording and report are three files: exit 64, nothing touched",
        arguments: [
            (["keep.pcap", "--report", "keep.pcap"], "keep.pcap"),
            (["keep.pcap", "-o", "call.wav", "--report", "call.wav"], "keep.pcap"),
            (["in.mp3"], "in.mp3"),
            (["in.mp3", "-o", "in.mp3"], "in.mp3"),
        ]
    )
    func threeFiles(arguments: [String], capture: String) throws {
        let folder = try Folder(capture: capture)
        let before = try folder.bytes(capture)
        let result = try Self.run(arguments.map { $0.hasPrefix("-") ? $0 : folder.path($0) })
        #expect(result.status == 64)
        #expect(Self.isOneErrorLine(result.stderr), "\(result.stderr)")
        #expect(result.stderr.contains("must be different files"))
        #expect(try folder.bytes(capture) == before)
        #expect(try folder.names() == [capture])
    }

    // Proves a report in a missing folder, or naming a folder, fails before the transcode (exit 74) and leaves
    // no recording.
    @Test("an uncreatable report: exit 74 before any work, no recording", arguments: ["absent/keep.json", "sub"])
    func uncreatableReport(report: String) throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(atPath: folder.path("sub"), withIntermediateDirectories: false)
        let result = try Self.run([folder.path("keep.pcap"), "--report", folder.path(report), "-q"])
        #expect(result.status == 74)
        #expect(result.stderr.hasPrefix("rtp2mp3: error: \(folder.path(report)): "), "\(result.stderr)")
        #expect(!result.stderr.contains(".tmp-"))
        #expect(try folder.names() == ["keep.pcap", "sub"])
    }

    // Proves `--call 9` of a one-call capture is a usage error (64), and that the report asked for is still
    // written: the error, the call found, and no recording.
    @Test("--call 9 of one call: exit 64, the report says why")
    func noSuchCall() throws {
        let folder = try Folder()
        let result = try Self.run([folder.path("keep.pcap"), "--call", "9", "--report", folder.path("keep.json")])
        #expect(result.status == 64)
        #expect(Self.isOneErrorLine(result.stderr), "\(result.stderr)")
        #expect(try folder.names() == ["keep.json", "keep.pcap"])
        let report = try JSONSerialization.jsonObject(with: folder.bytes("keep.json")) as? [String: Any]
        #expect((report?["error"] as? [String: Any])?["code"] as? String == "noSuchCall")
        #expect((report?["calls"] as? [Any])?.count == 1)
    }

    // Proves an events-only capture (no audio, one DTMF event) fails with its report holding the digit on the
    // stream that carried it, so the digits are not only visible through `inspect`.
    @Test("events only: exit 65, the report lists the digit")
    func eventsOnly() throws {
        let folder = try Folder(capture: "events.pcap", from: "captures/asterisk-testsuite/dtmf_2833_1_noend.pcap")
        let result = try Self.run([folder.path("events.pcap"), "--report", folder.path("events.json")])
        #expect(result.status == 65)
        #expect(try folder.names() == ["events.json", "events.pcap"])
        let report = try JSONSerialization.jsonObject(with: folder.bytes("events.json")) as? [String: Any]
        let streams = report?["streams"] as? [[String: Any]] ?? []
        let digits = streams.flatMap { $0["dtmf"] as? [[String: Any]] ?? [] }
        #expect(!digits.isEmpty)
        #expect(digits.allSatisfy { $0["leg"] == nil }, "no leg: the stream is in no call")
    }

    // Proves usage errors are the README's one line with exit 64, never argument-parser's block, and name no
    // internal case.
    @Test(
        "usage errors: one line, exit 64",
        arguments: [
            ["keep.pcap", "--no-such-option"],
            [],
            ["keep.pcap", "--bitrate", "192"],
            ["keep.pcap", "--bitrate", "320", "--sample-rate", "16000"],
            ["keep.pcap", "--call", "2", "--all-calls"],
            ["keep.pcap", "--vbr-quality", "12"],
        ]
    )
    func usageErrors(arguments: [String]) throws {
        let folder = try Folder()
        let result = try Self.run(arguments.map { $0 == "keep.pcap" ? folder.path($0) : $0 })
        #expect(result.status == 64)
        #expect(Self.isOneErrorLine(result.stderr), "\(result.stderr)")
        #expect(!result.stderr.contains("Error:") && !result.stderr.contains("unsupported"))
        #expect(try folder.names() == ["keep.pcap"])
    }

    // Proves `rtp2mp3 --help` shows the transcode options (what a bare `rtp2mp3 FILE` does), the bitrates
    // offered per rate, and the inspect command.
    @Test("--help shows the transcode options")
    func help() throws {
        let result = try Self.run(["--help"])
        #expect(result.status == 0)
        // Joined into one line: the help is wrapped to the terminal's width.
        let help = result.stdoutText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in [
            "--bitrate", "--report", "--all-calls", "--call", "8000 Hz and 16000 Hz: 8, 16", "144, 160", "inspect",
        ] {
            #expect(help.contains(text), "\(text)")
        }
    }

    // Proves `--all-calls` on a real two-call capture writes exactly one recording and one report per call,
    // numbered as in the report, and prints a summary line for each.
    @Test("--all-calls: one recording and one report per call")
    func allCalls() throws {
        let folder = try Folder(capture: "two.pcapng", from: "captures/ndpi/vlan_qinq_gtp_rtp_false_positives.pcapng")
        let result = try Self.run([
            folder.path("two.pcapng"), "-o", folder.path("two.wav"), "--report", folder.path("two.json"), "--all-calls",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try folder.names() == ["two-call1.json", "two-call1.wav", "two-call2.json", "two-call2.wav", "two.pcapng"]
        )
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix(folder.path("two-call1.wav") + ": ") == true)
        for number in [1, 2] {
            let report =
                try JSONSerialization.jsonObject(with: folder.bytes("two-call\(number).json")) as? [String: Any]
            #expect((report?["call"] as? [String: Any])?["number"] as? Int == number)
        }
    }

    // Proves `--all-calls` records more calls than the process has descriptors: 60 calls with their reports (120
    // outputs, all staged before the first call is encoded) under `ulimit -n 48`, where keeping them open failed
    // at the 23rd call with "Too many open files", exit 74 (Lambda allows 1,024).
    @Test("--all-calls with more outputs than open descriptors allowed")
    func allCallsBeyondDescriptorLimit() throws {
        let folder = try Folder()
        let capture = CallSynthesizer.capture(CallSynthesizer.sequentialCalls(60, seconds: 1))
        try Data(capture).write(to: URL(fileURLWithPath: folder.path("many.pcap")))
        let result = try Subprocess.run(
            "/bin/sh",
            [
                "-c", "ulimit -n 48 && exec \"$0\" \"$@\"", Self.binary, folder.path("many.pcap"),
                "-o", folder.path("many.mp3"), "--report", folder.path("many.json"), "--all-calls",
            ]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let names = try folder.names()
        #expect(names.filter { $0.hasSuffix(".mp3") }.count == 60)
        #expect(names.filter { $0.hasSuffix(".json") }.count == 60)
        #expect(!names.contains { $0.contains(".tmp-") })
    }
}
