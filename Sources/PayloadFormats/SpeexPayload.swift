import AudioCodecs

/// The Speex payload format of RFC 5574 §3: one or more Speex frames packed bit after bit, the last padded to an
/// octet with the terminator. Frames do not say their length, so they are counted by walking the bit-stream:
/// each narrowband part starts with a 0 bit and a 4-bit mode that fixes its size; each wideband layer (one in a
/// wideband frame, two in an ultra-wideband frame) starts with a 1 bit and a 3-bit sub-mode that fixes its size.
///
/// The sizes, per 20 ms frame, are those of the Speex manual's narrowband and wideband mode tables (bit-rates of
/// 2.15 to 24.6 kbit/s for narrowband modes 1–8, 1.8 to 17.6 kbit/s more per wideband layer), and were checked
/// against libspeex 1.2.1's encoder at every quality in each band.
enum SpeexPayload {
    /// Bits of a narrowband frame per mode 0–8, its 5 header bits included: mode 0 (no transmission) is the header
    /// alone; modes 1–8 are 2150, 5950, 8000, 11000, 15000, 18200, 24600 and 3950 bit/s.
    static let narrowbandBits = [5, 43, 119, 160, 220, 300, 364, 492, 79]
    /// Bits of a wideband layer per sub-mode 0–4, its 4 header bits included (sub-modes 5–7 do not exist).
    static let widebandLayerBits = [4, 36, 112, 192, 352]
    /// Bits skipped after a Speex in-band request (narrowband mode 14) per 4-bit request code: libspeex's default
    /// handling of requests it does not act on.
    static let inBandRequestBits = [1, 1, 4, 4, 4, 4, 4, 4, 8, 8, 16, 16, 32, 32, 64, 64]

    /// The result of a walk: the frames found and whether the stream was well formed to its end.
    struct Walk {
        var frames: Int
        var isWellFormed: Bool
    }

    /// Walks the frames. Throws when the payload is empty or holds no frame that can be counted.
    static func walk(_ payload: UnsafeRawBufferPointer) throws(PayloadFormatError) -> Walk {
        guard !payload.isEmpty else { throw PayloadFormatError(.emptyPayload) }
        var reader = BitReader(payload)
        var frames = 0
        // Fewer than 5 bits left is the padding of the last octet (RFC 5574 §3.3).
        walking: while reader.remaining >= 5 {
            let start = reader.position
            guard let step = step(&reader) else {
                // A mode that does not exist, or a unit cut short: the payload is damaged. A narrowband frame cut
                // short still counts as a frame.
                let counted = frames + (isFrameStart(payload, at: start) ? 1 : 0)
                guard counted > 0 else { throw PayloadFormatError(.invalidSpeexPayload, offset: start / 8) }
                return Walk(frames: counted, isWellFormed: false)
            }
            switch step {
            case .frame: frames += 1
            case .layer, .signal: break
            case .terminator: break walking
            }
        }
        guard frames > 0 else { throw PayloadFormatError(.invalidSpeexPayload, offset: 0) }
        return Walk(frames: frames, isWellFormed: true)
    }

    /// What one step of the walk read.
    enum Step {
        /// A narrowband frame (a new 20 ms frame).
        case frame
        /// A wideband layer of the frame before.
        case layer
        /// An in-band request or user in-band data (narrowband modes 14 and 13), no audio.
        case signal
        /// The terminator (narrowband mode 15): the rest is padding.
        case terminator
    }

    /// Reads one unit, or nil for an invalid mode or a unit cut short (nothing is consumed then).
    private static func step(_ reader: inout BitReader) -> Step? {
        var probe = reader
        guard let wideband = probe.read(1) else { return nil }
        if wideband == 1 {
            guard let subMode = probe.read(3), Int(subMode) < widebandLayerBits.count,
                probe.skip(widebandLayerBits[Int(subMode)] - 4)
            else { return nil }
            reader = probe
            return .layer
        }
        guard let mode = probe.read(4) else { return nil }
        switch mode {
        case 15:
            reader = probe
            return .terminator
        case 14:
            guard let code = probe.read(4), probe.skip(inBandRequestBits[Int(code)]) else { return nil }
            reader = probe
            return .signal
        case 13:
            // User in-band data: a 4-bit byte count, then 5 + 8 × count bits (libspeex's default handler).
            guard let size = probe.read(4), probe.skip(5 + 8 * Int(size)) else { return nil }
            reader = probe
            return .signal
        case 0...8:
            guard probe.skip(narrowbandBits[Int(mode)] - 5) else { return nil }
            reader = probe
            return .frame
        default:
            return nil
        }
    }

    /// Whether the unit at `position` is a narrowband frame (a 0 bit and a mode 0–8), even if cut short.
    private static func isFrameStart(_ payload: UnsafeRawBufferPointer, at position: Int) -> Bool {
        var reader = BitReader(payload)
        guard reader.skip(position), let header = reader.read(5) else { return false }
        return header < 9
    }

    static func duration(
        _ payload: UnsafeRawBufferPointer,
        band: SpeexFormat.Band
    ) throws(PayloadFormatError) -> PayloadDuration {
        let walk = try walk(payload)
        return PayloadDuration(ticks: max(walk.frames, 1) * band.samplesPerFrame, fitsCodec: walk.isWellFormed)
    }

    /// The payload whole (libspeex decodes its frames one after the other from one bit-stream).
    static func frames(
        _ payload: UnsafeRawBufferPointer,
        band: SpeexFormat.Band
    ) throws(PayloadFormatError) -> PayloadFrames {
        let duration = try duration(payload, band: band)
        let frame =
            duration.fitsCodec
            ? CodecFrame(kind: .speech, bytes: Array(payload), sampleCount: duration.ticks)
            : CodecFrame(kind: .damaged, bytes: [], sampleCount: duration.ticks)
        return PayloadFrames(frames: [frame], duration: duration)
    }
}
