/// A listening-quality estimate of one leg: the ITU-T G.107 E-model fed with what a capture tells of the leg.
///
/// The model of the receiver: a fixed jitter buffer of ``jitterBufferMilliseconds`` (60 ms) plays each packet
/// that long after the least-delayed packets would have arrived; packets later than that are lost to the listener
/// (counted by pass 1, or, where not measured, estimated from the jitter as below). The one-way delay is
/// T = network delay (0 unless given: a capture at one point cannot see it) + one packet of audio
/// (packetization) + the codec's algorithmic delay + the buffer's 60 ms. Missing packets (lost and late) make
/// Ppl; their runs make BurstR (G.107 §3.7); the codec's Ie and Bpl come from ITU-T G.113 Appendix I
/// (``CodecImpairment``). Everything else keeps G.107's defaults.
///
/// Late packets, when not counted, are estimated from the RFC 3550 jitter J: for delays spread exponentially
/// above the least delay with mean m, successive transit differences have mean |D| = m, which is what J
/// estimates; the share beyond the buffer is then e^(−60/J).
public enum QualityModel {
    /// Depth of the receiver's fixed jitter buffer, ms (SPEC §4: late packets count as lost beyond it).
    public static let jitterBufferMilliseconds = 60.0

    /// The estimate for one leg.
    public static func estimate(_ input: LegQualityInput, model: EModel = EModel()) -> QualityEstimate {
        var estimated: [EstimatedPart] = [.terminalDefaults, .jitterBuffer]
        let codec = CodecImpairment.of(input.codec, concealed: input.concealed)
        if codec.isAssumed { estimated.append(.codecFigures(codec.equipmentImpairmentSource, codec.robustnessSource)) }
        if input.codec.isWideband { estimated.append(.widebandOnNarrowbandScale) }

        let expected = max(0, input.expectedPackets)
        let lost = min(max(0, input.lostPackets), expected)
        let late: Double
        if let measured = input.latePackets {
            late = Double(min(max(0, measured), expected - lost))
        } else {
            let jitter = sane(input.jitterMilliseconds)
            let share = jitter > 0 ? exp(-jitterBufferMilliseconds / jitter) : 0
            late = Double(expected - lost) * share
            estimated.append(.latePacketsFromJitter)
        }
        let missing = Double(lost) + late
        let lossPercent = expected == 0 ? 0 : missing * 100 / Double(expected)

        var burstRatio = 1.0
        if let bursts = input.lossBursts {
            let counted = lost + (input.latePackets == nil ? 0 : Int(late))
            burstRatio = LossPattern.burstRatio(packets: expected, missing: counted, bursts: bursts)
        } else if missing > 0 {
            estimated.append(.burstRatioRandom)
        }

        if input.networkDelayMilliseconds == nil { estimated.append(.networkDelay) }
        let delay =
            sane(input.networkDelayMilliseconds ?? 0) + sane(input.packetMilliseconds)
            + codec.algorithmicDelayMilliseconds + jitterBufferMilliseconds
        let rating = model.rating(
            delay: delay,
            ie: codec.equipmentImpairment,
            bpl: codec.packetLossRobustness,
            lossPercent: lossPercent,
            burstRatio: burstRatio
        )
        return QualityEstimate(
            rFactor: rating.rFactor,
            mos: rating.mos,
            components: QualityComponents(
                codec: codec,
                lossPercent: lossPercent,
                latePackets: late,
                burstRatio: burstRatio,
                oneWayDelayMilliseconds: delay,
                rating: rating
            ),
            estimated: estimated
        )
    }
}

/// A duration or jitter from the input as the model can use it: not negative, not NaN, at most an hour.
private func sane(_ milliseconds: Double) -> Double {
    milliseconds >= 0 ? min(milliseconds, 3_600_000) : 0
}

/// One leg's listening-quality estimate.
public struct QualityEstimate: Sendable, Equatable {
    /// The E-model's transmission rating factor R, 0…100 (G.107; 93.2 for an unimpaired narrowband channel).
    public var rFactor: Double
    /// The mean opinion score R predicts, 1…4.5 (G.107 Annex B; 4.4 at best for a narrowband channel).
    public var mos: Double
    /// The terms R was made of.
    public var components: QualityComponents
    /// The parts that were estimated or assumed rather than measured from the capture.
    public var estimated: [EstimatedPart]
}

/// The terms of a ``QualityEstimate``.
public struct QualityComponents: Sendable, Equatable {
    /// The codec's Ie, Bpl and delay, with their sources.
    public var codec: CodecImpairment
    /// Ppl: packets missing to the listener (lost and late), percent of those due.
    public var lossPercent: Double
    /// Late packets counted as lost (measured, or estimated from the jitter).
    public var latePackets: Double
    /// BurstR (1: random loss; above 1: bursty).
    public var burstRatio: Double
    /// The one-way delay estimate T, ms.
    public var oneWayDelayMilliseconds: Double
    /// Ro, Is, Id and its parts, Ie,eff, A, R and MOS.
    public var rating: EModel.Rating
}

/// A part of a quality estimate that was not measured from the capture.
public enum EstimatedPart: Sendable, Equatable, CustomStringConvertible {
    /// Loudness ratings, echo losses and noise of the phones and lines: ITU-T G.107 Table 3 defaults.
    case terminalDefaults
    /// The receiver is modelled as a fixed 60 ms jitter buffer.
    case jitterBuffer
    /// The one-way network delay was not known; 0 ms was assumed.
    case networkDelay
    /// Late packets were not counted; they were estimated from the jitter.
    case latePacketsFromJitter
    /// The runs of lost packets were not known; loss was taken as random (BurstR = 1).
    case burstRatioRandom
    /// The codec's Ie or Bpl is not in ITU-T G.113 and was assumed (the sources of Ie and Bpl).
    case codecFigures(ImpairmentSource, ImpairmentSource)
    /// A wideband codec, scored on the narrowband scale (see ``CodecImpairment``).
    case widebandOnNarrowbandScale

    public var description: String {
        switch self {
        case .terminalDefaults: return "phone and line parameters: ITU-T G.107 defaults"
        case .jitterBuffer: return "receiver: fixed 60 ms jitter buffer"
        case .networkDelay: return "one-way network delay not measured: 0 ms assumed"
        case .latePacketsFromJitter: return "late packets estimated from the jitter"
        case .burstRatioRandom: return "loss pattern not measured: random loss assumed"
        case .codecFigures(let ie, let bpl): return "codec figures: Ie \(ie); Bpl \(bpl)"
        case .widebandOnNarrowbandScale: return "wideband codec scored on the narrowband scale"
        }
    }

    /// A short stable key for reports (`terminal-defaults`, `network-delay`, …).
    public var key: String {
        switch self {
        case .terminalDefaults: return "terminal-defaults"
        case .jitterBuffer: return "jitter-buffer"
        case .networkDelay: return "network-delay"
        case .latePacketsFromJitter: return "late-packets"
        case .burstRatioRandom: return "burst-ratio"
        case .codecFigures: return "codec-figures"
        case .widebandOnNarrowbandScale: return "wideband-scale"
        }
    }
}

extension CodecIdentity {
    /// Codecs that carry more than the narrowband 300–3400 Hz (their score is on the narrowband scale all the same).
    var isWideband: Bool {
        ["G722", "AMRWB", "OPUS"].contains(normalizedName)
    }
}
