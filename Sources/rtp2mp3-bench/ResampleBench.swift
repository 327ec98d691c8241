import AudioCodecs
import Foundation

/// The `resample` section: throughput of the sample-rate conversions a call needs, on about an hour of
/// speech-like audio at each input rate, fed in 20 ms blocks as the pipeline feeds a leg.
///
/// With `--write-streams DIR` the inputs are also written as raw 16-bit little-endian mono (`x-RATE.s16`), for
/// ffmpeg's resampler on the same audio.
enum ResampleBench {
    /// The conversions measured: the telephony ones (a narrowband leg in a wideband call and back), a leg in a
    /// 24 or 48 kHz recording, Opus decoded at 48 kHz and Speex ultra-wideband in a 16 kHz call, and the
    /// fractional ratios (Opus at 12 kHz, L16 at 44.1 kHz).
    static let conversions = [
        (8000, 16000), (8000, 24000), (8000, 48000), (16000, 8000), (16000, 48000), (48000, 16000),
        (32000, 16000), (12000, 16000), (44100, 48000),
    ]

    static func run(_ arguments: [String]) {
        var minutes = 60
        var runs = 5
        var streamDirectory: String?
        var only: String?
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--minutes": minutes = Int(value) ?? minutes
            case "--runs": runs = max(1, Int(value) ?? runs)
            case "--write-streams": streamDirectory = value
            case "--only": only = value
            default:
                print("rtp2mp3-bench: error: unknown option \(arguments[index])")
                exit(64)
            }
            index += 2
        }
        print("audio_minutes=\(minutes) runs=\(runs)")
        // One input rate's hour of audio at a time (the 48 kHz one is 330 MB).
        var input: (rate: Int, samples: [Int16]) = (0, [])
        for (from, to) in conversions {
            let name = "resample_\(label(from))_to_\(label(to))"
            if let only, name != "resample_" + only { continue }
            if input.rate != from {
                input = (from, [])
                input.samples = CodecBench.repeated(
                    CodecBench.speechMaterial(sampleRate: from),
                    toCount: minutes * 60 * from
                )
                if let directory = streamDirectory { write(input.samples, to: "\(directory)/x-\(from).s16") }
            }
            CodecBench.report(name, samples: input.samples.count, runs: runs) {
                convert(input.samples, from: from, to: to)
            }
        }
    }

    /// `convert IN_RATE OUT_RATE IN OUT`: converts a raw 16-bit little-endian mono file (with latency compensation),
    /// for comparing the output with another resampler's on the same input.
    static func convertFile(_ arguments: [String]) {
        guard arguments.count == 4, let from = Int(arguments[0]), let to = Int(arguments[1]),
            Resampler.supports(from: from, to: to), let data = FileManager.default.contents(atPath: arguments[2])
        else {
            print(
                "rtp2mp3-bench: error: convert IN_RATE OUT_RATE IN OUT (supported rates: \(Resampler.supportedRates))"
            )
            exit(64)
        }
        let input = data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        var resampler = Resampler(from: from, to: to, compensatesLatency: true)
        var output = resampler.process(input)
        resampler.flush(appendingTo: &output)
        write(output, to: arguments[3])
    }

    /// Converts `input` in 20 ms blocks into a reused buffer (cleared, capacity kept), with latency
    /// compensation and the flush at the end, as a leg is converted; returns a checksum.
    static func convert(_ input: [Int16], from: Int, to: Int) -> Int {
        var resampler = Resampler(from: from, to: to, compensatesLatency: true)
        var output: [Int16] = []
        output.reserveCapacity(to / 25)
        var checksum = 0
        let block = from / 50
        input.withUnsafeBufferPointer { samples in
            var start = 0
            while start < samples.count {
                let end = min(start + block, samples.count)
                output.removeAll(keepingCapacity: true)
                resampler.process(UnsafeBufferPointer(rebasing: samples[start..<end]), appendingTo: &output)
                checksum &+= Int(output.last ?? 0)
                start = end
            }
        }
        output.removeAll(keepingCapacity: true)
        resampler.flush(appendingTo: &output)
        return checksum &+ Int(output.last ?? 0)
    }

    /// "8k", "44.1k".
    static func label(_ rate: Int) -> String {
        rate % 1000 == 0 ? "\(rate / 1000)k" : "\(rate / 1000).\(rate % 1000 / 100)k"
    }

    static func write(_ samples: [Int16], to path: String) {
        let data = samples.withUnsafeBufferPointer { Data(buffer: $0) }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            print("rtp2mp3-bench: error: cannot write \(path)")
            exit(74)
        }
    }
}
