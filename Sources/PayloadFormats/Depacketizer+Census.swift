import AudioCodecs

// Counting a payload's frames by kind, reading headers only (pass 1; see `PayloadCensus`).

extension Depacketizer {
    /// The payload's duration, its frames counted by kind, why any are damaged, and the mode of its speech: the
    /// same checks as ``frames(of:)``, without copying a byte. A payload that gives no duration counts as one
    /// damaged frame (``PayloadDamage/unreadable(_:)``).
    public func census(of payload: UnsafeRawBufferPointer) -> PayloadCensus {
        do {
            return try checkedCensus(of: payload)
        } catch {
            return PayloadCensus(duration: nil, frames: FrameCounts(damaged: 1), damage: .unreadable(error.code))
        }
    }

    /// ``census(of:)`` of a payload in an array.
    public func census(of payload: [UInt8]) -> PayloadCensus {
        payload.withUnsafeBytes { census(of: $0) }
    }

    private func checkedCensus(of payload: UnsafeRawBufferPointer) throws(PayloadFormatError) -> PayloadCensus {
        switch codec {
        case .pcmu, .pcma, .g722:
            return PayloadCensus(
                duration: RFC3551Payload.octetsDuration(payload),
                frames: FrameCounts(speech: payload.isEmpty ? 0 : 1)
            )
        case .g726(let format):
            return Self.wholePayload(RFC3551Payload.g726Duration(payload, format: format))
        case .l16(let format):
            return Self.wholePayload(RFC3551Payload.l16Duration(payload, format: format))
        case .g729:
            let duration = RFC3551Payload.g729Duration(payload)
            guard duration.fitsCodec else {
                return PayloadCensus(
                    duration: duration,
                    frames: FrameCounts(damaged: duration.ticks / 80),
                    damage: .size
                )
            }
            let sid = payload.count % 10 == 2 ? 1 : 0
            return PayloadCensus(
                duration: duration,
                frames: FrameCounts(speech: payload.count / 10, silenceDescriptors: sid)
            )
        case .gsm:
            return Self.gsmCensus(payload)
        case .amr(let format):
            return try AMRPayload.census(payload, wideband: false, octetAligned: format.octetAligned)
        case .amrWideband(let format):
            return try AMRPayload.census(payload, wideband: true, octetAligned: format.octetAligned)
        case .opus:
            return try Self.opusCensus(payload)
        case .speex(let format):
            return try SpeexPayload.census(payload, band: format.band)
        case .comfortNoise, .telephoneEvent, .unsupported, .unknown:
            return PayloadCensus(duration: PayloadDuration(ticks: 0, fitsCodec: false), frames: FrameCounts())
        }
    }

    /// A sample codec's payload: one frame, damaged when its size is not whole samples.
    private static func wholePayload(_ duration: PayloadDuration) -> PayloadCensus {
        guard duration.ticks > 0 else { return PayloadCensus(duration: duration, frames: FrameCounts()) }
        return duration.fitsCodec
            ? PayloadCensus(duration: duration, frames: FrameCounts(speech: 1))
            : PayloadCensus(duration: duration, frames: FrameCounts(damaged: 1), damage: .size)
    }

    private static func gsmCensus(_ payload: UnsafeRawBufferPointer) -> PayloadCensus {
        let duration = RFC3551Payload.gsmDuration(payload)
        guard payload.count % 33 == 0 else {
            return PayloadCensus(duration: duration, frames: FrameCounts(damaged: duration.ticks / 160), damage: .size)
        }
        var frames = FrameCounts()
        for offset in stride(from: 0, to: payload.count, by: 33) {
            if payload[offset] >> 4 == 0xD { frames.speech += 1 } else { frames.damaged += 1 }
        }
        return PayloadCensus(duration: duration, frames: frames, damage: frames.damaged > 0 ? .signature : nil)
    }

    private static func opusCensus(_ payload: UnsafeRawBufferPointer) throws(PayloadFormatError) -> PayloadCensus {
        let framing = try OpusPacket.framing(payload)
        let duration = PayloadDuration(ticks: framing.ticks, fitsCodec: framing.isValid)
        guard framing.isValid else {
            return PayloadCensus(duration: duration, frames: FrameCounts(damaged: 1), damage: .opusFraming)
        }
        if framing.isEmpty { return PayloadCensus(duration: duration, frames: FrameCounts(noData: 1)) }
        let toc = payload[0]
        return PayloadCensus(
            duration: duration,
            frames: FrameCounts(speech: 1),
            mode: .opus(configuration: Int(toc >> 3), stereo: toc & 4 != 0)
        )
    }
}

extension AMRPayload {
    /// The frames of a payload by kind (RFC 4867 §4.3.2: Q = 0 and SPEECH_LOST are bad frames), and the mode of the
    /// first speech frame.
    static func census(
        _ payload: UnsafeRawBufferPointer,
        wideband: Bool,
        octetAligned: Bool
    ) throws(PayloadFormatError) -> PayloadCensus {
        let summary = try summary(payload, wideband: wideband, octetAligned: octetAligned)
        let duration = PayloadDuration(ticks: summary.frameCount * (wideband ? 320 : 160), fitsCodec: summary.fits)
        var reader = BitReader(payload)
        _ = reader.skip(octetAligned ? 8 : 4)
        var frames = FrameCounts()
        var damage: PayloadDamage?
        var mode: CodecMode?
        for _ in 0..<summary.frameCount {
            guard let value = reader.read(octetAligned ? 8 : 6) else { break }
            let bits = octetAligned ? value >> 2 : value
            let entry = Entry(frameType: Int((bits >> 1) & 15), quality: bits & 1 == 1)
            let kind = summary.fits ? kind(of: entry, wideband: wideband) : (entry.frameType == 15 ? .noData : .damaged)
            switch kind {
            case .speech:
                frames.speech += 1
                if mode == nil {
                    mode = wideband ? .amrWideband(frameType: entry.frameType) : .amr(frameType: entry.frameType)
                }
            case .silenceDescriptor: frames.silenceDescriptors += 1
            case .noData: frames.noData += 1
            case .damaged:
                frames.damaged += 1
                damage = summary.fits ? .markedBad : .tableOfContents
            }
        }
        return PayloadCensus(duration: duration, frames: frames, damage: damage, mode: mode)
    }
}

extension SpeexPayload {
    /// A Speex payload's frames: speech, or no data for narrowband mode 0 (the encoder's "no transmission" frame in
    /// DTX); all damaged when the bit-stream is corrupted. The mode is the first frame's.
    static func census(
        _ payload: UnsafeRawBufferPointer,
        band: SpeexFormat.Band
    ) throws(PayloadFormatError)
        -> PayloadCensus
    {
        let duration = try duration(payload, band: band)
        let count = duration.ticks / band.samplesPerFrame
        guard duration.fitsCodec else {
            return PayloadCensus(duration: duration, frames: FrameCounts(damaged: count), damage: .speexBitstream)
        }
        var reader = BitReader(payload)
        var mode: CodecMode?
        if let header = reader.read(5), header < 9 {
            let subMode: Int? =
                band == .narrowband ? nil : reader.skip(narrowbandBits[Int(header)] - 5) ? firstLayer(&reader) : nil
            mode = .speex(narrowbandMode: Int(header), widebandSubMode: subMode)
        }
        // A payload of mode-0 frames is the DTX "no transmission" signal; mixed payloads count as speech.
        if case .speex(0, _) = mode, count == 1 {
            return PayloadCensus(duration: duration, frames: FrameCounts(noData: 1))
        }
        return PayloadCensus(duration: duration, frames: FrameCounts(speech: count), mode: mode)
    }

    /// The sub-mode of the wideband layer that follows a narrowband frame, if one does.
    private static func firstLayer(_ reader: inout BitReader) -> Int? {
        guard let header = reader.read(4), header & 8 != 0 else { return nil }
        return Int(header & 7)
    }
}
