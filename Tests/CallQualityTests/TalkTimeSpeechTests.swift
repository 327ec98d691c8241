import CallQuality
import Foundation
import TestSupport
import Testing

/// Talk time on real synthesized speech (espeak-ng), against an independent measure of the same audio: ffmpeg's
/// `silencedetect` (speech = all but the pauses of at least 200 ms quieter than −45 dBFS).
@Suite("Talk time on speech, against ffmpeg", .enabled(if: SpeechTools.shouldRun))
struct TalkTimeSpeechTests {
    @Test("Within 5 % of ffmpeg's silencedetect on two synthesized sentences")
    func againstFFmpeg() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let wav = directory.appendingPathComponent("speech.wav").path
        let text =
            "Hello, this is the support line. I can hear you, but the line keeps breaking up. "
            + "Could you tell me your account number please? Thank you, one moment while I look that up."
        let speak = try Subprocess.run(
            try SpeechTools.path("espeak-ng"),
            ["-v", "en-us", "-s", "150", "-w", wav, text]
        )
        try #require(speak.status == 0, "espeak-ng: \(speak.stderr)")
        let ffmpeg = try SpeechTools.path("ffmpeg")
        let raw = try Subprocess.run(ffmpeg, ["-v", "error", "-i", wav, "-ar", "8000", "-ac", "1", "-f", "s16le", "-"])
        try #require(raw.status == 0, "ffmpeg: \(raw.stderr)")
        let samples = raw.stdout.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let seconds = Double(samples.count) / 8000

        let detect = try Subprocess.run(
            ffmpeg,
            ["-hide_banner", "-i", wav, "-af", "silencedetect=noise=-45dB:d=0.2", "-f", "null", "-"]
        )
        let silence = detect.stderr.split(separator: "\n").compactMap { line -> Double? in
            guard let range = line.range(of: "silence_duration: ") else { return nil }
            return Double(line[range.upperBound...].prefix { !$0.isWhitespace })
        }
        let reference = seconds - silence.reduce(0, +)

        var meter = TalkTimeMeter(sampleRates: [8000])
        meter.append(samples, leg: 0)
        meter.finish()
        print("speech \(seconds) s: talk \(meter.talkSeconds[0]) s, ffmpeg \(reference) s")
        #expect(silence.count >= 3)
        #expect(abs(meter.talkSeconds[0] - reference) <= 0.05 * reference)
    }
}

enum SpeechTools {
    struct Missing: Error, CustomStringConvertible {
        var tool: String
        var description: String { "\(tool) not found on PATH (Debian: apt-get install espeak-ng ffmpeg)" }
    }

    static var shouldRun: Bool {
        let missing = ["espeak-ng", "ffmpeg"].filter { Subprocess.tool($0) == nil }
        if missing.isEmpty || TestData.isCI { return true }
        print("note: \(missing.joined(separator: ", ")) not installed: the talk-time speech test is skipped")
        return false
    }

    static func path(_ tool: String) throws -> String {
        guard let path = Subprocess.tool(tool) else { throw Missing(tool: tool) }
        return path
    }
}
