public import CallTimeline
import MP3Encoder
import SigV4

/// A finished recording: written to a ``RecordingSink`` while it was encoded (a ``LocalFiles/OutputFile`` for the
/// CLI and the Lambda function, so that memory does not grow with the call), or else held whole in `bytes`.
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
    /// The SHA-256 of the file's bytes (the report shows it in hex; an S3 upload sends it as it is).
    public var sha256: [UInt8]
    public var durationSeconds: Double { Double(frames) / Double(sampleRate) }
}

/// Step 2 of the pipeline (step 1 is ``CaptureIngest``): renders a call and encodes it. PCM blocks from the
/// timeline go straight into LAME (or the WAV writer), so the call is never held as PCM.
public enum RecordingEncoder {
    /// Frames per render/encode block: 2 s at 16 kHz, a multiple of LAME's 576/1152-sample frames. With the
    /// encoder thread, the rendering thread waits for LAME once per block. With 0.5 s blocks its work (G.722
    /// decoding, resampling) took up to half as long again as without the thread, on the 2-vCPU bench machine
    /// (profiled per symbol); 2 s blocks cut the thread's extra CPU time by about 40 % (`scripts/bench`), for
    /// 1.5 MB more memory. (Why resuming costs so much there is not known; a queue that lets the renderer
    /// sleep until it has drained, for fewer and longer bursts, made no difference.)
    static let blockFrames = 32256

    /// What pass 2 found besides the audio: the call with each leg's gaps as rendering found them, what it
    /// measured (quality, talk time), and the picture when one was asked for.
    public struct Rendering: Sendable {
        public var call: Call
        public var analysis: CallAnalysis
        /// The SVG file's bytes (SPEC §4), or nil when no picture was asked for.
        public var picture: [UInt8]?

        /// What `renderer` found, once it has rendered the whole call; the picture titled `title`.
        init(_ renderer: CallRenderer, title: String) {
            call = renderer.renderedCall
            analysis = renderer.analysis
            picture = renderer.picture(title: title, analysis: analysis)
        }
    }

    /// The outcome: the recording, and what rendering found.
    public struct Result: Sendable {
        public var recording: EncodedRecording
        public var rendering: Rendering
        /// The call with each leg's gaps as rendering found them.
        public var call: Call { rendering.call }
    }

    /// Encodes `call` of `contents` with `settings`, reading the capture again from `source` (pass 2).
    /// `title` goes into the ID3 tag (default: the SIP Call-ID, else the input's name). With `output`, the
    /// recording goes there as it is encoded (the caller commits or discards it), so that memory does not grow
    /// with the call; otherwise it is returned in memory. `progress` gets (frames done, frames in all) after
    /// every block; `shouldContinue` is asked before every block and stops the work with `deadlineExceeded`.
    /// With `picture`, the picture of the call is drawn in the same pass (``Rendering/picture``).
    public static func encode(
        contents: CaptureContents,
        call: Call,
        source: some CaptureSource,
        settings: TranscodeSettings,
        title: String? = nil,
        output: LocalFiles.OutputFile? = nil,
        picture: Bool = false,
        progress: ((Int, Int) -> Void)? = nil,
        shouldContinue: (() -> Bool)? = nil
    ) throws(TranscodeError) -> Result {
        var (renderer, rate) = try renderer(of: call, contents: contents, settings: settings, picture: picture)
        let sink: any RecordingSink = output ?? MemorySink()
        let writer = try BlockWriter(
            contents: contents,
            call: call,
            settings: settings,
            rate: rate,
            title: title ?? call.sipCallID ?? contents.name,
            sink: sink
        )
        // With a second core, and decoding work worth overlapping, LAME runs on its own thread while this one
        // reads, decodes and renders.
        let worker =
            settings.encoderThread && EncodeWorker.pays(for: call, rate: rate) ? EncodeWorker(writer: writer) : nil
        defer { worker?.close() }
        var blocks = BlockPump(
            input: contents.name,
            stereo: settings.channels == .stereo,
            write: { (left, right) throws(TranscodeError) in
                if let worker {
                    try worker.submit(left: left, right: right)
                } else {
                    try writer.write(left: left, right: right)
                }
            },
            progress: progress,
            shouldContinue: shouldContinue
        )
        try replay(source, contents: contents, into: &renderer, blocks: &blocks)
        if let worker { try worker.finish() } else { try writer.finish() }
        let recording = EncodedRecording(
            bytes: (sink as? MemorySink)?.bytes ?? [],
            byteCount: sink.size,
            format: settings.format,
            sampleRate: rate,
            channels: settings.channels.channelCount,
            frames: renderer.totalFrames,
            encoding: writer.encoding,
            sha256: try sha256(of: sink)
        )
        return Result(
            recording: recording,
            rendering: Rendering(renderer, title: title ?? pictureTitle(of: call, input: contents.name))
        )
    }

    /// Pass 2 without encoding (`rtp2mp3 inspect`): renders `call` as ``encode(contents:call:source:settings:title:output:picture:progress:shouldContinue:)``
    /// does, with the same settings, and keeps what rendering found, so that inspecting a capture tells what
    /// transcoding it would report. No encoder runs and nothing is written.
    public static func render(
        contents: CaptureContents,
        call: Call,
        source: some CaptureSource,
        settings: TranscodeSettings,
        title: String? = nil,
        picture: Bool = false
    ) throws(TranscodeError) -> Rendering {
        var (renderer, _) = try renderer(of: call, contents: contents, settings: settings, picture: picture)
        var blocks = BlockPump(
            input: contents.name,
            stereo: settings.channels == .stereo,
            write: { (_, _) throws(TranscodeError) in },
            progress: nil,
            shouldContinue: nil
        )
        try replay(source, contents: contents, into: &renderer, blocks: &blocks)
        return Rendering(renderer, title: title ?? pictureTitle(of: call, input: contents.name))
    }

    /// Pass 2's renderer of `call`, at the rate it is recorded at (``sampleRate(of:settings:input:)``), decoding
    /// every codec the product has; with `picture`, drawing the picture as it goes.
    private static func renderer(
        of call: Call,
        contents: CaptureContents,
        settings: TranscodeSettings,
        picture: Bool
    ) throws(TranscodeError) -> (CallRenderer, rate: Int) {
        let rate = try sampleRate(of: call, settings: settings, input: contents.name)
        let renderer = contents.timeline.renderer(
            for: call,
            sampleRate: rate,
            layout: settings.channels,
            decoders: .allCodecs,
            picture: picture
        )
        return (renderer, rate)
    }

    /// What the picture calls a call: its SIP Call-ID, else the capture's file name (without its folders).
    static func pictureTitle(of call: Call, input: String) -> String {
        call.sipCallID ?? String(input.split(separator: "/").last ?? Substring(input))
    }

    /// Pass 2's reading: the capture read again from `source`, every datagram to `renderer`, each block handed on
    /// as soon as it is complete.
    private static func replay(
        _ source: some CaptureSource,
        contents: CaptureContents,
        into renderer: inout CallRenderer,
        blocks: inout BlockPump
    ) throws(TranscodeError) {
        var replay = CaptureReplay(contents: contents, for: renderer)
        try source.readAsNeeded(from: replay.startOffset) { (chunk) throws(TranscodeError) in
            try replay.append(chunk, to: &renderer) { (renderer) throws(TranscodeError) in
                try blocks.drain(&renderer, final: false)
            }
            return !replay.isSettled
        }
        try replay.finish(into: &renderer)
        try blocks.drain(&renderer, final: true)
    }

    /// The rates a call can be recorded at: those MP3 carries (MPEG-1, 2 and 2.5) that every leg can be resampled
    /// to (`Resampler.supportedRates`).
    public static let sampleRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]

    /// The rate the call is recorded at: the settings', else the call's own (SPEC §3.8: 16 kHz when a leg is
    /// wideband, else 8 kHz). A CBR bitrate the MP3 of that rate cannot carry is refused here, before pass 2, with
    /// the bitrates it can (MPEG-2 and 2.5 at 8–24 kHz stop at 160 kbit/s; MPEG-1 at 32–48 kHz starts at 32).
    static func sampleRate(of call: Call, settings: TranscodeSettings, input: String) throws(TranscodeError) -> Int {
        let rate = settings.sampleRate ?? call.naturalSampleRate
        guard sampleRates.contains(rate) else {
            throw TranscodeError(
                .invalidSettings,
                input: input,
                reason: "sample rate \(rate): expected one of \(sampleRates.map(String.init).joined(separator: ", "))"
            )
        }
        if settings.format == .mp3, settings.vbrQuality == nil, let kbps = settings.bitrate {
            let carried = MP3Encoder.bitrates(sampleRate: rate)
            guard carried.contains(kbps) else {
                throw TranscodeError(
                    .invalidSettings,
                    input: input,
                    reason: "bitrate \(kbps) kbit/s: an MP3 at \(rate) Hz carries "
                        + "\(carried.map(String.init).joined(separator: ", ")) kbit/s"
                        + (settings.sampleRate == nil ? " (this call records at \(rate) Hz; see --sample-rate)" : "")
                )
            }
        }
        return rate
    }

    /// The SHA-256 of what a sink holds, read back in 1 MiB pieces.
    static func sha256(of sink: any RecordingSink) throws(TranscodeError) -> [UInt8] {
        try SHA256.hash(size: sink.size) { (offset) throws(TranscodeError) in try sink.read(at: offset, count: 1 << 20)
        }
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

/// Takes the blocks a renderer has ready and hands them to the writer (or the encoder thread): only whole blocks
/// while the capture is read, the rest at the end, so the blocks, like the recording, do not depend on how the
/// capture's bytes arrive.
private struct BlockPump {
    let input: String
    let stereo: Bool
    let write: (_ left: [Int16], _ right: [Int16]?) throws(TranscodeError) -> Void
    let progress: ((Int, Int) -> Void)?
    let shouldContinue: (() -> Bool)?
    private var left: [Int16] = []
    private var right: [Int16] = []

    init(
        input: String,
        stereo: Bool,
        write: @escaping (_ left: [Int16], _ right: [Int16]?) throws(TranscodeError) -> Void,
        progress: ((Int, Int) -> Void)?,
        shouldContinue: (() -> Bool)?
    ) {
        self.input = input
        self.stereo = stereo
        self.write = write
        self.progress = progress
        self.shouldContinue = shouldContinue
        left.reserveCapacity(RecordingEncoder.blockFrames)
        right.reserveCapacity(RecordingEncoder.blockFrames)
    }

    mutating func drain(_ renderer: inout CallRenderer, final: Bool) throws(TranscodeError) {
        while final || renderer.readyFrames >= RecordingEncoder.blockFrames {
            if let shouldContinue, !shouldContinue() {
                throw TranscodeError(
                    .deadlineExceeded,
                    input: input,
                    reason: "stopped at \(renderer.renderedFrames) of \(renderer.totalFrames) frames: deadline near"
                )
            }
            left.removeAll(keepingCapacity: true)
            right.removeAll(keepingCapacity: true)
            guard renderer.render(maxFrames: RecordingEncoder.blockFrames, left: &left, right: &right) > 0 else {
                return
            }
            try write(left, stereo ? right : nil)
            progress?(renderer.renderedFrames, renderer.totalFrames)
        }
    }
}
