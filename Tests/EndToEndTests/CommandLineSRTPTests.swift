import Foundation
import TestSupport
import Testing

/// `--srtp-key` and `--srtp-keys` on the built `rtp2mp3` (SPEC §2.4, §5), on the real SRTP capture: its README row
/// with and without the key, `inspect`'s encryption fields, and the key in no output or error.
@Suite("rtp2mp3 command line: SRTP keys", .serialized, .enabled(if: TestData.shouldRun))
struct CommandLineSRTPTests {
    static let key = "aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz"
    static var capture: String {
        get throws { try TestData.url("captures/gteissier-srtp/marseillaise-srtp.pcap").path }
    }

    static func run(_ arguments: [String]) throws -> Subprocess.Outcome {
        try Subprocess.run(CommandLineTests.binary, arguments)
    }

    static func expectNoKey(_ outcome: Subprocess.Outcome) {
        let texts = [outcome.stdoutText, outcome.stderr]
        #expect(!texts.contains { $0.contains(key) || $0.contains(key.prefix(12)) })
    }

    @Test("without the key: exit 65, the encrypted-media message with the ways to give keys, no output")
    func withoutKey() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("m.mp3").path
        let outcome = try Self.run([try Self.capture, "-o", output])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains("the media is encrypted") && outcome.stderr.contains("--srtp-key"))
        #expect(outcome.stderr.contains("DTLS-SRTP"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("--srtp-key SUITE:KEY: one leg of ≈ 237.76 s at 8 kHz; the key in no output")
    func withKey() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("m.mp3").path
        let report = directory.appendingPathComponent("m.json").path
        let outcome = try Self.run([
            try Self.capture, "-o", output, "--report", report, "--srtp-key", "AES_CM_128_HMAC_SHA1_80:" + Self.key,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        Self.expectNoKey(outcome)
        let audio = try DecodedAudio.ffmpeg(output)
        #expect(audio.sampleRate == 8000)
        #expect(abs(audio.seconds - 237.76) < 0.1, "\(audio.seconds)")
        let json = try String(contentsOfFile: report, encoding: .utf8)
        #expect(!json.contains(Self.key))
        // Nor in the MP3 (its ID3 tag): neither the base64 nor the raw master key.
        let mp3 = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
        let raw = try #require(Data(base64Encoded: Self.key)).prefix(16)
        for needle in [Array(Self.key.utf8), Array(raw)] {
            #expect(!mp3.indices.dropLast(needle.count).contains { mp3[$0..<$0 + needle.count].elementsEqual(needle) })
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let legs = parsed?["legs"] as? [[String: Any]]
        let encryption = (legs?.first?["encryption"] as? [[String: Any]])?.first
        #expect(legs?.count == 1)
        #expect(encryption?["encrypted"] as? Bool == true)
        #expect(encryption?["keySource"] as? String == "option")
        #expect(encryption?["suite"] as? String == "AES_CM_128_HMAC_SHA1_80")
        #expect(encryption?["authenticated"] as? Int == 11_888)
        #expect(encryption?["authenticationFailures"] as? Int == 0)
    }

    @Test("--srtp-keys FILE and inspect: the stream's encryption fields, the key in no output")
    func inspectWithKeyFile() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = directory.appendingPathComponent("keys.json")
        try Data(#"[{"ssrc": "0xdeadbeef", "suite": "AES_CM_128_HMAC_SHA1_80", "key": "\#(Self.key)"}]"#.utf8)
            .write(to: keys)
        let outcome = try Self.run(["inspect", try Self.capture, "--srtp-keys", keys.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        Self.expectNoKey(outcome)
        let parsed = try JSONSerialization.jsonObject(with: Data(outcome.stdout)) as? [String: Any]
        let stream = (parsed?["streams"] as? [[String: Any]])?.first
        let encryption = stream?["encryption"] as? [String: Any]
        #expect(encryption?["status"] as? String == "decrypted")
        #expect(encryption?["keySource"] as? String == "key file")
        #expect(encryption?["authenticated"] as? Int == 11_888)
    }

    @Test("a malformed --srtp-key or key file: a usage error naming the option or file, never the key")
    func malformedKeys() throws {
        let bad = try Self.run([try Self.capture, "--srtp-key", "AES_CM_128_HMAC_SHA1_80:" + Self.key.dropLast(3)])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--srtp-key"))
        Self.expectNoKey(bad)
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = directory.appendingPathComponent("broken.json")
        try Data(#"[{"suite": "AES_CM_128_HMAC_SHA1_80", "key": "\#(Self.key)""#.utf8).write(to: keys)
        let broken = try Self.run([try Self.capture, "--srtp-keys", keys.path])
        #expect(broken.status == 64)
        #expect(broken.stderr.contains("broken.json"))
        Self.expectNoKey(broken)
    }
}
