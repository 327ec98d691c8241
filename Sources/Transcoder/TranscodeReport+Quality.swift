import CallQuality
import CallTimeline

extension TranscodeReport {
    /// A leg's listening-quality estimate (SPEC §4; README "Quality"): the ITU-T G.107 E-model's R and the MOS it
    /// predicts, the terms R was made of, and what was estimated rather than measured.
    public struct Quality: Encodable, Sendable {
        /// Transmission rating R, 0–100 (93.2 for a perfect narrowband connection).
        var rFactor: Double
        /// Mean opinion score from R (G.107 Annex B), 1–4.5.
        var mos: Double
        /// The codec scored, with its bit rate when known (`PCMU`, `G726-32`, `AMR 12.2 kbit/s`).
        var codec: String
        var components: Components
        /// What was assumed, by key (`terminal-defaults`, `network-delay`, `codec-figures`, …), in words.
        var estimated: [String: String]

        init(_ estimate: QualityEstimate, codec: CodecIdentity, pattern: LossPattern) {
            rFactor = TranscodeReport.round(estimate.rFactor, 1)
            mos = TranscodeReport.round(estimate.mos, 2)
            self.codec = codec.description
            components = Components(estimate, pattern: pattern)
            estimated = estimate.estimated.reduce(into: [:]) { $0[$1.key] = $1.description }
        }
    }

    /// The terms of a ``Quality``: what the capture told (packets), what the codec costs (ITU-T G.113 Appendix I),
    /// and the E-model's factors (ITU-T G.107 §7).
    public struct Components: Encodable, Sendable {
        /// Audio packets due in sequence order (received, lost or late; duplicates not counted).
        var expectedPackets: Int
        /// Sequence numbers that never arrived: concealed and silenced losses alike.
        var lostPackets: Int
        /// Packets that arrived more than the 60 ms jitter buffer after their place on the segment's least-delay
        /// line: lost to a real-time listener.
        var latePackets: Int
        /// Ppl: lost and late packets in percent of those due.
        var lossPercent: Double
        /// Runs of consecutive lost or late packets, and BurstR (G.107 §3.7: 1 for random loss, above 1 bursty).
        var lossBursts: Int
        var burstRatio: Double
        /// Ie and Bpl of the codec, and where each comes from.
        var equipmentImpairment: Double
        var equipmentImpairmentSource: String
        var packetLossRobustness: Double
        var packetLossRobustnessSource: String
        /// T, the one-way delay estimate: one packet, the codec's look-ahead, the 60 ms buffer (network: 0).
        var oneWayDelayMilliseconds: Double
        /// Ro, Is, Id, Ie,eff and A (R = Ro − Is − Id − Ie,eff + A).
        var basicSignalToNoise: Double
        var simultaneousImpairment: Double
        var delayImpairment: Double
        var effectiveEquipmentImpairment: Double
        var advantage: Double

        init(_ estimate: QualityEstimate, pattern: LossPattern) {
            let parts = estimate.components
            let rating = parts.rating
            expectedPackets = pattern.packets
            lostPackets = pattern.missing - pattern.late
            latePackets = pattern.late
            lossPercent = TranscodeReport.round(parts.lossPercent, 2)
            lossBursts = pattern.bursts
            burstRatio = TranscodeReport.round(parts.burstRatio, 2)
            equipmentImpairment = TranscodeReport.round(parts.codec.equipmentImpairment, 1)
            equipmentImpairmentSource = parts.codec.equipmentImpairmentSource.description
            packetLossRobustness = TranscodeReport.round(parts.codec.packetLossRobustness, 1)
            packetLossRobustnessSource = parts.codec.robustnessSource.description
            oneWayDelayMilliseconds = TranscodeReport.round(parts.oneWayDelayMilliseconds, 1)
            basicSignalToNoise = TranscodeReport.round(rating.basicSignalToNoise, 2)
            simultaneousImpairment = TranscodeReport.round(rating.simultaneousImpairment, 2)
            delayImpairment = TranscodeReport.round(rating.delayImpairment, 2)
            effectiveEquipmentImpairment = TranscodeReport.round(rating.effectiveEquipmentImpairment, 2)
            advantage = TranscodeReport.round(rating.advantage, 2)
        }
    }
}
