import CallTimeline
import Capture
import FoundationEssentials
import TestSupport
import Testing
import Transcoder

/// Inputs the fuzzers (scripts/fuzz) found to trap or misbehave, kept as they were found (base64) so that each
/// stays fixed. Each test names the finding and what it proves.
@Suite("Fuzzer findings")
struct FuzzRegressionTests {
    static func bytes(_ base64: [String]) throws -> [UInt8] {
        try #require(Data(base64Encoded: base64.joined()).map { Array($0) })
    }

    // FuzzCapture crash-32165ed9: a 1,102-byte pcapng whose timestamps lie near the end of the Int64
    // nanosecond range (year 2262, reachable through if_tsresol/if_tsoffset) trapped with an arithmetic
    // overflow placing a segment (PlacedSegment.captureTime: anchor + offset). Proves it now reads to an
    // outcome (a call or a clear error) without trapping.
    @Test("capture times at the end of the Int64 range")
    func captureTimeOverflow() throws {
        let bytes = try Self.bytes([
            "Cg0NChwAAABNPCsaAQAAAP//////////HAAAAAEAAAAUAAAAAAAAAAAABAAUAAAABgAAAOwAAAAAAAAAZ2EGAIg7NVvMAAAAzAAA",
            "AAIAAABFAADIEjQAAEARe5/AAAIKxjNkFJxAw1AAtI4EgIAD6AACcQARERERz8O9vLy+wcbJy8zMzc7Q1NfZ2tvb3d/k6u/4/X15",
            "cWtlX11cXFxbWVZTUE9OTk1MSUVBPz5AR1J41cjBv7/CxsrMzs/P0NLV2Nvc3d7e3+Ln7PL5/X56c21oZGBfX15eXFpXVVNSUlFP",
            "TUlGRENGS1h+2MzGxMXHys7Q09TU1dfZ3N7f4eHi5Ofr7/X6/n56dW5qZ2RjY2JhX11bWVhXV+wAAAADAAAA3AAAAMwAAAACAAAA",
            "RQAAyBI0AABAERNixjNkFMYzZBTDUMNQALR3p4CIA+gAAnEAIiIiIvLg6err7uLm5fv4+f788/b1yMnOz83Axd7T1tVVV1BfWkZC",
            "TUxPTkt0cXN9fHx/eGVmYmxvbWdwVvfk4+zs4+bl/v3y8vPx98rOzcPDwMbE2N3Q19VVV1FdWVpHQUFAQ01JdXd2cXFwcn5lZ2Fg",
            "ZnhKVcr55+Hh5/v88/b29/T1yMzAxsfExNrY39PW1NVVVFFSX1haRUVFREFCT0hKdXXcAAAAAgAAAOwAAAAAAAAAZ2EGAKiJNVvM",
            "AAAAzAAAAAIAAABFAADIEjQAAEARe5/AAAIKxjNkFJxAw1AAtEyVgAAD6QACcaARERERVlNPTUpISEtRX/LZzsrJyszP09bY2Nna",
            "293f4uTl5ubo6+7z+fz/fXp1b2xpaGdnZmViX11cW1tbWVdUT01MTVBZbOnZ0M3NztHV2dvc3N3e3+Ll5+jp6ers7vL3+/5/fXl1",
            "cG1rampqaWhlYmBfXl5dXFpWU1BQU1lj/eLY09HR1Njb3d7f3+Di5efp6+vs7O3v8/f7/f9+fHl0cG5tbOwAAAAGAAAA7AAAAAAA",
            "AABnYQYgqIk0W8wAAADMAAAAAgAAAEUAAMgSNAAAQBETYsYzZBTGM2QUw1DDUAC0t5iACAPpAAJxoCIiIiJ0dnN/e2VleHBB0Mv9",
            "++X6/vL29MrLyMnMw8bF2tvb2Nnf0tHX1NVVV1ZTXV5ZWFhYW0VGQ01MT05JdXZzf35/c0hc3svz///98PfLz8zNwsPBxNvY2d7e",
            "39zS0NbU1VVVV1FTXVxfXl5eWFpERkBAQ0JMSHRxc3JxSkXVx/Xx8/P29cnNw8DBxsfF2N7f39/c3dLQ1tTV1VVUV1FTXVxc7AAA",
            "AAMAAADcAAAAzAAAAAIAAABFAADIEjQAAEARe5/AAAIKxjNkFJxAw1AAtCvegAAD6gACckARERERbGxraWdkY2JhYF9eW1hVVFVZ",
            "YHPr3tjV1dfa3N/h4uLj5Obp6+zt7e3u7/P3+v3+fn16d3Nwbm5tbW1raWdlZGNjYl9dWw==",
        ])
        #expect(bytes.count == 1102)
        let reading = Hardening.ingest(bytes)
        if case .success(let contents) = reading { _ = try? contents.selectCall(nil) }
    }

    // The fix of that finding on a readable input: a two-way call in a pcapng whose interface has if_tsoffset
    // = 7·10^9 s (capture times in the year 2191, past the 2^62 ns window the timeline now clamps to). Proves
    // the call is still found with both legs, the clamping is reported as a warning, and the call renders.
    @Test("a call dated past 2116 is clamped and kept")
    func futureCall() throws {
        var first = SynthLeg(codec: .pcmu, source: Hardening.alice, destination: Hardening.bob)
        first.durationSeconds = 1
        var second = SynthLeg(codec: .pcma, source: Hardening.bob, destination: Hardening.alice)
        second.durationSeconds = 1
        second.ssrc = 0x2222_2222
        let synth = CallSynthesizer(legs: [first, second])
        var writer = CaptureWriter(format: .pcapng(bigEndian: false))
        writer.addInterface(.init(linkType: .ethernet, offsetSeconds: 7_000_000_000))
        for packet in synth.packets() {
            // The writer takes absolute times and stores them less the interface's offset.
            writer.addUDP(
                timestamp: packet.arrival + 7_000_000_000 * 1_000_000_000,
                source: packet.source,
                destination: packet.destination,
                payload: packet.payload,
                interface: 1
            )
        }
        let bytes = writer.finish()
        let contents = try Hardening.ingest(bytes).get()
        let call = try contents.selectCall(nil)
        #expect(call.legs.count == 2)
        #expect(contents.timeline.summary.warnings.contains { $0.contains("clamped") })
        // Both passes clamp alike, so the recording renders in full.
        var settings = TranscodeSettings()
        settings.format = .wav
        let result = try RecordingEncoder.encode(
            contents: contents,
            call: call,
            source: MemorySource(bytes: bytes, name: "2191.pcapng"),
            settings: settings
        )
        #expect(result.recording.frames == Int((call.durationSeconds * 8000).rounded()))
    }
}
