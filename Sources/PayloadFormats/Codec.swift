/// What an RTP payload type carries, once resolved (SPEC §2.3, §2.5): the codec, and the parameters of its payload
/// format that decoding depends on.
///
/// Built from SDP (``init(encodingName:clockRate:channels:formatParameters:)``, RFC 8866 `a=rtpmap` and `a=fmtp`),
/// from the RFC 3551 static table (``staticPayloadType(_:)``) or from the command line's `--pt` value
/// (``init(specification:)``). ``Depacketizer`` cuts its payloads into ``CodecFrame``s.
///
/// Two rates matter and differ for some codecs: the RTP clock (``rtpClockRate``: what a timestamp step counts) and
/// the rate the codec decodes at (``sampleRate``): G.722 is 16 kHz audio on an 8000 Hz clock (RFC 3551 §4.5.2);
/// Opus is always on a 48000 Hz clock (RFC 7587 §4.1) and decodes at 48 kHz here.
public enum Codec: Sendable, Hashable, CustomStringConvertible {
    /// G.711 µ-law (RFC 3551 §4.5.14, static payload type 0).
    case pcmu
    /// G.711 A-law (RFC 3551 §4.5.14, static payload type 8).
    case pcma
    /// G.722 at 64 kbit/s (RFC 3551 §4.5.2, static payload type 9).
    case g722
    /// G.726 at 16, 24, 32 or 40 kbit/s, in RFC 3551 or AAL2 packing (RFC 3551 §4.5.4).
    case g726(G726Format)
    /// G.729, G.729 Annex A and Annex B (RFC 3551 §4.5.6, static payload type 18).
    case g729(G729Format)
    /// GSM 06.10 full rate (RFC 3551 §4.5.8, static payload type 3).
    case gsm
    /// AMR narrowband (RFC 4867).
    case amr(AMRFormat)
    /// AMR-WB (RFC 4867).
    case amrWideband(AMRFormat)
    /// Opus (RFC 7587).
    case opus(OpusFormat)
    /// Speex narrowband, wideband or ultra-wideband (RFC 5574).
    case speex(SpeexFormat)
    /// Linear 16-bit PCM (RFC 3551 §4.5.11, static payload types 10 and 11).
    case l16(L16Format)
    /// RFC 3389 comfort noise. Its timestamps run on the clock of the audio it accompanies (RFC 3389 §4).
    case comfortNoise(clockRate: Int)
    /// RFC 4733 telephone events (DTMF). The clock should be the audio's (RFC 4733 §2.1).
    case telephoneEvent(clockRate: Int)
    /// A codec known by name that this product does not decode, or a payload format option it refuses.
    case unsupported(name: String, reason: UnsupportedReason)
    /// A payload type with no mapping (dynamic, not in SDP nor given by the user).
    case unknown

    /// The RTP clock rate: what one timestamp unit counts (RFC 3551 §4.5, RFC 4867 §4.1, RFC 7587 §4.1,
    /// RFC 5574 §3.1). 8000 for the codecs that do not carry audio, as for static payload type 13.
    public var rtpClockRate: Int {
        switch self {
        case .pcmu, .pcma, .g722, .g726, .g729, .gsm, .amr: 8000
        case .amrWideband: 16000
        case .opus: 48000
        case .speex(let format): format.band.sampleRate
        case .l16(let format): format.clockRate
        case .comfortNoise(let rate), .telephoneEvent(let rate): rate
        case .unsupported, .unknown: 8000
        }
    }

    /// The rate of the decoded audio, before the call's rate is chosen (SPEC §3.8): 8000 for the narrowband codecs,
    /// 16000 for G.722 and AMR-WB, 8000/16000/32000 for Speex's three bands, 48000 for Opus, the signalled rate for
    /// L16. This is the ``AudioDecoder/sampleRate`` of the codec's decoder.
    public var sampleRate: Int {
        switch self {
        case .g722, .amrWideband: 16000
        case .opus: 48000
        case .speex(let format): format.band.sampleRate
        case .l16(let format): format.clockRate
        default: 8000
        }
    }

    /// Whether the codec is wider than narrowband (decodes above 8 kHz): a call with such a leg is recorded at
    /// 16 kHz by default (SPEC §3.8: G.722, AMR-WB, Speex wideband and up, Opus, L16 above 8000 Hz).
    public var isWideband: Bool { isAudio && sampleRate > 8000 }

    /// The audio channels in a payload (L16 as signalled; Opus 2 when the sender says it sends stereo,
    /// `sprop-stereo=1`; 1 otherwise). Decoders mix to mono.
    public var channels: Int {
        switch self {
        case .l16(let format): format.channels
        case .opus(let format): format.senderStereo ? 2 : 1
        default: 1
        }
    }

    /// True for codecs whose payloads become audio samples.
    public var isAudio: Bool {
        switch self {
        case .pcmu, .pcma, .g722, .g726, .g729, .gsm, .amr, .amrWideband, .opus, .speex, .l16: true
        case .comfortNoise, .telephoneEvent, .unsupported, .unknown: false
        }
    }

    /// True for RFC 4733 telephone events, whatever their clock.
    public var isTelephoneEvent: Bool {
        if case .telephoneEvent = self { return true }
        return false
    }

    /// True for RFC 3389 comfort noise, whatever its clock.
    public var isComfortNoise: Bool {
        if case .comfortNoise = self { return true }
        return false
    }

    /// The encoding name used in SDP and in reports: `PCMU`, `G722`, `G726-32`, `AAL2-G726-24`, `G729`, `GSM`,
    /// `AMR`, `AMR-WB`, `opus`, `speex`, `L16`, `CN`, `telephone-event`; an unsupported codec's name as it was
    /// written; `unknown`.
    public var description: String {
        switch self {
        case .pcmu: "PCMU"
        case .pcma: "PCMA"
        case .g722: "G722"
        case .g726(let format): format.encodingName
        case .g729: "G729"
        case .gsm: "GSM"
        case .amr: "AMR"
        case .amrWideband: "AMR-WB"
        case .opus: "opus"
        case .speex: "speex"
        case .l16: "L16"
        case .comfortNoise: "CN"
        case .telephoneEvent: "telephone-event"
        case .unsupported(let name, _): name
        case .unknown: "unknown"
        }
    }
}
