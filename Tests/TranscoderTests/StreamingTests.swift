import AudioCodecs
import Capture
import Foundation
import TestSupport
import Testing
import Transcoder

/// The pipeline streams: the bytes of a capture arrive in whatever pieces the file system or the S3 GET gives,
/// and the recording must not depend on where those pieces are cut (SPEC §8).
@Suite("Streaming: the recording does not depend on how the capture arrives")
struct StreamingTests {
    static let alice = Endpoint(address: IPAddress(ipv4: 0xC000_0201), port: 40000)
    static let bob = Endpoint(address: IPAddress(ipv4: 0xC633_6402), port: 50000)

    /// A call with everything that makes rendering depend on what has arrived so far: loss bursts shorter and
    /// longer than the concealment limit, reordering, duplicates, jitter, drift, an SSRC change and DTMF, on a
    /// G.722 leg and a resampled G.711 leg.
    static func impairedCall() -> [UInt8] {
        var a = SynthLeg(codec: .g722, source: alice, destination: bob)
        a.durationSeconds = 12
        a.lossBursts = [(first: 40, count: 2), (first: 200, count: 9), (first: 400, count: 40)]
        a.reorderProbability = 0.03
        a.duplicateProbability = 0.02
        a.jitterMilliseconds = 30
        a.driftPPM = 120
        a.ssrcChangeAfterPackets = 300
        var b = SynthLeg(codec: .pcmu, source: bob, destination: alice)
        b.ssrc = 0x2222_2222
        b.startMilliseconds = 700
        b.durationSeconds = 10
        b.pitchHz = 210
        b.lossProbability = 0.04
        b.jitterMilliseconds = 15
        b.dtmf = [(code: 5, startMilliseconds: 3000, durationMilliseconds: 200)]
        var synth = CallSynthesizer(legs: [a, b])
        synth.withSIP = true
        return synth.capture()
    }

    /// A loss concealed while streaming is the loss concealed with the whole leg at hand: the decoded packets,
    /// the concealer's substitute for the lost one, including its cross-fade into the quarter pitch period
    /// before the gap (G.711 Appendix I), which pass 2 can only do if it has not yet handed those samples on.
    @Test("a loss concealed in 61-byte pieces equals the concealer run over the whole leg")
    func concealmentWhileStreaming() throws {
        var a = SynthLeg(codec: .pcmu, source: Self.alice, destination: Self.bob)
        a.durationSeconds = 4
        a.lossBursts = [(first: 100, count: 1)]
        let synth = CallSynthesizer(legs: [a])
        var settings = TranscodeSettings()
        settings.format = .wav
        let result = try TwoSteps.transcode(
            MemorySource(bytes: synth.capture(), name: "loss.pcap", chunkSize: 61),
            settings: settings
        )
        let wav = result.recording.bytes
        let rendered = stride(from: 44, to: wav.count - 3, by: 4).map {
            Int16(bitPattern: UInt16(wav[$0]) | UInt16(wav[$0 + 1]) << 8)
        }

        var concealer = PacketLossConcealer(sampleRate: 8000)
        var expected: [Int16] = []
        for (index, payload) in synth.encodedPackets(leg: 0).payloads.enumerated() {
            if index == 100 {
                concealer.conceal(count: 160, appendingTo: &expected)
                continue
            }
            var frame: [Int16] = []
            payload.withUnsafeBytes { G711.decodeMuLaw($0, appendingTo: &frame) }
            if concealer.isConcealing { concealer.resume(&frame) } else { concealer.record(frame) }
            expected += frame
        }
        #expect(rendered.count == expected.count)
        let gap = 100 * 160
        // The reference itself rewrote the tail before the gap (else the comparison below would prove nothing).
        var plain: [Int16] = []
        synth.encodedPackets(leg: 0).payloads[99].withUnsafeBytes { G711.decodeMuLaw($0, appendingTo: &plain) }
        #expect(Array(expected[(gap - 10)..<gap]) != Array(plain[150..<160]))
        #expect(rendered == expected)
    }

    @Test(
        "same recording for any chunking of the input (whole, 64 KiB, 4 KiB, 61 bytes), threaded or not",
        arguments: [.mp3, OutputFormat.wav]
    )
    func chunkingDoesNotMatter(format: OutputFormat) throws {
        let capture = Self.impairedCall()
        var outputs: [[UInt8]] = []
        for (chunkSize, thread) in [(1 << 24, false), (65_536, true), (4_096, false), (61, true)] {
            var settings = TranscodeSettings()
            settings.format = format
            settings.encoderThread = thread
            let result = try TwoSteps.transcode(
                MemorySource(bytes: capture, name: "impaired.pcap", chunkSize: chunkSize),
                settings: settings
            )
            #expect(result.call.legs.count == 2)
            outputs.append(result.recording.bytes)
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
    }

    @Test(
        "a recording written to its file while it is encoded is the same bytes, size and SHA-256 as in memory",
        arguments: [.mp3, OutputFormat.wav]
    )
    func outputFileMatchesMemory(format: OutputFormat) throws {
        let capture = Self.impairedCall()
        var settings = TranscodeSettings()
        settings.format = format
        let source = MemorySource(bytes: capture, name: "impaired.pcap", chunkSize: 65_536)
        let inMemory = try TwoSteps.transcode(source, settings: settings)
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = "out." + format.rawValue
        let path = directory.appendingPathComponent(name).path
        // A small buffer, so that the file is written in many pieces before its start is patched.
        let file = try LocalFiles.OutputFile(path: path, bufferBytes: 4096)
        let streamed = try TwoSteps.transcode(source, settings: settings, output: file)
        #expect(streamed.recording.bytes.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path), "in place only once committed")
        try file.commit()
        let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count > 4 * 4096)
        let same = written == inMemory.recording.bytes
        #expect(same, "the file differs from the recording encoded in memory")
        #expect(streamed.recording.byteCount == written.count)
        #expect(streamed.recording.sha256 == inMemory.recording.sha256)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [name])
    }

    @Test("pass 2 stops between blocks when told to, with the blocks before the stop already in its file")
    func stoppedEncodeStopsBetweenBlocks() throws {
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.mp3").path
        var blocks = 0
        let file = try LocalFiles.OutputFile(path: path, bufferBytes: 4096)
        // Asked before each 2 s block: three blocks, half of the call, are encoded before the stop.
        let error = #expect(throws: TranscodeError.self) {
            try TwoSteps.transcode(
                MemorySource(bytes: Self.impairedCall(), name: "impaired.pcap", chunkSize: 65_536),
                settings: TranscodeSettings(),
                output: file,
                shouldContinue: {
                    blocks += 1
                    return blocks < 4
                }
            )
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(file.size > 0, "bytes were written before the stop")
        // The file is the caller's to commit or discard: dropped, it leaves nothing.
        file.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
