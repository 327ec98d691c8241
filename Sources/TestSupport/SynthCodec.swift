public import AudioCodecs
public import PayloadFormats

/// A codec a synthesized leg is encoded in: what its SDP announces and its payloads carry (``codec``), the payload
/// type, and how the library's own encoder is set (``Encoding``).
///
/// Every codec of SPEC §2.5 is encoded by its reference or library encoder: G.711, G.722 and G.726 by the
/// project's own, G.729 by bcg729, Opus by libopus, AMR by opencore-amrnb, AMR-WB by vo-amrwbenc, GSM by libgsm,
/// Speex by libspeex; L16 is the samples themselves.
public struct SynthCodec: Sendable, Hashable {
    public var codec: Codec
    public var payloadType: UInt8
    public var encoding: Encoding

    /// Encoder settings that the ``Codec`` does not say.
    public enum Encoding: Sendable, Hashable {
        /// G.711, G.722, G.726, GSM, L16: nothing to choose.
        case plain
        /// G.729 with or without Annex B's voice activity detection (SID frames, untransmitted frames).
        case g729(voiceActivityDetection: Bool)
        /// AMR or AMR-WB in `mode` (frame type 0–7 or 0–8), with or without DTX (SID, NO_DATA).
        case amr(mode: Int, dtx: Bool)
        /// Opus at `bitrate` bit/s, with in-band FEC (tuned for `expectedLossPercent`) and DTX as asked.
        case opus(bitrate: Int, inbandFEC: Bool, dtx: Bool, expectedLossPercent: Int)
        /// Speex at libspeex quality 0–10.
        case speex(quality: Int)
        /// `bytesPerPacket` bytes of 0x5A: payloads of a codec the product does not decode.
        case opaque(bytesPerPacket: Int)
    }

    public init(codec: Codec, payloadType: UInt8, encoding: Encoding = .plain) {
        self.codec = codec
        self.payloadType = payloadType
        self.encoding = encoding
    }

    public static let pcmu = SynthCodec(codec: .pcmu, payloadType: 0)
    public static let pcma = SynthCodec(codec: .pcma, payloadType: 8)
    public static let g722 = SynthCodec(codec: .g722, payloadType: 9)
    public static let gsm = SynthCodec(codec: .gsm, payloadType: 3)

    /// G.726 at `rate`, in RFC 3551 packing (`G726-32`) or AAL2 packing (`AAL2-G726-32`), on a dynamic type.
    public static func g726(_ rate: G726Rate, packing: G726Packing = .rfc3551, payloadType: UInt8 = 99) -> SynthCodec {
        SynthCodec(codec: .g726(G726Format(rate: rate, packing: packing)), payloadType: payloadType)
    }

    /// G.729 on payload type 18, with Annex B's VAD/DTX when `annexB` (and `annexb=no` in the SDP when not).
    public static func g729(annexB: Bool = false) -> SynthCodec {
        SynthCodec(
            codec: .g729(G729Format(annexB: annexB)),
            payloadType: 18,
            encoding: .g729(voiceActivityDetection: annexB)
        )
    }

    /// AMR (or AMR-WB with `wideband`) in `mode`, octet-aligned or bandwidth-efficient, on a dynamic type.
    public static func amr(
        mode: Int = 7,
        wideband: Bool = false,
        octetAligned: Bool = false,
        dtx: Bool = false,
        payloadType: UInt8 = 97
    ) -> SynthCodec {
        let format = AMRFormat(octetAligned: octetAligned)
        return SynthCodec(
            codec: wideband ? .amrWideband(format) : .amr(format),
            payloadType: payloadType,
            encoding: .amr(mode: mode, dtx: dtx)
        )
    }

    /// Opus (stereo when asked: the sender says `sprop-stereo=1`) at `bitrate`, on a dynamic type.
    public static func opus(
        stereo: Bool = false,
        bitrate: Int = 24000,
        inbandFEC: Bool = false,
        dtx: Bool = false,
        expectedLossPercent: Int = 0,
        payloadType: UInt8 = 111
    ) -> SynthCodec {
        SynthCodec(
            codec: .opus(OpusFormat(senderStereo: stereo, inbandFEC: inbandFEC)),
            payloadType: payloadType,
            encoding: .opus(
                bitrate: bitrate,
                inbandFEC: inbandFEC,
                dtx: dtx,
                expectedLossPercent: expectedLossPercent
            )
        )
    }

    /// Speex in `band` at libspeex `quality`, on a dynamic type.
    public static func speex(_ band: SpeexFormat.Band, quality: Int = 8, payloadType: UInt8 = 98) -> SynthCodec {
        SynthCodec(codec: .speex(SpeexFormat(band: band)), payloadType: payloadType, encoding: .speex(quality: quality))
    }

    /// L16 at `rate` with `channels` (static types 10 and 11 at 44.1 kHz, else a dynamic type).
    public static func l16(rate: Int, channels: Int = 1, payloadType: UInt8? = nil) -> SynthCodec {
        let type = payloadType ?? (rate == 44100 ? (channels == 2 ? 10 : 11) : 100)
        return SynthCodec(codec: .l16(L16Format(clockRate: rate, channels: channels)), payloadType: type)
    }

    /// Payloads the product cannot decode: `bytesPerPacket` bytes each, announced as `name`; by default G.723.1 on
    /// its static type 4, else iLBC (no maintained library in Debian), which only SDP names.
    public static func opaque(payloadType: UInt8, bytesPerPacket: Int, name: String? = nil) -> SynthCodec {
        SynthCodec(
            codec: .unsupported(name: name ?? (payloadType == 4 ? "G723" : "iLBC"), reason: .noDecoder),
            payloadType: payloadType,
            encoding: .opaque(bytesPerPacket: bytesPerPacket)
        )
    }

    /// The rate of the audio the encoder takes (Opus is fed 48 kHz).
    public var sampleRate: Int { codec.isAudio ? codec.sampleRate : 8000 }
    /// The RTP clock rate.
    public var rtpClockRate: Int { codec.rtpClockRate }
    /// Interleaved channels of the audio the encoder takes.
    public var channels: Int { codec.channels }
    /// The SDP encoding name.
    public var name: String { codec.description }

    /// The `a=rtpmap` value after the payload type: `PCMU/8000`, `opus/48000/2` (RFC 7587 §7 always says 2),
    /// `L16/44100/2`, `speex/16000`.
    public var rtpmap: String {
        switch codec {
        case .opus: "opus/48000/2"
        case .l16(let format): "L16/\(format.clockRate)" + (format.channels > 1 ? "/\(format.channels)" : "")
        default: "\(name)/\(rtpClockRate)"
        }
    }

    /// The `a=fmtp` value after the payload type, if any.
    public var fmtp: String? {
        switch codec {
        case .g729(let format): format.annexB ? nil : "annexb=no"
        case .amr(let format), .amrWideband(let format): format.octetAligned ? "octet-align=1" : nil
        case .opus(let format):
            format.senderStereo || format.inbandFEC
                ? [format.senderStereo ? "sprop-stereo=1" : nil, format.inbandFEC ? "useinbandfec=1" : nil]
                    .compactMap { $0 }.joined(separator: ";") : nil
        default: nil
        }
    }

    /// The duration of one coded frame in milliseconds (a packet holds whole frames): 10 for G.729, 20 for the
    /// other frame codecs, 1 for the sample codecs, which any packet time fits.
    public var frameMilliseconds: Int {
        switch codec {
        case .g729: 10
        case .gsm, .amr, .amrWideband, .speex: 20
        default: 1
        }
    }
}
