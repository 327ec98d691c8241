import Capture
import Foundation
import TestSupport
import Testing

/// The built `rtp2mp3` binary, run as a user runs it, with ffmpeg, ffprobe and mpg123 checking its output.
@Suite("rtp2mp3 command line", .serialized, .enabled(if: TestData.shouldRun))
struct CommandLineTests {
    static let binary = Subprocess.product("rtp2mp3")

    static func run(_ arguments: [String]) throws -> Subprocess.Outcome {
        try Subprocess.run(binary, arguments)
    }

    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var seconds: Double
        var sampleRate: Int
        var description: String { file }
    }

    static let audioCaptures: [Case] = [
        Case(file: "wireshark-samples/MagicJack_short_call.pcap", seconds: 12.84, sampleRate: 8000),
        Case(file: "wireshark-samples/SIP_DTMF2.pcap", seconds: 20.03, sampleRate: 8000),
        Case(file: "wireshark-samples/sip-rtp-g722.pcap", seconds: 8.5, sampleRate: 16000),
        Case(file: "asterisk-testsuite/40msalaw.pcap", seconds: 33.04, sampleRate: 8000),
        Case(file: "asterisk-testsuite/CARRIER_G711U.pcap", seconds: 16.28, sampleRate: 8000),
        Case(file: "projectrtp/ivr_dtmf_issue_9_1_9_9_3.pcap", seconds: 46.31, sampleRate: 8000),
        Case(file: "projectrtp/dtmfcapture1.pcap", seconds: 7.13, sampleRate: 8000),
        Case(file: "ndpi/vlan_qinq_gtp_rtp_false_positives.pcapng", seconds: 0.36, sampleRate: 8000),
        Case(file: "sipp/g711a.pcap", seconds: 7.08, sampleRate: 8000),
    ]

    /// Every capture with audio becomes an MP3 that ffmpeg and mpg123 decode without complaint, stereo at the
    /// call's rate, whose decoded length is the call's (the LAME tag lets decoders trim delay and padding; one
    /// MP3 frame of slack).
    @Test("MP3 of each real capture decodes right", arguments: audioCaptures)
    func mp3Decodes(_ capture: Case) throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.mp3").path
        let result = try Self.run([try TestData.url("captures/" + capture.file).path, "-o", output, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let audio = try DecodedAudio.ffmpeg(output)
        #expect(audio.channels == 2)
        #expect(audio.sampleRate == capture.sampleRate)
        let frame = capture.sampleRate == 16000 ? 576.0 : 576.0
        #expect(abs(audio.seconds - capture.seconds) <= frame / Double(capture.sampleRate) + 0.011, "\(audio.seconds)")
        guard let mpg123 = Subprocess.tool("mpg123") else {
            if TestData.isCI { Issue.record("mpg123 missing") }
            return
        }
        let check = try Subprocess.run(mpg123, ["-q", "-s", output])
        #expect(check.status == 0)
        #expect(!check.stderr.lowercased().contains("error"), "\(check.stderr)")
        #expect(check.stdout.count / 4 == audio.frames, "mpg123 and ffmpeg agree on the length")
    }

    /// One thread unless `--encoder-thread` asks for a second; the two flags exclude each other (a usage error).
    @Test("threading: one thread by default, --encoder-thread to use a second core")
    func threadingFlags() throws {
        let help = try Self.run(["help", "transcode"])
        #expect(help.status == 0)
        #expect(help.stdoutText.contains("--single-thread"))
        #expect(help.stdoutText.contains("--encoder-thread"))
        #expect(help.stdoutText.contains("(default: --single-thread)"))
        let input = try TestData.url("captures/wireshark-samples/MagicJack_short_call.pcap").path
        let both = try Self.run([input, "-o", "/dev/null", "--single-thread", "--encoder-thread"])
        #expect(both.status == 64)
    }

    /// Two runs on the same input give byte-identical MP3s (no wall-clock time anywhere), with or without the
    /// encoder thread (at 16 kHz, so that the legs are resampled and the thread is used).
    @Test("deterministic output")
    func deterministic() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try TestData.url("captures/wireshark-samples/MagicJack_short_call.pcap").path
        let first = directory.appendingPathComponent("a.mp3").path
        let second = directory.appendingPathComponent("b.mp3").path
        let options = ["-q", "--sample-rate", "16000", "--encoder-thread"]
        #expect(try Self.run([input, "-o", first] + options).status == 0)
        #expect(try Self.run([input, "-o", second] + options).status == 0)
        let third = directory.appendingPathComponent("c.mp3").path
        #expect(try Self.run([input, "-o", third, "-q", "--sample-rate", "16000"]).status == 0)
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        let b = try Data(contentsOf: URL(fileURLWithPath: second))
        #expect(a == b)
        // Encoding on a second thread changes nothing in the bytes.
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: third))))
        #expect(a.count > 10_000)
    }

    /// A VBR recording carries the Xing/LAME tag, so ffprobe reports the right duration.
    @Test("VBR duration is right in ffprobe")
    func vbrDuration() throws {
        guard let ffprobe = Subprocess.tool("ffprobe") else { throw MissingTool(name: "ffprobe") }
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("vbr.mp3").path
        let input = try TestData.url("captures/projectrtp/ivr_dtmf_issue_9_1_9_9_3.pcap").path
        #expect(try Self.run([input, "-o", output, "--vbr-quality", "4", "-q"]).status == 0)
        let probe = try Subprocess.run(
            ffprobe,
            ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", output]
        )
        let seconds = Double(probe.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        // ffprobe multiplies the tag's frame count by 576: the call plus LAME's delay and padding (at most
        // 1105 + 576 samples, 0.21 s at 8 kHz). Without the tag it would guess from the first frame's bitrate.
        #expect(seconds >= 46.31 && seconds - 46.31 < 0.22, "ffprobe says \(seconds) s")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        #expect(bytes.range(of: Data("Xing".utf8)) != nil)
        #expect(bytes.range(of: Data("LAME".utf8)) != nil)
    }

    /// WAV output at 16 kHz mono, and the report beside it naming the output's SHA-256.
    @Test("WAV output, mono, 16 kHz, with report")
    func wavWithReport() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("call.wav").path
        let report = directory.appendingPathComponent("call.json").path
        let input = try TestData.url("captures/projectrtp/dtmfcapture1.pcap").path
        let result = try Self.run([
            input, "-o", output, "--channels", "mono", "--sample-rate", "16000", "--report", report,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutText.contains("mono 16000 Hz"))
        let audio = try DecodedAudio.ffmpeg(output)
        #expect(audio.channels == 1 && audio.sampleRate == 16000)
        #expect(abs(audio.seconds - 7.134) < 0.002)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        let outputInfo = json?["output"] as? [String: Any]
        #expect(outputInfo?["format"] as? String == "wav")
        #expect((outputInfo?["sha256"] as? String)?.count == 64)
        let legs = json?["legs"] as? [[String: Any]]
        #expect(legs?.count == 2)
    }

    /// Invalid or unsupported input: exit 65, one line on stderr naming the input and the reason, nothing at
    /// the output path (not even a temporary file).
    @Test("invalid input exits 65 and writes nothing", arguments: ["asterisk-testsuite/ssrc1.pcap", "garbage"])
    func invalidInput(_ name: String) throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input: String
        if name == "garbage" {
            input = directory.appendingPathComponent("garbage.pcap").path
            try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: input))
        } else {
            input = try TestData.url("captures/" + name).path
        }
        let output = directory.appendingPathComponent("out.mp3").path
        let result = try Self.run([input, "-o", output])
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("rtp2mp3: error: \(input): ") == true, "\(result.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("out") }
        #expect(left.isEmpty)
    }

    /// A capture cut off mid-packet (a tap stopped by force) still gives the recording of what is there, and a
    /// warning naming the input, the byte offset and the packet where it ends — no data lost, nothing hidden.
    @Test("truncated capture: recording of what is there, warning with offset")
    func truncatedCapture() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let full = try TestData.bytes("captures/projectrtp/dtmfcapture1.pcap")
        let input = directory.appendingPathComponent("cut.pcap").path
        try Data(full.prefix(100_000)).write(to: URL(fileURLWithPath: input))
        let output = directory.appendingPathComponent("cut.mp3").path
        let result = try Self.run([input, "-o", output, "-q"])
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("rtp2mp3: warning: \(input): truncated record"), "\(result.stderr)")
        #expect(result.stderr.contains("at byte 99783 (packet 441)"))
        #expect(FileManager.default.fileExists(atPath: output))
    }

    /// Ten minutes of G.711: pass 2 takes long enough to be stopped in.
    static let longCapture: [UInt8] = {
        var leg = SynthLeg(
            codec: .pcmu,
            source: Endpoint(address: IPAddress(ipv4: 0xC000_0201), port: 40000),
            destination: Endpoint(address: IPAddress(ipv4: 0xC633_6402), port: 50000)
        )
        leg.durationSeconds = 600
        return CallSynthesizer(legs: [leg]).capture()
    }()

    /// Stopping a transcode with SIGINT or SIGTERM while its output is being written removes the temporary file
    /// and exits with 128 + the signal: nothing is left beside the target. The handler is proved in place (the
    /// kernel lists the signal as caught) at the first moment a temporary file exists, so the test never races
    /// the handler's installation: it is installed before any file is made.
    @Test("interrupted: exit 128 + signal, no temporary file left", arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("long.pcap")
        try Data(Self.longCapture).write(to: input)
        let process = try SignallableProcess(
            Self.binary,
            [input.path, "-o", directory.appendingPathComponent("out.mp3").path, "-q"]
        )
        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() }
        let deadline = Date().addingTimeInterval(60)
        while try !names().contains(where: { $0.hasPrefix("out.mp3.tmp-") }), Date() < deadline {
            usleep(200)
        }
        #expect(try names().contains { $0.hasPrefix("out.mp3.tmp-") }, "the output is being written")
        #expect(process.catches(signal), "the handler is in place once a temporary file exists")
        let status = process.stop(with: signal)
        #expect(status == 128 + signal)
        #expect(try names() == ["long.pcap"])
    }

    /// Usage errors exit 64; a missing input file and an output that cannot be created are I/O errors, 74.
    @Test("usage 64, missing file 74")
    func exitCodes() throws {
        #expect(try Self.run(["x.pcap", "--bitrate", "32", "--vbr-quality", "2"]).status == 64)
        #expect(try Self.run(["x.pcap", "-o", "x.ogg"]).status == 64)
        let missing = try Self.run(["/nonexistent/call.pcap", "-o", "/nonexistent/never.mp3"])
        #expect(missing.status == 74)
        #expect(missing.stderr.hasPrefix("rtp2mp3: error: /nonexistent/call.pcap: no such file"), "the input first")
        // An output that cannot be created is an I/O error naming it, found before any work is done.
        let input = try TestData.url("captures/wireshark-samples/MagicJack_short_call.pcap").path
        let unwritable = try Self.run([input, "-o", "/nonexistent/call.mp3"])
        #expect(unwritable.status == 74)
        #expect(
            unwritable.stderr.hasPrefix(
                "rtp2mp3: error: /nonexistent/call.mp3: cannot create: no such folder /nonexistent"
            )
        )
    }

    /// `inspect` prints JSON with the streams, calls, legs and DTMF of a capture.
    @Test("inspect prints the call as JSON")
    func inspect() throws {
        let result = try Self.run(["inspect", try TestData.url("captures/wireshark-samples/SIP_DTMF2.pcap").path])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
        let calls = json?["calls"] as? [[String: Any]]
        #expect(calls?.count == 1)
        let streams = json?["streams"] as? [[String: Any]]
        #expect(streams?.count == 2)
        let dialogs = json?["sipDialogs"] as? [[String: Any]]
        #expect(dialogs?.isEmpty == false)
    }
}

/// A child process started with no signal blocked and the default action for SIGINT and SIGTERM, as a shell
/// starts a command. (Foundation's `Process` passes on the signal mask of the thread that starts it, and the test
/// runner's threads block those signals.)
struct SignallableProcess {
    let pid: pid_t

    init(_ executable: String, _ arguments: [String]) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw CocoaError(.executableLoad) }
        self.pid = pid
    }

    /// Whether the process has a handler for `signal` (the `SigCgt` mask of /proc/PID/status).
    func catches(_ signal: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
            let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << UInt64(signal - 1)) != 0
    }

    /// Sends `signal` and waits; returns the exit status, or -1 when the process did not exit by itself.
    func stop(with signal: Int32) -> Int32 {
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED and WEXITSTATUS of <sys/wait.h>, not imported into Swift.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    }
}
