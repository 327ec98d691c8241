import CallTimeline
import MP3Encoder

/// Turns PCM blocks into the recording's bytes in its sink: LAME with the ID3 tag before and the LAME tag frame
/// written back at the end, or a WAV header with the sizes patched at the end. Bytes collect until the sink's
/// `bufferBytes` are there, then go to the sink in one piece.
final class BlockWriter {
    private enum Encoder {
        case mp3(MP3Encoder, tagSize: Int)
        case wav(WAVWriter)
    }

    private let name: String
    private let sink: any RecordingSink
    private var encoder: Encoder
    /// Bytes not yet in the sink.
    private var pending: [UInt8] = []
    /// `CBR 32 kbit/s`, `VBR quality 4`, `PCM 16-bit`.
    let encoding: String

    init(
        contents: CaptureContents,
        call: Call,
        settings: TranscodeSettings,
        rate: Int,
        title: String,
        sink: any RecordingSink
    ) throws(TranscodeError) {
        name = contents.name
        self.sink = sink
        let channels = settings.channels.channelCount
        pending.reserveCapacity(sink.bufferBytes + 65_536)
        do {
            switch settings.format {
            case .wav:
                encoder = .wav(try WAVWriter(sampleRate: rate, channels: channels))
                pending += try WAVWriter.header(sampleRate: rate, channels: channels, frameCount: 0)
                encoding = "PCM 16-bit"
            case .mp3:
                let mode: MP3Encoder.Mode? =
                    settings.vbrQuality.map { .vbr(quality: $0) } ?? settings.bitrate.map { .cbr(kbps: $0) }
                let lame = try MP3Encoder(sampleRate: rate, channels: channels, mode: mode)
                let tag = RecordingEncoder.id3Tag(
                    contents: contents,
                    call: call,
                    settings: settings,
                    title: title,
                    encoder: lame
                )
                pending += tag
                encoder = .mp3(lame, tagSize: tag.count)
                encoding = lame.mode.description
            }
        } catch {
            throw TranscodeError(.invalidSettings, input: contents.name, reason: "\(error)", underlying: error)
        }
    }

    func write(left: [Int16], right: [Int16]?) throws(TranscodeError) {
        try left.withUnsafeBufferPointer { (left) throws(TranscodeError) in
            guard let right else { return try write(left, nil) }
            try right.withUnsafeBufferPointer { (right) throws(TranscodeError) in try write(left, right) }
        }
    }

    private func write(_ left: UnsafeBufferPointer<Int16>, _ right: UnsafeBufferPointer<Int16>?) throws(TranscodeError)
    {
        do {
            switch encoder {
            case .mp3(let lame, _):
                try lame.encode(left: left, right: right, appendingTo: &pending)
            case .wav(var wav):
                try wav.append(left: left, right: right, to: &pending)
                encoder = .wav(wav)
            }
        } catch {
            throw TranscodeError(.encoderFailed, input: name, reason: "\(error)", underlying: error)
        }
        if pending.count >= sink.bufferBytes { try flush() }
    }

    /// Hands the collected bytes to the sink.
    private func flush() throws(TranscodeError) {
        guard !pending.isEmpty else { return }
        try sink.append(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Finishes the recording in the sink: the rest of the bytes, then the start patched where it depends on
    /// the end (read back and written again).
    func finish() throws(TranscodeError) {
        do {
            switch encoder {
            case .mp3(let lame, let tagSize):
                try lame.finish(appendingTo: &pending)
                try flush()
                // The Xing/LAME tag frame LAME reserved at the start now gets its real counts (durations right).
                var start = try sink.read(at: 0, count: tagSize + lame.lameTagFrame().count)
                try lame.writeLAMETagFrame(into: &start, streamOffset: tagSize)
                try sink.overwrite(start, at: 0)
            case .wav(let wav):
                try flush()
                try sink.overwrite(try wav.header(), at: 0)
            }
        } catch let error as TranscodeError {
            throw error
        } catch {
            throw TranscodeError(.encoderFailed, input: name, reason: "\(error)", underlying: error)
        }
    }
}
