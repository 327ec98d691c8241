import AudioCodecs

/// The payload formats of RFC 3551 §4.5: sample-based G.711, G.722, G.726 and L16, whose every byte count is some
/// number of samples; and frame-based G.729 and GSM, whose payloads are whole frames.
enum RFC3551Payload {
    /// G.711 (§4.5.14) and G.722 (§4.5.2): one byte per tick; G.722's byte is two 16 kHz samples.
    static func octetsDuration(_ payload: UnsafeRawBufferPointer) -> PayloadDuration {
        PayloadDuration(ticks: payload.count, fitsCodec: true)
    }

    static func octetsFrames(_ payload: UnsafeRawBufferPointer, samplesPerTick: Int) -> PayloadFrames {
        let frames =
            payload.isEmpty
            ? [] : [CodecFrame(kind: .speech, bytes: Array(payload), sampleCount: payload.count * samplesPerTick)]
        return PayloadFrames(frames: frames, duration: octetsDuration(payload))
    }

    /// G.726 (§4.5.4): `bits` per sample packed into octets; a payload must hold a whole number of codewords that
    /// ends on an octet (so 24 and 40 kbit/s payloads come in groups of 8 samples: 3 or 5 octets).
    static func g726Duration(_ payload: UnsafeRawBufferPointer, format: G726Format) -> PayloadDuration {
        let bits = payload.count * 8
        let perCode = format.rate.bitsPerCodeword
        return PayloadDuration(ticks: bits / perCode, fitsCodec: bits % perCode == 0)
    }

    /// One frame of all the codewords, repacked to RFC 3551 order (what ``G726Decoder`` takes).
    static func g726Frames(_ payload: UnsafeRawBufferPointer, format: G726Format) -> PayloadFrames {
        let duration = g726Duration(payload, format: format)
        guard duration.ticks > 0 else { return PayloadFrames(frames: [], duration: duration) }
        guard duration.fitsCodec else { return damaged(count: 1, samples: duration.ticks, duration) }
        let bytes = format.packing.repack(payload, bitsPerCodeword: format.rate.bitsPerCodeword, to: .rfc3551)
        return PayloadFrames(
            frames: [CodecFrame(kind: .speech, bytes: bytes, sampleCount: duration.ticks)],
            duration: duration
        )
    }

    /// L16 (§4.5.11): 2 bytes per channel per tick; a payload must hold whole sample times. Less than one sample
    /// time still stands for one, so the packet is counted.
    static func l16Duration(_ payload: UnsafeRawBufferPointer, format: L16Format) -> PayloadDuration {
        let size = format.bytesPerTick
        guard payload.count % size != 0 else { return PayloadDuration(ticks: payload.count / size, fitsCodec: true) }
        return PayloadDuration(ticks: max(payload.count / size, 1), fitsCodec: false)
    }

    static func l16Frames(_ payload: UnsafeRawBufferPointer, format: L16Format) -> PayloadFrames {
        let duration = l16Duration(payload, format: format)
        guard !payload.isEmpty else { return PayloadFrames(frames: [], duration: duration) }
        guard duration.fitsCodec else { return damaged(count: 1, samples: duration.ticks, duration) }
        let frame = CodecFrame(kind: .speech, bytes: Array(payload), sampleCount: duration.ticks)
        return PayloadFrames(frames: [frame], duration: duration)
    }

    /// G.729 (§4.5.6): zero or more 10-byte frames (10 ms, 80 ticks each), then at most one 2-byte Annex B SID
    /// frame, which also stands for 10 ms.
    static func g729Duration(_ payload: UnsafeRawBufferPointer) -> PayloadDuration {
        let remainder = payload.count % 10
        let fits = remainder == 0 || remainder == 2
        let frames = fits ? payload.count / 10 + (remainder == 2 ? 1 : 0) : roughFrameCount(payload.count, size: 10)
        return PayloadDuration(ticks: 80 * frames, fitsCodec: fits)
    }

    static func g729Frames(_ payload: UnsafeRawBufferPointer) -> PayloadFrames {
        let duration = g729Duration(payload)
        guard duration.fitsCodec else { return damaged(count: duration.ticks / 80, samples: 80, duration) }
        var frames: [CodecFrame] = []
        frames.reserveCapacity(duration.ticks / 80)
        var offset = 0
        while offset + 10 <= payload.count {
            frames.append(CodecFrame(kind: .speech, bytes: Array(payload[offset..<(offset + 10)]), sampleCount: 80))
            offset += 10
        }
        if offset + 2 == payload.count {
            frames.append(CodecFrame(kind: .silenceDescriptor, bytes: Array(payload[offset...]), sampleCount: 80))
        }
        return PayloadFrames(frames: frames, duration: duration)
    }

    /// GSM 06.10 (§4.5.8): 33-byte frames of 20 ms (160 ticks), each starting with the 4-bit signature 0xD
    /// (§4.5.8.1). A frame without it is damaged.
    static func gsmDuration(_ payload: UnsafeRawBufferPointer) -> PayloadDuration {
        guard payload.count % 33 == 0 else {
            return PayloadDuration(ticks: 160 * roughFrameCount(payload.count, size: 33), fitsCodec: false)
        }
        var fits = true
        for offset in stride(from: 0, to: payload.count, by: 33) where payload[offset] >> 4 != 0xD {
            fits = false
        }
        return PayloadDuration(ticks: 160 * (payload.count / 33), fitsCodec: fits)
    }

    static func gsmFrames(_ payload: UnsafeRawBufferPointer) -> PayloadFrames {
        let duration = gsmDuration(payload)
        guard payload.count % 33 == 0 else { return damaged(count: duration.ticks / 160, samples: 160, duration) }
        let frames = stride(from: 0, to: payload.count, by: 33).map { offset in
            payload[offset] >> 4 == 0xD
                ? CodecFrame(kind: .speech, bytes: Array(payload[offset..<(offset + 33)]), sampleCount: 160)
                : CodecFrame(kind: .damaged, bytes: [], sampleCount: 160)
        }
        return PayloadFrames(frames: frames, duration: duration)
    }

    /// The number of frames a payload of the wrong size most likely stands for: its size in frames, rounded, and
    /// at least one (so the packet is counted and concealed).
    static func roughFrameCount(_ size: Int, size frame: Int) -> Int {
        max(1, (size + frame / 2) / frame)
    }

    /// `count` damaged frames of `samples` each.
    static func damaged(count: Int, samples: Int, _ duration: PayloadDuration) -> PayloadFrames {
        PayloadFrames(
            frames: Array(repeating: CodecFrame(kind: .damaged, bytes: [], sampleCount: samples), count: count),
            duration: duration
        )
    }
}
