import AudioCodecs
import Foundation
import TestSupport

/// What the codec tests share: the input signal, the frames given to a decoder, files for ffmpeg, the checks on
/// concealed audio.
enum CodecTest {
    /// Speech-like material at `sampleRate`: a vowel with a pitch contour and syllable envelope (2.4 s), a chirp
    /// across the band (0.8 s), 0.4 s of silence (where DTX codecs stop sending) and noise bursts (0.4 s).
    static func speech(sampleRate: Int) -> [Int16] {
        let unit = sampleRate / 10
        return Signals.vowel(count: unit * 24, sampleRate: sampleRate)
            + Signals.chirp(
                from: 150,
                to: Double(sampleRate) * 0.42,
                amplitude: 7000,
                count: unit * 8,
                sampleRate: sampleRate
            )
            + [Int16](repeating: 0, count: unit * 4)
            + Signals.noiseBursts(amplitude: 3000, burst: unit / 2, count: unit * 4)
    }

    /// Decodes `frames` one by one with `decoder`, the way the timeline will call it. (The library decoders are
    /// classes: the calls reach the caller's decoder.)
    static func decode(_ frames: [CodecFrame], with decoder: any AudioDecoder) -> [Int16] {
        var decoder = decoder
        var output: [Int16] = []
        for frame in frames { decoder.decode(frame, appendingTo: &output) }
        return output
    }

    /// Writes `bytes` to a new temporary file named with `suffix` and returns its path.
    static func temporaryFile(_ bytes: [UInt8], suffix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("rtp2mp3-codec-\(UUID().uuidString)\(suffix)")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Decodes `bytes` (written to a temporary file) with ffmpeg, as described for ``DecodedAudio/ffmpeg(_:inputOptions:decoder:)``.
    static func ffmpeg(
        _ bytes: [UInt8],
        suffix: String,
        inputOptions: [String] = [],
        decoder: String? = nil
    ) throws -> DecodedAudio {
        let path = try temporaryFile(bytes, suffix: suffix)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try DecodedAudio.ffmpeg(path, inputOptions: inputOptions, decoder: decoder)
    }

    /// Whether ffmpeg is there (the codec tests that compare with it are skipped without it, as elsewhere).
    static let hasFFmpeg = Subprocess.tool("ffmpeg") != nil && Subprocess.tool("ffprobe") != nil

    /// Prints a measured figure in a form the report can quote (`swift test … | grep figure:`).
    static func figure(_ name: String, _ comparison: SignalComparison) {
        print("figure: \(name): \(comparison)")
    }

    /// The largest step between neighbouring samples in `range` (a click shows as a step far above the signal's).
    static func largestStep(_ samples: [Int16], in range: Range<Int>) -> Int {
        let slice = samples[range.clamped(to: 0..<samples.count)]
        return zip(slice, slice.dropFirst()).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    /// RMS level in dBFS of `samples` in `range`.
    static func level(_ samples: [Int16], in range: Range<Int>) -> Double {
        let slice = samples[range.clamped(to: 0..<samples.count)]
        let energy = slice.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(slice.count, 1))
        return 10 * log10(max(energy, 1e-9) / (32768.0 * 32768.0))
    }

    /// Random bytes from a seeded generator.
    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }
}

/// A stream decoded with losses at known frames: the decoder's output, and where each lost frame's samples are.
struct LossyDecode {
    var output: [Int16] = []
    var gaps: [Range<Int>] = []

    /// Decodes `frames` with `decoder`, calling `conceal` for the frames at `lost` (each `samples` long), with the
    /// following frame as `next` when `passNext`; or, with `asDamaged`, handing them to `decode` marked damaged.
    init(
        _ frames: [CodecFrame],
        lost: Set<Int>,
        samples: Int,
        passNext: Bool = false,
        asDamaged: Bool = false,
        decoder: any AudioDecoder
    ) {
        var decoder = decoder
        for (index, frame) in frames.enumerated() {
            if lost.contains(index) && asDamaged {
                let start = output.count
                decoder.decode(
                    CodecFrame(kind: .damaged, bytes: frame.bytes, sampleCount: samples),
                    appendingTo: &output
                )
                gaps.append(start..<output.count)
            } else if lost.contains(index) {
                let start = output.count
                let next = passNext && index + 1 < frames.count ? frames[index + 1] : nil
                let concealed = decoder.conceal(count: samples, next: next, appendingTo: &output)
                precondition(concealed, "the decoder has its own concealment")
                gaps.append(start..<output.count)
            } else {
                decoder.decode(frame, appendingTo: &output)
            }
        }
    }

    /// Checks made on every lossy decode: each gap is exactly `samples` long; around each gap (10 ms either side)
    /// no step between samples exceeds the largest step of the lossless decode (no click), and the gap is no
    /// louder than 3 dB over the clean audio (concealment fades, it does not blow up).
    func problems(samples: Int, clean: [Int16], sampleRate: Int) -> [String] {
        var problems: [String] = []
        let cleanLargestStep = CodecTest.largestStep(clean, in: 0..<clean.count)
        let margin = sampleRate / 100
        for gap in gaps {
            if gap.count != samples { problems.append("gap \(gap) is \(gap.count) samples, expected \(samples)") }
            let step = CodecTest.largestStep(output, in: (gap.lowerBound - margin)..<(gap.upperBound + margin))
            if step > cleanLargestStep {
                problems.append("step \(step) around gap \(gap) above the clean decode's largest \(cleanLargestStep)")
            }
            // The vowel's syllable envelope rises and falls: the reference level is the louder of the 100 ms before
            // the gap and the lossless decode during it.
            let before = CodecTest.level(clean, in: max(0, gap.lowerBound - sampleRate / 10)..<gap.lowerBound)
            let truth = CodecTest.level(clean, in: gap)
            let during = CodecTest.level(output, in: gap)
            if during > max(before, truth) + 3 {
                problems.append("gap \(gap) at \(during) dBFS; before it \(before), lossless \(truth) dBFS")
            }
        }
        return problems
    }
}
