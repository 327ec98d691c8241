/// What a codec costs a leg's listening quality in the E-model (ITU-T G.107 §7.5): its equipment impairment factor
/// Ie, its packet-loss robustness factor Bpl, and the algorithmic delay it adds, with where each figure comes from.
///
/// Every leg is scored on the narrowband scale of ITU-T G.107 (R ≤ 93.2 for an unimpaired channel), wideband legs
/// included, so that the two legs of a call and calls of different codecs compare on one scale. A wideband codec
/// gets the impairment it shows when heard on that scale: G.722 at 64 kbit/s is taken to be as good as G.711 there
/// (Ie 0); an AMR-WB mode keeps what its ITU-T G.113 Table IV.1 wideband impairment Ie,wb exceeds that of the
/// 12.65 kbit/s mode (Ie = max(0, Ie,wb − 13)), the mode taken here as the match of G.722 at 64 kbit/s. The benefit
/// of wideband itself (ITU-T G.107.1, R up to 129) is not credited: a wideband leg never scores above a clean G.711
/// one. Scores stay comparable; they say how damaged a leg is, not how rich it sounds.
public struct CodecImpairment: Sendable, Equatable {
    /// Equipment impairment factor Ie of the codec on an error-free channel (G.107 §7.5).
    public var equipmentImpairment: Double
    /// Packet-loss robustness factor Bpl: how well the codec with the concealment used here survives random loss
    /// (G.107 §7.5, equation 7-29).
    public var packetLossRobustness: Double
    /// Frame look-ahead and filter delay of the codec, added to the one-way delay estimate.
    public var algorithmicDelayMilliseconds: Double
    /// Where Ie comes from.
    public var equipmentImpairmentSource: ImpairmentSource
    /// Where Bpl comes from.
    public var robustnessSource: ImpairmentSource

    /// The figures of `codec`; `concealed` tells whether lost audio is concealed (rtp2mp3 always conceals losses up
    /// to 60 ms: with the codec's own concealment where it has one, else ITU-T G.711 Appendix I waveform
    /// substitution, SPEC §3.5), which is what the Bpl of a codec without its own concealment depends on.
    public static func of(_ codec: CodecIdentity, concealed: Bool = true) -> CodecImpairment {
        let name = codec.normalizedName
        switch name {
        case "PCMU", "PCMA", "G711", "G711U", "G711A":
            return concealed
                ? CodecImpairment(0, .g113TableI1, 25.1, .g113TableI3, delay: 0)
                : CodecImpairment(0, .g113TableI1, 4.3, .g113TableI3, delay: 0)
        case "G722":
            // The transmit and receive QMFs, 24 taps each at 16 kHz (ITU-T G.722): 1.5 ms each.
            return CodecImpairment(
                0,
                .assumed(.g722OnNarrowbandScale),
                waveformRobustness(concealed),
                waveform,
                delay: 3
            )
        case "L16":
            return CodecImpairment(0, .assumed(.linearPCM), waveformRobustness(concealed), waveform, delay: 0)
        case "G729", "G729A", "G729B", "G729AB", "G729D", "G729E":
            // 10 ms frames (in the packet's duration) plus 5 ms of look-ahead (ITU-T G.729: 15 ms algorithmic delay).
            return CodecImpairment(11, .g113TableI1, 19.0, .g113TableI3, delay: 5)
        case "G723", "G7231":
            let rate = codec.bitrate ?? 6300
            return CodecImpairment(rate < 6000 ? 19 : 15, .g113TableI1, 16.1, .g113TableI3, delay: 7.5)
        case "GSM", "GSMFR":
            return CodecImpairment(20, .g113TableI1, 10.0, .assumed(.gsmRobustness), delay: 0)
        case "GSMEFR":
            return CodecImpairment(5, .g113TableI1, 10.0, .g113TableI3, delay: 0)
        case "AMR":
            return amrNarrowband(codec.bitrate)
        case "AMRWB":
            return amrWideband(codec.bitrate)
        case "OPUS":
            // RFC 6716: 26.5 ms of algorithmic delay with 20 ms frames, that is 6.5 ms beyond the frame.
            let ie = celpLadder(codec.bitrate ?? 24000)
            return CodecImpairment(
                ie,
                .assumed(.rateLadder(codec.bitrate)),
                25.1,
                .assumed(.opusRobustness),
                delay: 6.5
            )
        case "SPEEX":
            // 20 ms frames and 10 ms of look-ahead (the Speex manual: 30 ms algorithmic delay in narrowband).
            let ie = celpLadder(codec.bitrate ?? 8000)
            return CodecImpairment(
                ie,
                .assumed(.rateLadder(codec.bitrate)),
                19.0,
                .assumed(.speexRobustness),
                delay: 10
            )
        default:
            if name.hasPrefix("G726") || name.hasPrefix("AAL2G726") || name == "G721" {
                return g726(rate: codec.g726Bitrate, concealed: concealed)
            }
            return CodecImpairment(0, .assumed(.unknownCodec), 25.1, .assumed(.unknownCodec), delay: 0)
        }
    }

    init(
        _ ie: Double,
        _ ieSource: ImpairmentSource,
        _ bpl: Double,
        _ bplSource: ImpairmentSource,
        delay: Double
    ) {
        equipmentImpairment = ie
        equipmentImpairmentSource = ieSource
        packetLossRobustness = bpl
        robustnessSource = bplSource
        algorithmicDelayMilliseconds = delay
    }

    /// Whether any figure is assumed rather than taken from G.113.
    public var isAssumed: Bool {
        if case .assumed = equipmentImpairmentSource { return true }
        if case .assumed = robustnessSource { return true }
        return false
    }

    /// Bpl of a waveform codec (G.722, G.726, L16) decoded here: lost audio goes through the same G.711 Appendix I
    /// concealer as G.711's, so G.711's Bpl with that concealment applies (and without it, G.711's without).
    private static func waveformRobustness(_ concealed: Bool) -> Double { concealed ? 25.1 : 4.3 }

    private static let waveform = ImpairmentSource.assumed(.waveformCodecConcealment)

    /// G.726 (and G.721, its 32 kbit/s ancestor): ITU-T G.113 Table I.1 rows for ADPCM at 40, 32, 24, 16 kbit/s.
    private static func g726(rate: Int, concealed: Bool) -> CodecImpairment {
        let ie: Double
        switch rate {
        case 40000...: ie = 2
        case 32000..<40000: ie = 7
        case 24000..<32000: ie = 25
        default: ie = 50
        }
        return CodecImpairment(ie, .g113TableI1, waveformRobustness(concealed), waveform, delay: 0)
    }

    /// AMR (3GPP TS 26.071). G.113 has no AMR row; two modes are other codecs' algorithms (12.2 kbit/s is GSM-EFR,
    /// 7.4 kbit/s is TIA IS-641, both in Table I.1), so every mode takes the Ie of the ladder of G.113's CELP rows
    /// (`celpLadder`). Unknown mode: 12.2 kbit/s, the mode a VoLTE or GSM call mostly runs at.
    private static func amrNarrowband(_ bitrate: Int?) -> CodecImpairment {
        // 20 ms frames and up to 5 ms of look-ahead (3GPP TS 26.090).
        CodecImpairment(
            celpLadder(bitrate ?? 12200),
            .assumed(.rateLadder(bitrate)),
            10.0,
            .assumed(.amrRobustness),
            delay: 5
        )
    }

    /// AMR-WB (ITU-T G.722.2): G.113 (09/2024) Table IV.1 (monotic listening) wideband Ie,wb per mode, moved to the
    /// narrowband scale as the type's documentation says. Unknown mode: 12.65 kbit/s, the common VoLTE mode.
    private static func amrWideband(_ bitrate: Int?) -> CodecImpairment {
        let table: [(rate: Int, ieWideband: Double)] = [
            (6600, 41), (8850, 26), (12650, 13), (14250, 10), (15850, 7), (18250, 5), (19850, 3), (23050, 1),
            (23850, 8),
        ]
        let rate = bitrate ?? 12650
        // The listed mode closest to the given rate (senders write 12650 or 12.65k rounded either way).
        let row = table.min { abs($0.rate - rate) < abs($1.rate - rate) }!
        return CodecImpairment(
            max(0, row.ieWideband - 13),
            .assumed(.amrWidebandOnNarrowbandScale),
            10.0,
            .assumed(.amrRobustness),
            delay: 5
        )
    }

    /// The Ie of the ITU-T G.113 Table I.1 CELP-family row at or just below `bitrate`: GSM-EFR 12.2 kbit/s 5,
    /// G.729 8 kbit/s and IS-641 7.4 kbit/s 10, G.723.1 6.3 kbit/s 15, G.723.1 5.3 kbit/s 19 (and 19 below it).
    /// From 20 kbit/s on, a modern codec (Opus, Speex at its top modes) is taken to be transparent on the
    /// narrowband scale, like G.711.
    static func celpLadder(_ bitrate: Int) -> Double {
        switch bitrate {
        case 20000...: return 0
        case 12200..<20000: return 5
        case 7400..<12200: return 10
        case 6300..<7400: return 15
        default: return 19
        }
    }
}

/// Where a figure of ``CodecImpairment`` comes from.
public enum ImpairmentSource: Sendable, Equatable, CustomStringConvertible {
    /// ITU-T G.113 (11/2007) Appendix I, Table I.1: provisional planning values of Ie.
    case g113TableI1
    /// ITU-T G.113 (11/2007) Appendix I, Table I.3: provisional planning values of Bpl (random loss).
    case g113TableI3
    /// No G.113 value applies; the figure is an assumption, for the stated reason.
    case assumed(ImpairmentAssumption)

    public var description: String {
        switch self {
        case .g113TableI1: return "ITU-T G.113 Table I.1"
        case .g113TableI3: return "ITU-T G.113 Table I.3"
        case .assumed(let assumption): return "assumed: \(assumption)"
        }
    }
}

/// Why a codec figure was assumed.
public enum ImpairmentAssumption: Sendable, Equatable, CustomStringConvertible {
    /// G.722 at 64 kbit/s heard on the narrowband scale is at least as good as G.711 (Ie 0); G.113 Appendix I,
    /// being narrowband, has no G.722 row.
    case g722OnNarrowbandScale
    /// L16 is linear PCM: no coding impairment.
    case linearPCM
    /// A waveform codec concealed by the same G.711 Appendix I concealer as G.711 takes G.711's Bpl; an ADPCM
    /// decoder's state recovers from a loss within milliseconds.
    case waveformCodecConcealment
    /// GSM full rate: G.113 gives Ie 20 but no Bpl; GSM-EFR's (10.0, Table I.3) is used, a codec of the same family
    /// and frame size whose long-term predictor a loss disturbs alike.
    case gsmRobustness
    /// AMR and AMR-WB conceal with their own error concealment (3GPP TS 26.091, 26.191), the design of GSM-EFR's,
    /// whose Bpl (10.0, Table I.3) is used.
    case amrRobustness
    /// Ie of a codec with no G.113 row, from the G.113 CELP row at or below its bit rate (nil: the rate was not
    /// known and a typical one was assumed).
    case rateLadder(Int?)
    /// AMR-WB's G.113 Table IV.1 wideband Ie,wb less the 12.65 kbit/s mode's 13, on the narrowband scale.
    case amrWidebandOnNarrowbandScale
    /// Opus conceals (and recovers with in-band FEC where sent) at least as well as G.711 with Appendix I; G.711's
    /// Bpl with concealment (25.1) is used.
    case opusRobustness
    /// Speex conceals with its own CELP extrapolation, as G.729 does; G.729A's Bpl (19.0) is used.
    case speexRobustness
    /// An unknown codec is scored as G.711 would be: the score then reflects loss and delay only.
    case unknownCodec

    public var description: String {
        switch self {
        case .g722OnNarrowbandScale: return "G.722 scored as G.711 on the narrowband scale"
        case .linearPCM: return "linear PCM, no coding impairment"
        case .waveformCodecConcealment: return "G.711's Bpl, as the same G.711 Appendix I concealer is used"
        case .gsmRobustness: return "GSM-EFR's Bpl for GSM full rate"
        case .amrRobustness: return "GSM-EFR's Bpl for AMR's EFR-style concealment"
        case .rateLadder(let rate):
            guard let rate else { return "Ie of the G.113 CELP row at or below a typical rate (none signalled)" }
            return "Ie of the G.113 CELP row at or below \(CodecIdentity(name: "", bitrate: rate).rateText)"
        case .amrWidebandOnNarrowbandScale: return "AMR-WB Ie,wb (G.113 Table IV.1) less 13, on the narrowband scale"
        case .opusRobustness: return "G.711's Bpl with concealment for Opus"
        case .speexRobustness: return "G.729A's Bpl for Speex"
        case .unknownCodec: return "unknown codec scored as G.711"
        }
    }
}
