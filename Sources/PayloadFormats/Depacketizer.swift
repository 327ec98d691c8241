import AudioCodecs

/// Cuts the RTP payloads of one audio codec into the frames its decoder takes (``CodecFrame``), each payload format
/// per its RFC: RFC 3551 (G.711, G.722, G.726, G.729, GSM, L16), RFC 4867 (AMR, AMR-WB), RFC 7587 (Opus) and
/// RFC 5574 (Speex).
///
/// A payload that does not fit its codec (a size no frame layout gives, a bad table of contents, an Opus packet
/// breaking RFC 6716 §3.4, a GSM frame without its signature) still gives frames of the duration it most likely
/// stands for, of kind ``CodecFrame/Kind/damaged``: they are concealed and counted, never decoded as noise. A
/// payload that cannot even give a duration throws a ``PayloadFormatError``, whose code the caller counts. A damaged
/// frame has no bytes, except an AMR frame marked bad by its Q bit (or AMR-WB's SPEECH_LOST), which keeps its
/// storage-format bytes so that opencore's bad-frame handling sees it.
///
/// ``duration(of:)`` is the cheap query for pass 1: the same checks, without building frames.
public struct Depacketizer: Sendable {
    /// The codec whose payloads this cuts.
    public let codec: Codec
    /// The rate of the frames' ``CodecFrame/sampleCount``: the codec's ``Codec/sampleRate``, or for Opus the rate
    /// its decoder is run at.
    public let sampleRate: Int

    /// A depacketizer for an audio codec; nil for comfort noise, telephone events, unsupported and unknown codecs.
    ///
    /// `opusSampleRate` is the rate an Opus decoder will produce (libopus decodes at 8, 12, 16, 24 or 48 kHz,
    /// RFC 6716 §2), so that Opus frames count their samples at it; nil for any other rate.
    public init?(codec: Codec, opusSampleRate: Int = 48000) {
        guard codec.isAudio, [8000, 12000, 16000, 24000, 48000].contains(opusSampleRate) else { return nil }
        self.codec = codec
        if case .opus = codec { sampleRate = opusSampleRate } else { sampleRate = codec.sampleRate }
    }

    /// The payload's duration in RTP clock ticks and whether it fits its codec.
    public func duration(of payload: UnsafeRawBufferPointer) throws(PayloadFormatError) -> PayloadDuration {
        switch codec {
        case .pcmu, .pcma, .g722: return RFC3551Payload.octetsDuration(payload)
        case .g726(let format): return RFC3551Payload.g726Duration(payload, format: format)
        case .g729: return RFC3551Payload.g729Duration(payload)
        case .gsm: return RFC3551Payload.gsmDuration(payload)
        case .l16(let format): return RFC3551Payload.l16Duration(payload, format: format)
        case .amr(let format):
            return try AMRPayload.duration(payload, wideband: false, octetAligned: format.octetAligned)
        case .amrWideband(let format):
            return try AMRPayload.duration(payload, wideband: true, octetAligned: format.octetAligned)
        case .opus: return try OpusPacket.duration(payload)
        case .speex(let format): return try SpeexPayload.duration(payload, band: format.band)
        case .comfortNoise, .telephoneEvent, .unsupported, .unknown: return PayloadDuration(ticks: 0, fitsCodec: false)
        }
    }

    /// The payload cut into frames, with its duration.
    public func frames(of payload: UnsafeRawBufferPointer) throws(PayloadFormatError) -> PayloadFrames {
        switch codec {
        case .pcmu, .pcma: return RFC3551Payload.octetsFrames(payload, samplesPerTick: 1)
        case .g722: return RFC3551Payload.octetsFrames(payload, samplesPerTick: 2)
        case .g726(let format): return RFC3551Payload.g726Frames(payload, format: format)
        case .g729: return RFC3551Payload.g729Frames(payload)
        case .gsm: return RFC3551Payload.gsmFrames(payload)
        case .l16(let format): return RFC3551Payload.l16Frames(payload, format: format)
        case .amr(let format): return try AMRPayload.frames(payload, wideband: false, octetAligned: format.octetAligned)
        case .amrWideband(let format):
            return try AMRPayload.frames(payload, wideband: true, octetAligned: format.octetAligned)
        case .opus: return try OpusPacket.frames(payload, sampleRate: sampleRate)
        case .speex(let format): return try SpeexPayload.frames(payload, band: format.band)
        case .comfortNoise, .telephoneEvent, .unsupported, .unknown:
            return PayloadFrames(frames: [], duration: PayloadDuration(ticks: 0, fitsCodec: false))
        }
    }

    /// ``duration(of:)`` of a payload in an array.
    public func duration(of payload: [UInt8]) throws(PayloadFormatError) -> PayloadDuration {
        try payload.withUnsafeBytes { bytes in Result { () throws(PayloadFormatError) in try duration(of: bytes) } }
            .get()
    }

    /// ``duration(of:)`` of a payload in a slice of an array (`RTPPacket.payload`).
    public func duration(of payload: ArraySlice<UInt8>) throws(PayloadFormatError) -> PayloadDuration {
        try payload.withUnsafeBytes { bytes in Result { () throws(PayloadFormatError) in try duration(of: bytes) } }
            .get()
    }

    /// ``frames(of:)`` of a payload in an array.
    public func frames(of payload: [UInt8]) throws(PayloadFormatError) -> PayloadFrames {
        try payload.withUnsafeBytes { bytes in Result { () throws(PayloadFormatError) in try frames(of: bytes) } }.get()
    }

    /// ``frames(of:)`` of a payload in a slice of an array (`RTPPacket.payload`).
    public func frames(of payload: ArraySlice<UInt8>) throws(PayloadFormatError) -> PayloadFrames {
        try payload.withUnsafeBytes { bytes in Result { () throws(PayloadFormatError) in try frames(of: bytes) } }.get()
    }
}
