public import CallTimeline
import MP3Encoder
import SigV4

/// A finished recording: the whole output file in memory (SPEC §8 allows the output itself; everything before
/// it streams), ready to be written to a file or uploaded.
public struct EncodedRecording: Sendable {
    public var bytes: [UInt8]
    public var format: OutputFormat
    public var sampleRate: Int
    public var channels: Int
    public var frames: Int
    /// `CBR 32 kbit/s`, `VBR quality 4`, `PCM 16-bit`.
    public var encoding: String
    public var sha256: String
    public var durationSeconds: Double { Double(frames) / Double(sampleRate) }
}

/// Renders a call and encodes it: PCM blocks from the timeline go straight into LAME (or the WAV writer), so
/// the call is never held as PCM.
public enum RecordingEncoder {
    /// Frames per render/encode block: 0.5 s at 16 kHz, a multiple of LAME's 576/1152-sample frames.
    static let blockFrames = 8064

    /// Encodes `call` of `contents` with `settings`. `progress` gets (frames done, frames in all) after every
    /// block; `shouldContinue` is asked before every block and stops the work with `deadlineExceeded`.
    public static func encode(
        _ contents: CaptureContents,
        call: Call,
        settings: TranscodeSettings,
        title: String,
        progress: ((Int, Int) -> Void)? = nil,
        shouldContinue: (() -> Bool)? = nil
    ) throws(TranscodeError) -> EncodedRecording {
        let rate = settings.sampleRate ?? call.naturalSampleRate
        guard rate == 8000 || rate == 16000 else {
            throw TranscodeError(
                .invalidSettings,
                input: contents.name,
                reason: "sample rate \(rate): expected 8000 or 16000"
            )
        }
        var renderer = contents.timeline.renderer(for: call, sampleRate: rate, layout: settings.channels)
        let channels = settings.channels.channelCount
        var left: [Int16] = []
        var right: [Int16] = []
        left.reserveCapacity(blockFrames)
        right.reserveCapacity(blockFrames)

        func checkDeadline() throws(TranscodeError) {
            if let shouldContinue, !shouldContinue() {
                throw TranscodeError(
                    .deadlineExceeded,
                    input: contents.name,
                    reason: "stopped at \(renderer.renderedFrames) of \(renderer.totalFrames) frames: deadline near"
                )
            }
        }

        var output: [UInt8] = []
        let encoding: String
        switch settings.format {
        case .wav:
            do {
                var writer = try WAVWriter(sampleRate: rate, channels: channels)
                output.reserveCapacity(WAVWriter.headerSize + renderer.totalFrames * channels * 2)
                output.append(contentsOf: try WAVWriter.header(sampleRate: rate, channels: channels, frameCount: 0))
                while true {
                    try checkDeadline()
                    left.removeAll(keepingCapacity: true)
                    right.removeAll(keepingCapacity: true)
                    guard renderer.render(maxFrames: blockFrames, left: &left, right: &right) > 0 else { break }
                    try left.withUnsafeBufferPointer { (l) throws(WAVWriterError) in
                        try right.withUnsafeBufferPointer { (r) throws(WAVWriterError) in
                            try writer.append(left: l, right: channels == 2 ? r : nil, to: &output)
                        }
                    }
                    progress?(renderer.renderedFrames, renderer.totalFrames)
                }
                let header = try writer.header()
                output.replaceSubrange(0..<header.count, with: header)
            } catch let error as WAVWriterError {
                throw TranscodeError(.invalidSettings, input: contents.name, reason: "\(error)")
            } catch let error as TranscodeError {
                throw error
            } catch {
                throw TranscodeError(.encoderFailed, input: contents.name, reason: "\(error)")
            }
            encoding = "PCM 16-bit"
        case .mp3:
            let mode: MP3Encoder.Mode? =
                settings.vbrQuality.map { .vbr(quality: $0) } ?? settings.bitrate.map { .cbr(kbps: $0) }
            do {
                let encoder = try MP3Encoder(sampleRate: rate, channels: channels, mode: mode)
                let tag = id3Tag(contents: contents, call: call, settings: settings, title: title, encoder: encoder)
                output.reserveCapacity(tag.count + renderer.totalFrames / rate * 8000 + 16384)
                output.append(contentsOf: tag)
                while true {
                    try checkDeadline()
                    left.removeAll(keepingCapacity: true)
                    right.removeAll(keepingCapacity: true)
                    guard renderer.render(maxFrames: blockFrames, left: &left, right: &right) > 0 else { break }
                    try left.withUnsafeBufferPointer { (l) throws(MP3EncoderError) in
                        try right.withUnsafeBufferPointer { (r) throws(MP3EncoderError) in
                            try encoder.encode(left: l, right: channels == 2 ? r : nil, appendingTo: &output)
                        }
                    }
                    progress?(renderer.renderedFrames, renderer.totalFrames)
                }
                try encoder.finish(appendingTo: &output)
                // The Xing/LAME tag frame LAME reserved at the start now gets its real counts (durations right).
                try encoder.writeLAMETagFrame(into: &output, streamOffset: tag.count)
                encoding = encoder.mode.description
            } catch let error as MP3EncoderError {
                throw TranscodeError(
                    error.code == .encodeFailed || error.code == .flushFailed ? .encoderFailed : .invalidSettings,
                    input: contents.name,
                    reason: "\(error)"
                )
            } catch let error as TranscodeError {
                throw error
            } catch {
                throw TranscodeError(.encoderFailed, input: contents.name, reason: "\(error)")
            }
        }
        return EncodedRecording(
            bytes: output,
            format: settings.format,
            sampleRate: rate,
            channels: channels,
            frames: renderer.totalFrames,
            encoding: encoding,
            sha256: Hex.encode(SHA256.hash(output))
        )
    }

    /// ID3v2.4 tag of SPEC §4: title, recording start (UTC, from the capture), channel map, codecs per leg, tool
    /// version. Nothing from the wall clock, so equal input gives equal bytes.
    static func id3Tag(
        contents: CaptureContents,
        call: Call,
        settings: TranscodeSettings,
        title: String,
        encoder: MP3Encoder
    ) -> [UInt8] {
        let legs = call.legs.map { leg in
            "\(leg.label)=\(leg.source.address) (\(Set(leg.segments.map(\.codec.description)).sorted().joined(separator: "+")))"
        }
        let channelMap: String
        if settings.channels == .stereo {
            let left = call.legs.first { $0.label == "A" }.map { "\($0.source)" } ?? "silent"
            let right = call.legs.first { $0.label == "B" }.map { "\($0.source)" } ?? "silent"
            channelMap = "left=A \(left); right=B \(right); \(call.channelReason)"
        } else {
            channelMap = "mono mix of " + call.legs.map(\.label).joined(separator: "+")
        }
        var texts = [
            ID3Tag.UserText(description: "rtp2mp3 channel map", value: channelMap),
            ID3Tag.UserText(description: "rtp2mp3 codecs", value: legs.joined(separator: "; ")),
        ]
        if let callID = call.sipCallID { texts.append(ID3Tag.UserText(description: "SIP Call-ID", value: callID)) }
        return ID3Tag(
            title: title,
            recordingTime: call.start / 1_000_000_000,
            encoderSettings: "\(ProductVersion.toolName); LAME \(MP3Encoder.lameVersion); \(encoder.mode)",
            userTexts: texts
        ).bytes()
    }
}
