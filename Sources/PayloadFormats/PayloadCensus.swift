/// What one payload holds, counted by frame kind without cutting the frames out: what pass 1 of the timeline counts
/// per segment for the report (SPEC §4: codec, mode, frame counts by kind), at the cost of reading headers only.
///
/// The counts are those ``Depacketizer/frames(of:)`` would give the decoder, kind by kind, except that a sample
/// codec's payload (G.711, G.722, G.726, L16) counts as one frame, and a Speex payload counts its Speex frames.
public struct PayloadCensus: Sendable, Hashable {
    /// The payload's duration, or nil when the payload cannot even give one (``damage`` says why).
    public var duration: PayloadDuration?
    public var frames: FrameCounts
    /// Why the payload's damaged frames are damaged; nil when none is.
    public var damage: PayloadDamage?
    /// The coding mode of the payload's first speech frame (AMR mode, Opus configuration, Speex mode), or nil when
    /// the codec has a single mode or the payload holds no speech.
    public var mode: CodecMode?

    public init(
        duration: PayloadDuration?,
        frames: FrameCounts,
        damage: PayloadDamage? = nil,
        mode: CodecMode? = nil
    ) {
        self.duration = duration
        self.frames = frames
        self.damage = damage
        self.mode = mode
    }
}

/// Frames counted by ``AudioCodecs/CodecFrame/Kind``.
public struct FrameCounts: Sendable, Hashable {
    public var speech = 0
    /// Silence descriptors (G.729 Annex B SID, AMR SID): the decoder makes comfort noise from them.
    public var silenceDescriptors = 0
    /// Slots without data (AMR NO_DATA, an Opus DTX packet, a Speex frame of mode 0).
    public var noData = 0
    /// Frames that arrived but cannot be decoded as they are; concealed.
    public var damaged = 0

    public init(speech: Int = 0, silenceDescriptors: Int = 0, noData: Int = 0, damaged: Int = 0) {
        self.speech = speech
        self.silenceDescriptors = silenceDescriptors
        self.noData = noData
        self.damaged = damaged
    }

    public var total: Int { speech + silenceDescriptors + noData + damaged }

    public static func += (lhs: inout FrameCounts, rhs: FrameCounts) {
        lhs.speech += rhs.speech
        lhs.silenceDescriptors += rhs.silenceDescriptors
        lhs.noData += rhs.noData
        lhs.damaged += rhs.damaged
    }
}

/// Why a payload's frames are damaged (concealed, never decoded as noise).
public enum PayloadDamage: Sendable, Hashable, CustomStringConvertible {
    /// A size no frame layout of the codec gives (G.729 not 10·n or 10·n + 2 bytes, GSM not 33·n, G.726 not whole
    /// codewords, L16 not whole sample times; RFC 3551 §4.5).
    case size
    /// A GSM frame without its 0xD signature (RFC 3551 §4.5.8.1).
    case signature
    /// An AMR table of contents that does not match the payload's length, or names a frame type the payload format
    /// does not carry (RFC 4867 §4.3.2, §4.4.2).
    case tableOfContents
    /// An AMR frame its sender marked bad (Q = 0), or AMR-WB's SPEECH_LOST (RFC 4867 §4.3.2).
    case markedBad
    /// An Opus packet that breaks RFC 6716 §3.4 (frame lengths, padding).
    case opusFraming
    /// A Speex bit-stream with a mode that does not exist, or a frame cut short (RFC 5574 §3).
    case speexBitstream
    /// A payload that gives not even a duration (empty, a header cut short, no frame to count).
    case unreadable(PayloadFormatError.Code)

    public var description: String {
        switch self {
        case .size: "payload size fits no frame layout"
        case .signature: "GSM frame without its 0xD signature"
        case .tableOfContents: "AMR table of contents does not fit the payload"
        case .markedBad: "frame marked bad by its sender"
        case .opusFraming: "Opus packet breaks RFC 6716 §3.4"
        case .speexBitstream: "Speex bit-stream corrupted"
        case .unreadable(let code): "unreadable payload (\(code.rawValue))"
        }
    }
}

/// The coding mode a payload's speech is in, for the report: what changes from packet to packet within one codec.
public enum CodecMode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// An AMR speech mode: frame type 0–7, 4.75 to 12.2 kbit/s (3GPP TS 26.101 Table 1a).
    case amr(frameType: Int)
    /// An AMR-WB speech mode: frame type 0–8, 6.60 to 23.85 kbit/s (3GPP TS 26.201 Table 1a).
    case amrWideband(frameType: Int)
    /// An Opus TOC configuration 0–31 (RFC 6716 §3.1 Table 2: coding mode, audio bandwidth, frame duration) and
    /// whether the packet is stereo.
    case opus(configuration: Int, stereo: Bool)
    /// A Speex narrowband mode 0–8 (the Speex manual's narrowband mode table) and, for wideband and
    /// ultra-wideband frames, the first high-band layer's sub-mode (0–4), else nil.
    case speex(narrowbandMode: Int, widebandSubMode: Int?)

    /// The bit rates of AMR's modes (TS 26.090 §1) and AMR-WB's (TS 26.190 §1), in kbit/s as written there.
    static let amrRates = ["4.75", "5.15", "5.90", "6.70", "7.40", "7.95", "10.2", "12.2"]
    static let amrWidebandRates = ["6.60", "8.85", "12.65", "14.25", "15.85", "18.25", "19.85", "23.05", "23.85"]

    public var description: String {
        switch self {
        case .amr(let type): "\(Self.amrRates[safe: type] ?? "frame type \(type)") kbit/s"
        case .amrWideband(let type): "\(Self.amrWidebandRates[safe: type] ?? "frame type \(type)") kbit/s"
        case .opus(let configuration, let stereo):
            Self.opusDescription(configuration) + (stereo ? ", stereo" : ", mono")
        case .speex(let mode, let subMode):
            "narrowband mode \(mode)" + (subMode.map { ", wideband sub-mode \($0)" } ?? "")
        }
    }

    /// RFC 6716 Table 2: `SILK wideband 20 ms`, `CELT fullband 10 ms`, `hybrid super-wideband 20 ms`.
    static func opusDescription(_ configuration: Int) -> String {
        let (mode, bandwidth): (String, String) =
            switch configuration {
            case 0...3: ("SILK", "narrowband")
            case 4...7: ("SILK", "medium-band")
            case 8...11: ("SILK", "wideband")
            case 12...13: ("hybrid", "super-wideband")
            case 14...15: ("hybrid", "fullband")
            case 16...19: ("CELT", "narrowband")
            case 20...23: ("CELT", "wideband")
            case 24...27: ("CELT", "super-wideband")
            default: ("CELT", "fullband")
            }
        let ticks = OpusPacket.frameTicks(configuration: configuration)
        let milliseconds = ticks % 48 == 0 ? "\(ticks / 48)" : "\(ticks / 48).\(ticks % 48 * 10 / 48)"
        return "\(mode) \(bandwidth) \(milliseconds) ms"
    }

    public static func < (lhs: CodecMode, rhs: CodecMode) -> Bool { lhs.sortKey < rhs.sortKey }

    private var sortKey: (Int, Int, Int) {
        switch self {
        case .amr(let type): (0, type, 0)
        case .amrWideband(let type): (1, type, 0)
        case .opus(let configuration, let stereo): (2, configuration, stereo ? 1 : 0)
        case .speex(let mode, let subMode): (3, mode, subMode ?? -1)
        }
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
