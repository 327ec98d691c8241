import CallQuality
import TestSupport
import Testing

@Suite("Loss pattern and burst ratio (ITU-T G.107 §3.7)")
struct LossPatternTests {
    @Test("Counts a short sequence: runs, longest run, late among missing")
    func counts() {
        var pattern = LossPattern()
        pattern.record(.received, count: 2)
        pattern.record(.lost, count: 2)
        pattern.record(.received)
        pattern.record(.late)
        pattern.record(.lost)
        pattern.record(.received)
        #expect(pattern.packets == 8)
        #expect(pattern.missing == 4)
        #expect(pattern.late == 1)
        #expect(pattern.bursts == 2)
        #expect(pattern.longestBurst == 2)
        // Mean observed run 2, random expectation 1 / (1 − 0.5) = 2.
        #expect(pattern.burstRatio == 1)
    }

    @Test("A Gilbert loss process of mean run 1/q has BurstR = 1 / (p + q)", arguments: [(0.01, 0.25), (0.02, 0.5)])
    func markovBurstRatio(p: Double, q: Double) {
        var generator = SplitMix64(seed: 11)
        var pattern = LossPattern()
        var losing = false
        for _ in 0..<400_000 {
            losing = losing ? generator.unit() >= q : generator.unit() < p
            pattern.record(losing ? .lost : .received)
        }
        #expect(abs(pattern.burstRatio - 1 / (p + q)) < 0.05 * (1 / (p + q)))
        #expect(abs(pattern.missingPercent - 100 * p / (p + q)) < 0.3)
    }

    @Test("Merging two streams' patterns adds their counts and keeps their runs apart")
    func merge() {
        var first = LossPattern()
        first.record(.received, count: 10)
        first.record(.lost, count: 3)
        var second = LossPattern()
        second.record(.lost, count: 2)
        second.record(.received, count: 5)
        first.merge(second)
        #expect(first.packets == 20)
        #expect(first.missing == 5)
        #expect(first.bursts == 2)
        #expect(first.longestBurst == 3)
    }

    @Test("Nothing missing, everything missing, nothing at all: BurstR 1")
    func edges() {
        var all = LossPattern()
        all.record(.lost, count: 5)
        #expect(all.burstRatio == 1)
        #expect(LossPattern().burstRatio == 1)
        #expect(LossPattern().missingPercent == 0)
        var none = LossPattern()
        none.record(.received, count: 0)
        none.record(.received, count: -4)
        #expect(none.packets == 0)
        var huge = LossPattern()
        huge.record(.lost, count: .max)
        huge.record(.received, count: .max)
        huge.record(.late, count: .max)
        #expect(huge.missing == 2 << 40)
    }
}
