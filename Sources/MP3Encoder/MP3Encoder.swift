private import CLame
private import Synchronization

/// An MPEG-1/2/2.5 audio layer III encoder: LAME (libmp3lame) behind a Swift API. The only code in the package that
/// touches LAME; no C type leaves this file.
///
/// Use: `encode` blocks of PCM, then `finish` once; write the bytes after your ID3v2 tag; when the stream is
/// complete, overwrite the first frame after the tag with `lameTagFrame()` (`writeLAMETagFrame(into:streamOffset:)`)
/// so players know the exact duration, encoder delay and padding (the frame is a silent placeholder until then).
///
/// Deterministic: no wall-clock time, no random numbers, no ID3 of LAME's own; the same PCM and settings give the
/// same bytes.
///
/// Not thread-safe: one encoder belongs to one task at a time (it is deliberately not `Sendable`).
public final class MP3Encoder {
    /// LAME's encoder state (`lame_global_flags *`).
    private let handle: OpaquePointer
    /// Output scratch space for one chunk; reused so encoding allocates nothing per call.
    private var scratch: [UInt8]
    private var finished = false

    /// Input rate = output rate, in Hz.
    public let sampleRate: Int
    /// 1 (mono) or 2 (stereo: left = leg A, right = leg B).
    public let channels: Int
    /// The bitrate control this encoder was configured with.
    public let mode: Mode
    /// LAME's algorithm quality 0 (slowest) … 9 (fastest) used; see `defaultAlgorithmQuality`.
    public let algorithmQuality: Int

    /// LAME's `-q 5`, its own default. Measured on this project's machine for 60 s of stereo noise plus tone at
    /// 8 kHz/32 kbit/s: q2 393× real time, q5 964×, q7 1384× (q7 drops noise shaping and the psychoacoustic
    /// quantisation search, which is audible on speech at 16 kbit/s per channel; q2 costs 2.5× for no audible
    /// gain at these rates). A 60-minute stereo call takes about 4 s of CPU at q5.
    public static let defaultAlgorithmQuality = 5

    /// Samples per channel handed to LAME per call: bounds `scratch` to 1.25 × 8192 + 7200 bytes (lame.h's
    /// worst-case output size for a buffer of n samples).
    private static let chunkSamples = 8192

    /// Creates and configures an encoder.
    /// - Parameters:
    ///   - sampleRate: one of `MP3Encoder.sampleRates` (8000 and 16000 for telephony).
    ///   - channels: 1 or 2.
    ///   - mode: CBR or VBR; `nil` picks `Mode.default(sampleRate:channels:)` (SPEC §4).
    ///   - algorithmQuality: LAME `-q`, 0…9; default `defaultAlgorithmQuality`.
    public init(
        sampleRate: Int,
        channels: Int,
        mode: Mode? = nil,
        algorithmQuality: Int = MP3Encoder.defaultAlgorithmQuality
    ) throws(MP3EncoderError) {
        guard Self.sampleRates.contains(sampleRate) else {
            throw MP3EncoderError(
                .unsupportedSampleRate,
                detail: "expected one of \(Self.sampleRates.map(String.init).joined(separator: ", ")) Hz, "
                    + "found \(sampleRate)"
            )
        }
        guard channels == 1 || channels == 2 else {
            throw MP3EncoderError(.unsupportedChannelCount, detail: "expected 1 or 2 channels, found \(channels)")
        }
        let mode = mode ?? Mode.default(sampleRate: sampleRate, channels: channels)
        switch mode {
        case .cbr(let kbps):
            let table = Self.bitrates(sampleRate: sampleRate)
            guard table.contains(kbps) else {
                throw MP3EncoderError(
                    .unsupportedBitrate,
                    detail: "expected one of \(table.map(String.init).joined(separator: ", ")) kbit/s at "
                        + "\(sampleRate) Hz, found \(kbps)"
                )
            }
        case .vbr(let quality):
            guard (0...9).contains(quality) else {
                throw MP3EncoderError(.unsupportedVBRQuality, detail: "expected VBR quality 0…9, found \(quality)")
            }
        }
        guard (0...9).contains(algorithmQuality) else {
            throw MP3EncoderError(
                .configurationRejected,
                detail: "expected algorithm quality 0…9, found \(algorithmQuality)"
            )
        }

        self.sampleRate = sampleRate
        self.channels = channels
        self.mode = mode
        self.algorithmQuality = algorithmQuality
        self.scratch = [UInt8](repeating: 0, count: Self.outputCapacity(samples: Self.chunkSamples))
        self.handle = try Self.lameInitLock.withLock { _ throws(MP3EncoderError) -> OpaquePointer in
            guard let handle = lame_init() else {
                throw MP3EncoderError(.initFailed, detail: "lame_init returned NULL")
            }
            let status = Self.configure(
                handle,
                sampleRate: sampleRate,
                channels: channels,
                mode: mode,
                algorithmQuality: algorithmQuality
            )
            guard status >= 0 else {
                lame_close(handle)
                throw MP3EncoderError(
                    .configurationRejected,
                    lameReturnCode: status,
                    detail: "lame_init_params refused \(sampleRate) Hz, \(channels) channel(s), \(mode)"
                )
            }
            return handle
        }
    }

    deinit {
        lame_close(handle)
    }

    // LAME 3.100 fills process-wide tables while initialising (util.c init_log_table, quantize_pvt.c
    // iteration_init); two encoders initialising at once would race on them. Encoding itself is per-handle.
    private static let lameInitLock = Mutex<Void>(())

    private static func configure(
        _ handle: OpaquePointer,
        sampleRate: Int,
        channels: Int,
        mode: Mode,
        algorithmQuality: Int
    ) -> Int32 {
        // LAME prints warnings to stderr by default; a Lambda's stderr is its log, so keep it quiet.
        lame_set_errorf(handle) { _, _ in }
        lame_set_debugf(handle) { _, _ in }
        lame_set_msgf(handle) { _, _ in }

        lame_set_in_samplerate(handle, Int32(sampleRate))
        // Equal output rate: LAME would otherwise pick its own and resample (lame.h lame_set_out_samplerate).
        lame_set_out_samplerate(handle, Int32(sampleRate))
        lame_set_num_channels(handle, Int32(channels))
        // STEREO, not JOINT_STEREO: the channels are two independent parties. Mid/side coding saves nothing on
        // uncorrelated signals and can move one party's quantisation noise into the other's channel (an echo on
        // the quiet leg invites M/S). Measured: the same crosstalk on tones (< -90 dB) either way, so we choose
        // the mode that cannot leak.
        lame_set_mode(handle, channels == 1 ? MONO : STEREO)
        lame_set_quality(handle, Int32(algorithmQuality))
        // ID3 is ours (ID3Tag), written before the stream; LAME would otherwise add its own v1/v2 tags.
        lame_set_write_id3tag_automatic(handle, 0)
        // The Xing ("Xing" for VBR, "Info" for CBR) + LAME tag frame, for CBR too: it records the encoder delay and
        // padding, so decoders trim them (gapless, exact duration), and the frame count, which a VBR duration needs.
        lame_set_bWriteVbrTag(handle, 1)
        switch mode {
        case .cbr(let kbps):
            lame_set_VBR(handle, vbr_off)
            lame_set_brate(handle, Int32(kbps))
        case .vbr(let quality):
            lame_set_VBR(handle, vbr_mtrh)
            lame_set_VBR_q(handle, Int32(quality))
        }
        // The lowpass, highpass and psychoacoustic model stay LAME's defaults for the bitrate: measured lowpass
        // 4000 Hz (none) at 8 kHz/32 kbit/s and 7500 Hz at 16 kHz/48 kbit/s, above the telephone band either way.
        return lame_init_params(handle)
    }

    /// lame.h: "mp3buf_size in bytes = 1.25*num_samples + 7200" is the worst case for one call.
    private static func outputCapacity(samples: Int) -> Int {
        samples + (samples + 3) / 4 + 7200
    }

    /// Encodes one block of PCM and appends the MP3 bytes LAME produced (often fewer than the input warrants:
    /// LAME holds back up to a frame plus its look-ahead until `finish`).
    /// - Parameters:
    ///   - left: the left channel (leg A), or the only channel of a mono encoder.
    ///   - right: the right channel (leg B) for stereo, the same length as `left`; `nil` for mono.
    public func encode(
        left: UnsafeBufferPointer<Int16>,
        right: UnsafeBufferPointer<Int16>?,
        appendingTo output: inout [UInt8]
    ) throws(MP3EncoderError) {
        try checkNotFinished()
        if channels == 2 {
            guard let right, right.count == left.count else {
                throw MP3EncoderError(
                    .channelMismatch,
                    detail: "expected a right channel of \(left.count) samples, found \(right?.count ?? 0)"
                )
            }
        } else if right != nil {
            throw MP3EncoderError(.channelMismatch, detail: "expected no right channel for a mono encoder")
        }
        guard let leftBase = left.baseAddress else { return }
        let rightBase = right?.baseAddress ?? leftBase
        var start = 0
        while start < left.count {
            let count = min(Self.chunkSamples, left.count - start)
            let written = scratch.withUnsafeMutableBufferPointer { out in
                lame_encode_buffer(
                    handle,
                    leftBase + start,
                    rightBase + start,
                    Int32(count),
                    out.baseAddress,
                    Int32(out.count)
                )
            }
            try append(written, to: &output, code: .encodeFailed, call: "lame_encode_buffer")
            start += count
        }
    }

    /// Encodes interleaved PCM (L R L R … for stereo, plain samples for mono) and appends the MP3 bytes.
    /// `samples.count` must be a multiple of `channels`.
    public func encode(
        interleaved samples: UnsafeBufferPointer<Int16>,
        appendingTo output: inout [UInt8]
    ) throws(MP3EncoderError) {
        if channels == 1 {
            return try encode(left: samples, right: nil, appendingTo: &output)
        }
        try checkNotFinished()
        guard samples.count % 2 == 0 else {
            throw MP3EncoderError(
                .channelMismatch,
                detail: "expected an even number of interleaved stereo samples, found \(samples.count)"
            )
        }
        guard let base = samples.baseAddress else { return }
        let frames = samples.count / 2
        var start = 0
        while start < frames {
            let count = min(Self.chunkSamples, frames - start)
            let written = scratch.withUnsafeMutableBufferPointer { out in
                // lame.h declares the input `short int pcm[]` without const; LAME only reads it.
                lame_encode_buffer_interleaved(
                    handle,
                    UnsafeMutablePointer(mutating: base + 2 * start),
                    Int32(count),
                    out.baseAddress,
                    Int32(out.count)
                )
            }
            try append(written, to: &output, code: .encodeFailed, call: "lame_encode_buffer_interleaved")
            start += count
        }
    }

    /// Flushes the samples LAME holds back (padding the last frame with silence) and appends the final frames.
    /// Call once; `encode` and `finish` throw afterwards. `lameTagFrame()` is complete only after this.
    public func finish(appendingTo output: inout [UInt8]) throws(MP3EncoderError) {
        try checkNotFinished()
        finished = true
        let written = scratch.withUnsafeMutableBufferPointer { out in
            lame_encode_flush(handle, out.baseAddress, Int32(out.count))
        }
        try append(written, to: &output, code: .flushFailed, call: "lame_encode_flush")
    }

    /// The final Xing/Info + LAME tag frame (frame count, byte count, seek table, encoder delay and padding, CRCs).
    /// Overwrite the stream's first frame (right after the ID3v2 tag) with it once `finish` has run; it has the
    /// same length as that placeholder. Empty when called before `finish`, and when LAME wrote no tag frame because
    /// a CBR frame is too small to hold it (see `tagFits`: mono below 24 kbit/s at 8 kHz or 40 kbit/s at 16 kHz);
    /// then there is no placeholder either, and decoders play the encoder delay and padding as silence.
    public func lameTagFrame() -> [UInt8] {
        guard finished else { return [] }
        let size = lame_get_lametag_frame(handle, nil, 0)
        guard size > 0 else { return [] }
        var frame = [UInt8](repeating: 0, count: size)
        let written = frame.withUnsafeMutableBufferPointer { lame_get_lametag_frame(handle, $0.baseAddress, size) }
        return Array(frame.prefix(written))
    }

    /// Overwrites the placeholder tag frame at `streamOffset` of `file` (where the first `encode` output begins,
    /// i.e. right after the ID3v2 tag) with `lameTagFrame()`. Does nothing when LAME wrote no tag frame.
    /// Throws when called before `finish` or when `file` does not hold a frame header at `streamOffset`.
    public func writeLAMETagFrame(into file: inout [UInt8], streamOffset: Int) throws(MP3EncoderError) {
        guard finished else {
            throw MP3EncoderError(.tagPlaceholderMissing, detail: "expected finish(appendingTo:) before the tag")
        }
        let frame = lameTagFrame()
        guard !frame.isEmpty else { return }
        guard streamOffset >= 0, streamOffset + frame.count <= file.count, file[streamOffset] == 0xFF,
            file[streamOffset + 1] & 0xE0 == 0xE0
        else {
            throw MP3EncoderError(
                .tagPlaceholderMissing,
                detail: "expected the \(frame.count)-byte placeholder frame at offset \(streamOffset) of "
                    + "\(file.count) bytes"
            )
        }
        file.replaceSubrange(streamOffset..<streamOffset + frame.count, with: frame)
    }

    /// Samples per channel LAME adds before the first input sample (576 for LAME 3.100's layer III); decoders
    /// that read the LAME tag skip it, as they skip their own 529-sample decoder delay.
    public var encoderDelay: Int { Int(lame_get_encoder_delay(handle)) }

    /// Samples per channel of silence appended to fill the last frame; known after `finish`.
    public var encoderPadding: Int { Int(lame_get_encoder_padding(handle)) }

    /// Samples per channel in one frame: 1152 for MPEG-1 (32 kHz and up), 576 for MPEG-2 and 2.5.
    public var frameSize: Int { Int(lame_get_framesize(handle)) }

    /// Audio frames encoded so far (`lame_get_frameNum`), not counting the tag frame; after `finish`, all of them.
    public var totalFrames: Int { Int(lame_get_frameNum(handle)) }

    /// The LAME version linked in, e.g. `3.100`, for the ID3 TSSE frame and reports.
    public static var lameVersion: String { String(cString: get_lame_short_version()) }

    private func checkNotFinished() throws(MP3EncoderError) {
        guard !finished else {
            throw MP3EncoderError(.alreadyFinished, detail: "expected no more input after finish(appendingTo:)")
        }
    }

    private func append(
        _ written: Int32,
        to output: inout [UInt8],
        code: MP3EncoderError.Code,
        call: String
    ) throws(MP3EncoderError) {
        guard written >= 0 else {
            throw MP3EncoderError(code, lameReturnCode: written, detail: "\(call) failed")
        }
        output.append(contentsOf: scratch[0..<Int(written)])
    }
}
