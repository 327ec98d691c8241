import AMRCodec
import AMRWBTestEncoder
import AudioCodecs
import G729Codec
import GSMCodec
import OpusCodec
import PayloadFormats
import SpeexCodec

/// One packet a synthesized leg sends: its payload, the coded frames in it as the encoder made them, and where it
/// lies in the leg (RTP clock ticks and samples at the codec's rate from the leg's start).
public struct SynthPayload: Sendable {
    public var payload: [UInt8]
    /// The encoder's frames in the payload: G.729 10-byte frames and a 2-byte SID, AMR frames in the storage
    /// format (RFC 4867 §5.3), 33-byte GSM frames, the Opus packet, the Speex payload; for the sample codecs (G.711,
    /// G.722, G.726, L16) the payload itself.
    public var frames: [[UInt8]]
    public var tickOffset: Int
    public var sampleOffset: Int
    /// The packet's duration in clock ticks.
    public var ticks: Int
    /// The samples to encode (interleaved), kept only until the payload is made.
    var samples: [Int16] = []
}

/// A leg as its encoder made it: the packets it sends (untransmitted DTX frames leave gaps in their offsets) and
/// the audio it encoded (channels interleaved), at the codec's rate.
public struct EncodedLeg: Sendable {
    public var packets: [SynthPayload]
    public var audio: [Int16]
    /// Samples (per channel) of the audio each packet's offsets count in, per tick.
    public var sampleRate: Int
}

/// A coded frame as an encoder gave it, before packing: sent as speech, sent as a silence descriptor (which ends a
/// packet: RFC 3551 §4.5.6, RFC 4867), or not sent (DTX).
private enum CodedFrame {
    case speech([UInt8])
    case silenceDescriptor([UInt8])
    case untransmitted
}

extension CallSynthesizer {
    /// The packets leg `index` sends when nothing is lost, encoded with the codec's own encoder, and its audio.
    public func encodedLeg(_ index: Int) -> EncodedLeg {
        let leg = legs[index]
        let codec = leg.codec
        let packetCount = Int(leg.durationSeconds * 1000) / leg.ptimeMilliseconds
        let samplesPerPacket = codec.sampleRate * leg.ptimeMilliseconds / 1000
        let count = samplesPerPacket * packetCount
        let audio = legAudio(leg, count: count)
        let ticksPerSample = Double(codec.rtpClockRate) / Double(codec.sampleRate)
        let packets: [SynthPayload]
        if codec.frameMilliseconds == 1 || codec.codec.isOpusCodec {
            packets = (0..<packetCount).map { packet in
                let width = samplesPerPacket * codec.channels
                let slice = audio[(packet * width)..<((packet + 1) * width)]
                return SynthPayload(
                    payload: [],
                    frames: [],
                    tickOffset: Int(Double(packet * samplesPerPacket) * ticksPerSample),
                    sampleOffset: packet * samplesPerPacket,
                    ticks: Int(Double(samplesPerPacket) * ticksPerSample),
                    samples: Array(slice)
                )
            }
        } else {
            packets = []
        }
        return EncodedLeg(
            packets: encode(packets, audio: audio, leg: leg, samplesPerPacket: samplesPerPacket),
            audio: audio,
            sampleRate: codec.sampleRate
        )
    }

    /// The leg's audio at its codec's rate, channels interleaved: its own, else the speech-like signal (a second
    /// channel a fifth higher).
    private func legAudio(_ leg: SynthLeg, count: Int) -> [Int16] {
        let rate = leg.codec.sampleRate
        let mono =
            leg.audio.map { Array($0.prefix(count)) + repeatElement(0, count: max(0, count - $0.count)) }
            ?? Self.speechLike(count: count, sampleRate: rate, pitch: leg.pitchHz, seed: leg.seed)
        guard leg.codec.channels == 2 else { return mono }
        let second =
            leg.audio == nil
            ? Self.speechLike(count: count, sampleRate: rate, pitch: leg.pitchHz * 1.5, seed: leg.seed &+ 1) : mono
        var stereo: [Int16] = []
        stereo.reserveCapacity(2 * count)
        for index in 0..<count {
            stereo.append(mono[index])
            stereo.append(second[index])
        }
        return stereo
    }

    private func encode(
        _ fixed: [SynthPayload],
        audio: [Int16],
        leg: SynthLeg,
        samplesPerPacket: Int
    ) -> [SynthPayload] {
        let codec = leg.codec
        switch codec.codec {
        case .pcmu, .pcma, .g722, .g726, .l16, .unsupported, .unknown, .comfortNoise, .telephoneEvent:
            return encodeSamples(fixed, codec: codec)
        case .opus:
            return encodeOpus(fixed, codec: codec)
        case .speex(let format):
            return encodeSpeex(audio, codec: codec, band: format.band, leg: leg)
        case .g729, .gsm, .amr, .amrWideband:
            let frameSamples = codec.sampleRate * codec.frameMilliseconds / 1000
            let frames = encodeFrames(audio, codec: codec, frameSamples: frameSamples)
            return Self.pack(
                frames,
                codec: codec,
                framesPerPacket: max(1, leg.ptimeMilliseconds / codec.frameMilliseconds),
                frameSamples: frameSamples
            )
        }
    }

    /// G.711, G.722, G.726, L16 and opaque payloads: each packet's samples encoded on their own (one G.722 and one
    /// G.726 encoder run through the leg).
    private func encodeSamples(_ packets: [SynthPayload], codec: SynthCodec) -> [SynthPayload] {
        var g722 = G722Encoder()
        var g726: G726Encoder?
        if case .g726(let format) = codec.codec { g726 = G726Encoder(rate: format.rate) }
        return packets.map { packet in
            var packet = packet
            var bytes: [UInt8] = []
            packet.samples.withUnsafeBufferPointer { samples in
                switch codec.codec {
                case .pcmu: G711.encodeMuLaw(samples, appendingTo: &bytes)
                case .pcma: G711.encodeALaw(samples, appendingTo: &bytes)
                case .g722: g722.encode(samples, appendingTo: &bytes)
                case .g726(let format):
                    if var encoder = g726 {
                        bytes = encoder.encodePacked(Array(samples), packing: format.packing)
                        g726 = encoder
                    }
                case .l16: bytes = Packetizer.l16(samples: Array(samples))
                default:
                    if case .opaque(let size) = codec.encoding { bytes = [UInt8](repeating: 0x5A, count: size) }
                }
            }
            packet.payload = bytes
            packet.frames = [bytes]
            packet.samples = []
            return packet
        }
    }

    /// Opus: one packet per packet time from libopus (stereo input for a stereo sender); with DTX, packets of
    /// at most 2 bytes are not sent (opus.h: such a packet need not be transmitted).
    private func encodeOpus(_ packets: [SynthPayload], codec: SynthCodec) -> [SynthPayload] {
        var settings = OpusEncoder.Settings()
        settings.channels = codec.channels
        if case .opus(let bitrate, let fec, let dtx, let loss) = codec.encoding {
            settings.bitrate = bitrate
            settings.inbandFEC = fec
            settings.dtx = dtx
            settings.expectedLossPercent = loss
        }
        guard let encoder = try? OpusEncoder(settings) else { return [] }
        return packets.compactMap { packet in
            var packet = packet
            guard let bytes = try? encoder.encode(packet.samples[...]), !(settings.dtx && bytes.count <= 2) else {
                return nil
            }
            packet.payload = bytes
            packet.frames = [bytes]
            packet.samples = []
            return packet
        }
    }
}

extension CallSynthesizer {
    /// Speex: libspeex packs the packet's frames into one bit-stream itself (RFC 5574 §3.3).
    private func encodeSpeex(
        _ audio: [Int16],
        codec: SynthCodec,
        band: SpeexFormat.Band,
        leg: SynthLeg
    ) -> [SynthPayload] {
        guard case .speex(let quality) = codec.encoding else { return [] }
        let encoder = SpeexEncoder(band: band.library, quality: quality)
        let framesPerPacket = max(1, leg.ptimeMilliseconds / 20)
        let samples = band.sampleRate / 50 * framesPerPacket
        let ticks = samples * codec.rtpClockRate / codec.sampleRate
        return encoder.encode(stream: audio, framesPerPayload: framesPerPacket).enumerated().map { index, payload in
            SynthPayload(
                payload: payload,
                frames: [payload],
                tickOffset: index * ticks,
                sampleOffset: index * samples,
                ticks: ticks
            )
        }
    }

    /// The frames of a frame codec, one per `frameSamples` of audio.
    private func encodeFrames(_ audio: [Int16], codec: SynthCodec, frameSamples: Int) -> [CodedFrame] {
        let starts = stride(from: 0, to: audio.count - frameSamples + 1, by: frameSamples)
        switch (codec.codec, codec.encoding) {
        case (.g729, .g729(let vad)):
            let encoder = G729Encoder(annexB: vad)
            return starts.map { start in
                let bytes = encoder.encode(audio[start..<(start + frameSamples)])
                return bytes.isEmpty ? .untransmitted : bytes.count == 2 ? .silenceDescriptor(bytes) : .speech(bytes)
            }
        case (.gsm, _):
            let encoder = GSMEncoder()
            return starts.map { .speech(encoder.encode(audio[$0..<($0 + frameSamples)])) }
        case (.amr, .amr(let mode, let dtx)):
            let encoder = AMRNBEncoder(dtx: dtx)
            return starts.map { Self.amrFrame(encoder.encode(audio[$0..<($0 + frameSamples)], mode: mode), sid: 8) }
        case (.amrWideband, .amr(let mode, let dtx)):
            let encoder = AMRWBEncoder(dtx: dtx)
            return starts.map { Self.amrFrame(encoder.encode(audio[$0..<($0 + frameSamples)], mode: mode), sid: 9) }
        default:
            return []
        }
    }

    /// An AMR storage frame by its frame type: NO_DATA (15) is not sent, a SID ends a packet.
    private static func amrFrame(_ frame: [UInt8], sid: Int) -> CodedFrame {
        guard let header = frame.first else { return .untransmitted }
        let type = Int(header >> 3 & 15)
        if type == 15 { return .untransmitted }
        return type == sid ? .silenceDescriptor(frame) : .speech(frame)
    }

    /// Frames packed into packets of up to `framesPerPacket`: a packet also ends after a silence descriptor, and
    /// an untransmitted frame ends the packet before it (its time passes with nothing sent).
    private static func pack(
        _ frames: [CodedFrame],
        codec: SynthCodec,
        framesPerPacket: Int,
        frameSamples: Int
    ) -> [SynthPayload] {
        let ticksPerFrame = frameSamples * codec.rtpClockRate / codec.sampleRate
        var packets: [SynthPayload] = []
        var current: [[UInt8]] = []
        var start = 0
        func close() {
            guard !current.isEmpty else { return }
            packets.append(
                SynthPayload(
                    payload: payload(current, codec: codec),
                    frames: current,
                    tickOffset: start * ticksPerFrame,
                    sampleOffset: start * frameSamples,
                    ticks: current.count * ticksPerFrame
                )
            )
            current = []
        }
        for (index, frame) in frames.enumerated() {
            if current.isEmpty { start = index }
            switch frame {
            case .untransmitted:
                close()
            case .speech(let bytes):
                current.append(bytes)
                if current.count == framesPerPacket { close() }
            case .silenceDescriptor(let bytes):
                current.append(bytes)
                close()
            }
        }
        close()
        return packets
    }

    /// The RTP payload of a packet's frames in the codec's payload format.
    private static func payload(_ frames: [[UInt8]], codec: SynthCodec) -> [UInt8] {
        switch codec.codec {
        case .amr(let format), .amrWideband(let format):
            let wideband = if case .amrWideband = codec.codec { true } else { false }
            return Packetizer.amr(storageFrames: frames, wideband: wideband, octetAligned: format.octetAligned)
        default:
            return frames.flatMap { $0 }
        }
    }
}

extension Codec {
    fileprivate var isOpusCodec: Bool {
        if case .opus = self { return true }
        return false
    }
}

extension SpeexFormat.Band {
    /// The same band as the Speex library wrapper names it.
    fileprivate var library: SpeexBand {
        switch self {
        case .narrowband: .narrowband
        case .wideband: .wideband
        case .ultraWideband: .ultraWideband
        }
    }
}
