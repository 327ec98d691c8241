public import CallTimeline
import MP3Encoder
import SigV4

/// A finished recording: written to a ``LocalFiles/OutputFile`` while it was encoded (the CLI and the Lambda
/// function do this, so that memory does not grow with the call), or else held whole in `bytes`.
public struct EncodedRecording: Sendable {
    /// The file's bytes; empty when it was written to an output file as it was encoded.
    public var bytes: [UInt8]
    /// The file's size in bytes, wherever it is.
    public var byteCount: Int
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
    /// Frames per render/encode block: 2 s at 16 kHz, a multiple of LAME's 576/1152-sample frames. With the
    /// encoder thread, the rendering thread waits for LAME once per block. With 0.5 s blocks its work (G.722
    /// decoding, resampling) took up to half as long again as without the thread, on the 2-vCPU bench machine
    /// (profiled per symbol); 2 s blocks cut the thread's extra CPU time by about 40 % (`scripts/bench`), for
    /// 1.5 MB more memory. (Why resuming costs so much there is not known; a queue that lets the renderer
    /// sleep until it has drained, for fewer and longer bursts, made no difference.)
    static let blockFrames = 32256

    /// Encodes `call` of `contents` with `settings`, reading the capture again from `source` (pass 2).
    /// `progress` gets (frames done, frames in all) after every block; `shouldContinue` is asked before every
    /// block and stops the work with `deadlineExceeded`. With `outputFile`, the recording goes there as it is
    /// encoded (the caller commits it), so that memory does not grow with the call; otherwise it is returned in
    /// memory.
    public static func encode(
        _ contents: CaptureContents,
        call: Call,
        settings: TranscodeSettings,
        title: String,
        source: some CaptureSource,
        outputFile: LocalFiles.OutputFile? = nil,
        progress: ((Int, Int) -> Void)? = nil,
        shouldContinue: (() -> Bool)? = nil
    ) throws(TranscodeError) -> (recording: EncodedRecording, call: Call) {
        let rate = settings.sampleRate ?? call.naturalSampleRate
        guard rate == 8000 || rate == 16000 else {
            throw TranscodeError(
                .invalidSettings,
                input: contents.name,
                reason: "sample rate \(rate): expected 8000 or 16000"
            )
        }
        var renderer = contents.timeline.renderer(for: call, sampleRate: rate, layout: settings.channels)
        let writer = try BlockWriter(
            contents: contents,
            call: call,
            settings: settings,
            rate: rate,
            title: title,
            totalFrames: renderer.totalFrames,
            file: outputFile
        )
        var left: [Int16] = []
        var right: [Int16] = []
        left.reserveCapacity(blockFrames)
        right.reserveCapacity(blockFrames)

        // With a second core, and decoding work worth overlapping, LAME runs on its own thread while this one
        // reads, decodes and renders.
        let worker =
            settings.encoderThread && EncodeWorker.pays(for: call, rate: rate) ? EncodeWorker(writer: writer) : nil
        defer { worker?.close() }

        // Only whole blocks while the capture is read, the rest at the end: the blocks, like the recording, do
        // not depend on how the capture's bytes arrive.
        func drain(_ renderer: inout CallRenderer, final: Bool) throws(TranscodeError) {
            while final || renderer.readyFrames >= blockFrames {
                if let shouldContinue, !shouldContinue() {
                    throw TranscodeError(
                        .deadlineExceeded,
                        input: contents.name,
                        reason: "stopped at \(renderer.renderedFrames) of \(renderer.totalFrames) frames: deadline near"
                    )
                }
                left.removeAll(keepingCapacity: true)
                right.removeAll(keepingCapacity: true)
                guard renderer.render(maxFrames: blockFrames, left: &left, right: &right) > 0 else { return }
                if let worker {
                    try worker.submit(left: left, right: settings.channels == .stereo ? right : nil)
                } else {
                    try writer.write(left: left, right: settings.channels == .stereo ? right : nil)
                }
                progress?(renderer.renderedFrames, renderer.totalFrames)
            }
        }

        var replay = CaptureReplay(name: contents.name)
        try source.read { (chunk) throws(TranscodeError) in
            try replay.append(chunk, to: &renderer) { (renderer) throws(TranscodeError) in
                try drain(&renderer, final: false)
            }
        }
        try replay.finish(into: &renderer)
        try drain(&renderer, final: true)
        let output: [UInt8]
        if let worker { output = try worker.finish() } else { output = try writer.finish() }
        let recording = EncodedRecording(
            bytes: output,
            byteCount: outputFile?.size ?? output.count,
            format: settings.format,
            sampleRate: rate,
            channels: settings.channels.channelCount,
            frames: renderer.totalFrames,
            encoding: writer.encoding,
            sha256: Hex.encode(try outputFile.map(sha256) ?? SHA256.hash(output))
        )
        return (recording, renderer.renderedCall)
    }

    /// The SHA-256 of a file written as it was encoded, read back in 1 MiB pieces.
    static func sha256(_ file: LocalFiles.OutputFile) throws(TranscodeError) -> [UInt8] {
        try SHA256.hash(size: file.size) { (offset) throws(TranscodeError) in try file.read(at: offset, count: 1 << 20)
        }
    }

    /// ID3v2.4 tag of SPEC §4: title, recording start (UTC, from the capture), channel map, codecs per leg, tool
    /// version. Nothing from the wall clock, so equal input gives equal bytes.
    fileprivate static func id3Tag(
        contents: CaptureContents,
        call: Call,
        settings: TranscodeSettings,
        title: String,
        encoder: MP3Encoder
    ) -> [UInt8] {
        let legs = call.legs.map { leg in
            "\(leg.label)=\(leg.source.address) (\(leg.codecNames.joined(separator: "+")))"
        }
        let channelMap: String
        if settings.channels == .stereo {
            let left = call.legs.first { $0.side == .a }.map { "\($0.source)" } ?? "silent"
            let right = call.legs.first { $0.side == .b }.map { "\($0.source)" } ?? "silent"
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

/// Turns PCM blocks into the output file's bytes: LAME with the ID3 tag before and the LAME tag frame written
/// back at the end, or a WAV header with the sizes patched at the end. The bytes collect in memory, or, with an
/// output file, go to it whenever the file's `bufferBytes` have collected.
final class BlockWriter {
    private let name: String
    private let channels: Int
    private let file: LocalFiles.OutputFile?
    /// Bytes not yet in `file` (all of them without one).
    private var output: [UInt8] = []
    private var mp3: MP3Encoder?
    private var wav: WAVWriter?
    private var tagSize = 0
    let encoding: String

    init(
        contents: CaptureContents,
        call: Call,
        settings: TranscodeSettings,
        rate: Int,
        title: String,
        totalFrames: Int,
        file: LocalFiles.OutputFile?
    ) throws(TranscodeError) {
        name = contents.name
        channels = settings.channels.channelCount
        self.file = file
        switch settings.format {
        case .wav:
            do {
                wav = try WAVWriter(sampleRate: rate, channels: channels)
                output.reserveCapacity(
                    file.map { $0.bufferBytes + 65_536 } ?? WAVWriter.headerSize + totalFrames * channels * 2
                )
                output += try WAVWriter.header(sampleRate: rate, channels: channels, frameCount: 0)
            } catch {
                throw TranscodeError(.invalidSettings, input: contents.name, reason: "\(error)")
            }
            encoding = "PCM 16-bit"
        case .mp3:
            let mode: MP3Encoder.Mode? =
                settings.vbrQuality.map { .vbr(quality: $0) } ?? settings.bitrate.map { .cbr(kbps: $0) }
            do {
                let encoder = try MP3Encoder(sampleRate: rate, channels: channels, mode: mode)
                let tag = RecordingEncoder.id3Tag(
                    contents: contents,
                    call: call,
                    settings: settings,
                    title: title,
                    encoder: encoder
                )
                output.reserveCapacity(
                    file.map { $0.bufferBytes + 65_536 } ?? tag.count + totalFrames / rate * 8000 + 16384
                )
                output += tag
                tagSize = tag.count
                encoding = encoder.mode.description
                mp3 = encoder
            } catch {
                throw TranscodeError(.invalidSettings, input: contents.name, reason: "\(error)")
            }
        }
    }

    func write(left: [Int16], right: [Int16]?) throws(TranscodeError) {
        do {
            try left.withUnsafeBufferPointer { (l) throws(TranscodeError) in
                if let right {
                    try right.withUnsafeBufferPointer { (r) throws(TranscodeError) in try write(l, r) }
                } else {
                    try write(l, nil)
                }
            }
        }
    }

    private func write(_ left: UnsafeBufferPointer<Int16>, _ right: UnsafeBufferPointer<Int16>?) throws(TranscodeError)
    {
        do {
            if let mp3 {
                try mp3.encode(left: left, right: right, appendingTo: &output)
            } else if wav != nil {
                try wav!.append(left: left, right: right, to: &output)
            }
        } catch {
            throw TranscodeError(.encoderFailed, input: name, reason: "\(error)")
        }
        if let file, output.count >= file.bufferBytes { try flush() }
    }

    /// Hands the collected bytes to the output file, if there is one.
    private func flush() throws(TranscodeError) {
        guard let file, !output.isEmpty else { return }
        try file.append(output)
        output.removeAll(keepingCapacity: true)
    }

    /// Finishes the file and returns the bytes held in memory (none with an output file).
    func finish() throws(TranscodeError) -> [UInt8] {
        do {
            if let mp3 {
                try mp3.finish(appendingTo: &output)
                try flush()
                // The Xing/LAME tag frame LAME reserved at the start now gets its real counts (durations right).
                // With an output file, the start is read back, patched the same way and written again.
                if let file {
                    var start = try file.read(at: 0, count: tagSize + mp3.lameTagFrame().count)
                    try mp3.writeLAMETagFrame(into: &start, streamOffset: tagSize)
                    try file.overwrite(start, at: 0)
                } else {
                    try mp3.writeLAMETagFrame(into: &output, streamOffset: tagSize)
                }
            } else if let wav {
                try flush()
                let header = try wav.header()
                if let file {
                    try file.overwrite(header, at: 0)
                } else {
                    output.replaceSubrange(0..<header.count, with: header)
                }
            }
        } catch let error as TranscodeError {
            throw error
        } catch {
            throw TranscodeError(.encoderFailed, input: name, reason: "\(error)")
        }
        return output
    }
}
