import Foundation

extension DecodedAudio {
    /// Decodes `path` with ffmpeg, reading it with `inputOptions` (a demuxer: `["-f", "g729"]`) and decoding with the
    /// decoder named `decoder` (`"opus"` is FFmpeg's own, `"libopus"` the library's) when given; 16-bit PCM at the
    /// stream's own rate and channel count, or resampled by ffmpeg to `outputSampleRate` when given.
    public static func ffmpeg(
        _ path: String,
        inputOptions: [String],
        decoder: String? = nil,
        outputSampleRate: Int? = nil
    ) throws -> DecodedAudio {
        guard let ffprobe = Subprocess.tool("ffprobe"), let ffmpeg = Subprocess.tool("ffmpeg") else {
            throw MissingTool(name: "ffmpeg/ffprobe")
        }
        let probe = try Subprocess.run(
            ffprobe,
            ["-v", "error"] + inputOptions + [
                "-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels", "-of", "csv=p=0", path,
            ]
        )
        let fields = probe.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
        guard probe.status == 0, fields.count == 2, let rate = Int(fields[0]), let channels = Int(fields[1]) else {
            throw DecodeFailure(tool: "ffprobe", message: probe.stderr)
        }
        let codec = decoder.map { ["-c:a", $0] } ?? []
        let decode = try Subprocess.run(
            ffmpeg,
            ["-v", "error"] + inputOptions + codec + ["-i", path]
                + (outputSampleRate.map { ["-ar", "\($0)"] } ?? []) + ["-f", "s16le", "-"]
        )
        guard decode.status == 0 else {
            throw DecodeFailure(tool: "ffmpeg", message: decode.stderr)
        }
        var samples = [Int16](repeating: 0, count: decode.stdout.count / 2)
        for index in samples.indices {
            samples[index] = Int16(
                bitPattern: UInt16(decode.stdout[2 * index]) | UInt16(decode.stdout[2 * index + 1]) << 8
            )
        }
        return DecodedAudio(sampleRate: outputSampleRate ?? rate, channels: channels, samples: samples)
    }

    /// The channels averaged into one (the samples as they are for mono).
    public var mono: [Int16] {
        guard channels > 1 else { return samples }
        return (0..<frames).map { frame in
            var sum = 0
            for channel in 0..<channels { sum += Int(samples[frame * channels + channel]) }
            return Int16(sum / channels)
        }
    }
}
