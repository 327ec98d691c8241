import CallQuality
import TestSupport
import Testing

/// The acceptance cases of issue 16, with the figures they give (printed, and in the README's "Quality").
@Suite("Quality model: acceptance")
struct QualityModelTests {
    /// Five minutes of 20 ms packets.
    static let packets = 15_000

    static func estimate(_ codec: String, _ marks: [Bool], jitter: Double = 2) -> QualityEstimate {
        var pattern = LossPattern()
        for lost in marks { pattern.record(lost ? .lost : .received) }
        return QualityModel.estimate(
            LegQualityInput(codec: CodecIdentity(name: codec), pattern: pattern, jitterMilliseconds: jitter)
        )
    }

    /// Losses drawn independently with probability `rate`.
    static func randomLoss(_ rate: Double, seed: UInt64) -> [Bool] {
        var generator = SplitMix64(seed: seed)
        return (0..<packets).map { _ in generator.unit() < rate }
    }

    /// A two-state (Gilbert) loss process: mean run `burst` packets, long-run loss `rate`.
    static func burstLoss(_ rate: Double, burst: Double, seed: UInt64) -> [Bool] {
        var generator = SplitMix64(seed: seed)
        let leave = 1 / burst
        let enter = leave * rate / (1 - rate)
        var losing = false
        return (0..<packets).map { _ in
            losing = losing ? generator.unit() >= leave : generator.unit() < enter
            return losing
        }
    }

    /// The same marks in a random order (Fisher–Yates): the same loss, spread randomly.
    static func shuffled(_ marks: [Bool], seed: UInt64) -> [Bool] {
        var generator = SplitMix64(seed: seed)
        var result = marks
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        return result
    }

    @Test("A clean G.711 leg scores MOS ≥ 4.2 (µ-law and A-law alike)", arguments: ["PCMU", "PCMA"])
    func cleanG711(codec: String) {
        let clean = Self.estimate(codec, [Bool](repeating: false, count: Self.packets))
        print("clean \(codec): R \(clean.rFactor) MOS \(clean.mos) T \(clean.components.oneWayDelayMilliseconds) ms")
        #expect(clean.mos >= 4.2)
        #expect(clean.components.lossPercent == 0)
    }

    @Test("5 % random loss on G.711 scores at least 0.3 lower than clean")
    func randomLossG711() {
        let clean = Self.estimate("PCMU", [Bool](repeating: false, count: Self.packets))
        let lossy = Self.estimate("PCMU", Self.randomLoss(0.05, seed: 1))
        print("G.711 5 % random: loss \(lossy.components.lossPercent) % BurstR \(lossy.components.burstRatio)")
        print("  R \(lossy.rFactor) MOS \(lossy.mos) (clean \(clean.mos))")
        #expect(abs(lossy.components.lossPercent - 5) < 0.5)
        #expect(abs(lossy.components.burstRatio - 1) < 0.1)
        #expect(lossy.mos <= clean.mos - 0.3)
    }

    @Test("Losses in bursts score lower than the same losses spread randomly")
    func burstVersusRandom() {
        let bursty = Self.burstLoss(0.05, burst: 4, seed: 2)
        let spread = Self.shuffled(bursty, seed: 3)
        let burstEstimate = Self.estimate("PCMU", bursty)
        let spreadEstimate = Self.estimate("PCMU", spread)
        print(
            "G.711 bursty: loss \(burstEstimate.components.lossPercent) % BurstR \(burstEstimate.components.burstRatio)"
        )
        print(
            "  MOS \(burstEstimate.mos); spread randomly: BurstR \(spreadEstimate.components.burstRatio) MOS \(spreadEstimate.mos)"
        )
        #expect(burstEstimate.components.lossPercent == spreadEstimate.components.lossPercent)
        #expect(burstEstimate.components.burstRatio > 3)
        #expect(spreadEstimate.components.burstRatio < 1.2)
        #expect(burstEstimate.mos < spreadEstimate.mos)
        #expect(burstEstimate.rFactor < spreadEstimate.rFactor - 1)
    }

    @Test("Clean G.729 scores below clean G.711, as G.113 orders them (Ie 11 against 0)")
    func g729BelowG711() {
        let clean = [Bool](repeating: false, count: Self.packets)
        let g711 = Self.estimate("PCMU", clean)
        let g729 = Self.estimate("G729", clean)
        print("clean G.729: R \(g729.rFactor) MOS \(g729.mos); G.711 MOS \(g711.mos)")
        #expect(g729.mos < g711.mos - 0.1)
        #expect(g729.components.codec.equipmentImpairment == 11)
    }

    @Test("What was not measured is listed; what was, is not")
    func estimatedParts() {
        let measured = QualityModel.estimate(
            LegQualityInput(
                codec: CodecIdentity(name: "PCMA"),
                expectedPackets: 1000,
                lostPackets: 10,
                latePackets: 0,
                lossBursts: 10,
                jitterMilliseconds: 3,
                networkDelayMilliseconds: 40
            )
        )
        #expect(measured.estimated == [.terminalDefaults, .jitterBuffer])
        let guessed = QualityModel.estimate(
            LegQualityInput(
                codec: CodecIdentity(name: "opus"),
                expectedPackets: 1000,
                lostPackets: 10,
                latePackets: nil,
                lossBursts: nil,
                jitterMilliseconds: 20
            )
        )
        #expect(guessed.estimated.contains(.latePacketsFromJitter))
        #expect(guessed.estimated.contains(.burstRatioRandom))
        #expect(guessed.estimated.contains(.networkDelay))
        #expect(guessed.estimated.contains(.widebandOnNarrowbandScale))
        #expect(guessed.estimated.contains { $0.key == "codec-figures" })
    }

    @Test("Late packets, when not counted, are e^(−60/J) of those received: 5 % at 20 ms of jitter")
    func lateFromJitter() {
        let estimate = QualityModel.estimate(
            LegQualityInput(
                codec: CodecIdentity(name: "PCMU"),
                expectedPackets: 10_000,
                lostPackets: 0,
                latePackets: nil,
                lossBursts: nil,
                jitterMilliseconds: 20
            )
        )
        #expect(abs(estimate.components.latePackets - 10_000 * 0.049_787) < 1)
        #expect(abs(estimate.components.lossPercent - 4.9787) < 0.001)
        let calm = QualityModel.estimate(
            LegQualityInput(
                codec: CodecIdentity(name: "PCMU"),
                expectedPackets: 10_000,
                lostPackets: 0,
                latePackets: nil,
                lossBursts: nil,
                jitterMilliseconds: 1
            )
        )
        #expect(calm.components.lossPercent < 1e-9)
    }

    @Test("Measured late packets count as lost, and the delay is packet + codec + 60 ms buffer + network")
    func lateAndDelay() {
        let estimate = QualityModel.estimate(
            LegQualityInput(
                codec: CodecIdentity(name: "G729"),
                expectedPackets: 1000,
                lostPackets: 20,
                latePackets: 30,
                lossBursts: 50,
                jitterMilliseconds: 25,
                packetMilliseconds: 20,
                networkDelayMilliseconds: 15
            )
        )
        #expect(estimate.components.lossPercent == 5)
        #expect(estimate.components.oneWayDelayMilliseconds == 15 + 20 + 5 + 60)
    }

    @Test("Hostile counts (negative, more lost than expected, nothing expected) give a score, not a trap")
    func hostileCounts() {
        let inputs = [
            LegQualityInput(
                codec: CodecIdentity(name: ""),
                expectedPackets: 0,
                lostPackets: 5,
                latePackets: -3,
                lossBursts: 9,
                jitterMilliseconds: -1
            ),
            LegQualityInput(
                codec: CodecIdentity(name: "PCMU"),
                expectedPackets: 10,
                lostPackets: 50,
                latePackets: 50,
                lossBursts: 0,
                jitterMilliseconds: .infinity,
                packetMilliseconds: -20
            ),
        ]
        for input in inputs {
            let estimate = QualityModel.estimate(input)
            #expect(estimate.mos >= 1 && estimate.mos <= 4.5)
            #expect(estimate.rFactor >= 0 && estimate.rFactor <= 100)
            #expect(estimate.components.lossPercent >= 0 && estimate.components.lossPercent <= 100)
        }
    }
}
