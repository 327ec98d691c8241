import AudioCodecs
import G729Codec
import TestSupport
import Testing

@Suite("G.729 (bcg729)")
struct G729DecoderTests {
    /// 4 s of speech material encoded by bcg729 (G.729A, Annex B off): 400 frames of 10 bytes.
    static let speech = CodecTest.speech(sampleRate: 8000)
    static let frames = G729Encoder(annexB: false).encode(stream: speech)

    static func codecFrames(_ frames: [[UInt8]]) -> [CodecFrame] {
        frames.map { bytes in
            switch bytes.count {
            case 0: CodecFrame(kind: .noData, bytes: [], sampleCount: 80)
            case 2: CodecFrame(kind: .silenceDescriptor, bytes: bytes, sampleCount: 80)
            default: CodecFrame(kind: .speech, bytes: bytes, sampleCount: 80)
            }
        }
    }

    // Proves the wrapper adds nothing to bcg729 on a clean stream: sample for sample what bcg729 called directly
    // gives, 80 samples per frame, and the decode is speech at the input's level (not noise, not silence).
    @Test func decodesLikeTheLibrary() {
        let decoder = G729Decoder()
        let output = CodecTest.decode(Self.codecFrames(Self.frames), with: decoder)
        #expect(Self.frames.count == 400 && Self.frames.allSatisfy { $0.count == 10 })
        #expect(output == G729Library.decode(Self.frames))
        #expect(output.count == Self.frames.count * 80)
        #expect(decoder.rejectedFrames == 0)
        let vowel = 0..<19200
        let levelDifference = CodecTest.level(output, in: vowel) - CodecTest.level(Self.speech, in: vowel)
        #expect(abs(levelDifference) < 3, "level difference \(levelDifference) dB")
    }

    // Proves an independent decoder (FFmpeg's own g729, from the same frames in a raw file) hears the same audio.
    @Test(.enabled(if: CodecTest.hasFFmpeg)) func ffmpegAgrees() throws {
        let decoder = G729Decoder()
        let ours = CodecTest.decode(Self.codecFrames(Self.frames), with: decoder)
        let reference = try CodecTest.ffmpeg(
            CodecStreamFile.raw(Self.frames),
            suffix: ".g729",
            inputOptions: ["-f", "g729"]
        )
        #expect(reference.sampleRate == 8000)
        let comparison = SignalComparison(reference: reference.mono, actual: ours)
        CodecTest.figure("G.729 vs ffmpeg g729", comparison)
        #expect(comparison.compared == ours.count)
        #expect(comparison.correlation >= 0.99, "\(comparison)")
    }
}

extension G729DecoderTests {
    /// Frames lost at known places: single frames in the vowel and the chirp, a burst of five.
    static let lost: Set<Int> = [40, 41, 90, 150, 151, 152, 153, 154, 260]

    // Proves a lost frame becomes bcg729's erasure concealment (G.729 §4.4), 80 samples each, the same as bcg729
    // told of an erasure, with no click at the gap's edges and no rise in level.
    @Test func lossIsConcealedByTheCodec() {
        let decoder = G729Decoder()
        let lossy = LossyDecode(Self.codecFrames(Self.frames), lost: Self.lost, samples: 80, decoder: decoder)
        let reference = G729Library.decode(
            Self.frames.enumerated().map { Self.lost.contains($0.offset) ? nil : $0.element }
        )
        #expect(lossy.output == reference)
        let clean = G729Library.decode(Self.frames)
        #expect(lossy.problems(samples: 80, clean: clean, sampleRate: 8000) == [])
        // The concealment is not silence: it continues the vowel.
        #expect(CodecTest.level(lossy.output, in: lossy.gaps[0]) > -40)
    }

    // Proves a `.damaged` frame and a frame of the wrong size are erasures too (and the latter is counted), and a
    // concealment of any length comes out exactly that long.
    @Test func damagedAndMisSizedFramesAreErasures() {
        let decoder = G729Decoder()
        var frames = Self.codecFrames(Array(Self.frames.prefix(20)))
        frames[5] = CodecFrame(kind: .damaged, bytes: frames[5].bytes, sampleCount: 80)
        frames[9] = CodecFrame(kind: .speech, bytes: Array(frames[9].bytes.prefix(7)), sampleCount: 80)
        let output = CodecTest.decode(frames, with: decoder)
        var reference = Array(Self.frames.prefix(20)).map { Optional($0) }
        reference[5] = nil
        reference[9] = nil
        #expect(output == G729Library.decode(reference))
        #expect(decoder.rejectedFrames == 1)
        var tail: [Int16] = []
        #expect(decoder.conceal(count: 123, next: nil, appendingTo: &tail))
        #expect(tail.count == 123)
    }

    // Proves Annex B streams decode: bcg729's encoder with VAD sends SID frames and nothing in the silence, the
    // decoder makes comfort noise there (quiet, not silent garbage) exactly as bcg729 does, 80 samples per slot.
    @Test func annexBSilenceBecomesComfortNoise() {
        let frames = G729Encoder(annexB: true).encode(stream: Self.speech)
        #expect(frames.contains { $0.count == 2 })
        #expect(frames.contains { $0.isEmpty })
        let decoder = G729Decoder()
        let output = CodecTest.decode(Self.codecFrames(frames), with: decoder)
        #expect(output.count == frames.count * 80)
        #expect(output == G729Library.decode(frames))
        // The silence is 25 600..<28 800; the first 100 ms of it still carry the chirp's decay and the VAD hangover.
        let silence = 26400..<28800
        let noiseLevel = CodecTest.level(output, in: silence)
        print("figure: G.729B comfort noise in the 0.4 s of digital silence: \(noiseLevel) dBFS")
        #expect(noiseLevel < -50)
    }
}
