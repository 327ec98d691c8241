import AudioCodecs
import GSMCodec
import TestSupport
import Testing

@Suite("GSM 06.10 (libgsm)")
struct GSMDecoderTests {
    static let speech = CodecTest.speech(sampleRate: 8000)
    static let frames = GSMEncoder().encode(stream: speech)

    static func codecFrames(_ frames: [[UInt8]]) -> [CodecFrame] {
        frames.map { CodecFrame(kind: .speech, bytes: $0, sampleCount: 160) }
    }

    // Proves the wrapper adds nothing to libgsm on a clean stream: sample for sample what libgsm gives, 160 samples
    // per 33-byte frame, at the input's level.
    @Test func decodesLikeTheLibrary() {
        let decoder = GSMDecoder()
        let output = CodecTest.decode(Self.codecFrames(Self.frames), with: decoder)
        #expect(Self.frames.count == 200 && Self.frames.allSatisfy { $0.count == 33 && $0[0] >> 4 == 0xD })
        #expect(output == GSMLibrary.decode(Self.frames))
        #expect(decoder.rejectedFrames == 0)
        let vowel = 0..<19200
        let levelDifference = CodecTest.level(output, in: vowel) - CodecTest.level(Self.speech, in: vowel)
        #expect(abs(levelDifference) < 3, "level difference \(levelDifference) dB")
    }

    // Proves independent decoders agree: FFmpeg's own gsm decoder and its libgsm wrapper, from a raw file of the
    // same frames.
    @Test(.enabled(if: CodecTest.hasFFmpeg), arguments: ["gsm", "libgsm"])
    func ffmpegAgrees(ffmpegDecoder: String) throws {
        let decoder = GSMDecoder()
        let ours = CodecTest.decode(Self.codecFrames(Self.frames), with: decoder)
        let reference = try CodecTest.ffmpeg(
            CodecStreamFile.raw(Self.frames),
            suffix: ".gsm",
            inputOptions: ["-f", "gsm"],
            decoder: ffmpegDecoder
        )
        let comparison = SignalComparison(reference: reference.mono, actual: ours)
        CodecTest.figure("GSM vs ffmpeg \(ffmpegDecoder)", comparison)
        #expect(comparison.compared == ours.count)
        #expect(comparison.correlation >= 0.99, "\(comparison)")
    }

    // Proves GSM leaves losses to the caller: `conceal` says it has no concealment and appends nothing.
    @Test func hasNoConcealmentOfItsOwn() {
        let decoder = GSMDecoder()
        var output: [Int16] = []
        #expect(!decoder.conceal(count: 160, next: nil, appendingTo: &output))
        #expect(output.isEmpty)
    }

    // Proves frames that cannot be decoded inside a stream (`.damaged`, a bad signature, a wrong size) are filled
    // by the G.711 Appendix I concealer from the audio before them: the right length, continuing the vowel, no
    // click, no rise, and the decode resumes with a cross-fade.
    @Test func undecodableFramesAreConcealed() {
        let lost: Set<Int> = [30, 31, 75, 110, 111, 112, 150]
        let decoder = GSMDecoder()
        let lossy = LossyDecode(
            Self.codecFrames(Self.frames),
            lost: lost,
            samples: 160,
            asDamaged: true,
            decoder: decoder
        )
        #expect(lossy.output.count == Self.frames.count * 160)
        #expect(decoder.rejectedFrames == 0)
        #expect(lossy.problems(samples: 160, clean: GSMLibrary.decode(Self.frames), sampleRate: 8000) == [])
        #expect(CodecTest.level(lossy.output, in: lossy.gaps[0]) > -40)

        let other = GSMDecoder()
        var frames = Self.codecFrames(Array(Self.frames.prefix(20)))
        frames[5].bytes[0] = 0x1F  // signature nibble 1, not 0xD
        frames[9].bytes.removeLast()
        let output = CodecTest.decode(frames, with: other)
        #expect(output.count == 20 * 160)
        #expect(other.rejectedFrames == 2)
    }
}
