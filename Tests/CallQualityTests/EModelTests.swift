import CallQuality
import Foundation
import TestSupport
import Testing

@Suite("E-model (ITU-T G.107)")
struct EModelTests {
    @Test("G.107's default values rate R = 93.2 (its §7.7 statement), MOS 4.41")
    func defaultRating() {
        let rating = EModel().rating(delay: 0, ie: 0, bpl: 4.3, lossPercent: 0, burstRatio: 1)
        #expect(abs(rating.basicSignalToNoise - 94.77) < 0.01)
        #expect(abs(rating.simultaneousImpairment - 1.41) < 0.01)
        #expect(abs(rating.rFactor - 93.2) < 0.05)
        #expect(abs(rating.mos - 4.41) < 0.005)
    }

    @Test(
        "Annex B: MOS from R at its landmarks",
        arguments: [(-5.0, 1.0), (0, 1), (3, 1), (50, 2.575), (80, 4.024), (93.2, 4.409), (100, 4.5), (120, 4.5)]
    )
    func annexB(r: Double, mos: Double) {
        #expect(abs(EModel.mos(rFactor: r) - mos) < 0.001)
    }

    @Test("Ie,eff (equation 7-29): G.711 with concealment at 5 % random loss, and the same loss in bursts")
    func effectiveImpairment() {
        let random = EModel.effectiveEquipmentImpairment(ie: 0, bpl: 25.1, lossPercent: 5, burstRatio: 1)
        #expect(abs(random - 95 * 5 / 30.1) < 1e-9)
        let bursty = EModel.effectiveEquipmentImpairment(ie: 0, bpl: 25.1, lossPercent: 5, burstRatio: 4)
        #expect(abs(bursty - 95 * 5 / (1.25 + 25.1)) < 1e-9)
        // Smoother than random is scored as random.
        #expect(EModel.effectiveEquipmentImpairment(ie: 0, bpl: 25.1, lossPercent: 5, burstRatio: 0.5) == random)
        #expect(EModel.effectiveEquipmentImpairment(ie: 11, bpl: 19, lossPercent: 0, burstRatio: 3) == 11)
    }

    @Test("Delay: no absolute-delay impairment up to 100 ms, then it grows; R falls as the delay grows")
    func delay() {
        let model = EModel()
        let short = model.rating(delay: 100, ie: 0, bpl: 25.1, lossPercent: 0, burstRatio: 1)
        #expect(short.absoluteDelayImpairment == 0)
        let long = model.rating(delay: 300, ie: 0, bpl: 25.1, lossPercent: 0, burstRatio: 1)
        #expect(long.absoluteDelayImpairment > 5)
        // ITU-T G.114 Figure 1 (the E-model with defaults and delay alone) falls through R 80 near 250 ms and R 70
        // near 330 ms.
        #expect(long.rFactor > 70 && long.rFactor < 76)
        let quarter = model.rating(delay: 250, ie: 0, bpl: 25.1, lossPercent: 0, burstRatio: 1)
        #expect(quarter.rFactor > 77 && quarter.rFactor < 83)
        var previous = 101.0
        for delay in stride(from: 0.0, through: 600, by: 50) {
            let r = model.rating(delay: delay, ie: 0, bpl: 25.1, lossPercent: 0, burstRatio: 1).rFactor
            #expect(r < previous + 1e-9)
            previous = r
        }
    }

    @Test("The pure-Swift elementary functions agree with the C library to 1e-13 relative")
    func elementary() {
        var generator = SplitMix64(seed: 7)
        var worst = 0.0
        for _ in 0..<2000 {
            let x = generator.unit() * 200 - 100
            let positive = generator.unit() * 1e6 + 1e-9
            let base = generator.unit() * 10 + 0.01
            let exponent = generator.unit() * 8 - 4
            worst = max(
                worst,
                abs(Elementary.exp(x) - Foundation.exp(x)) / Foundation.exp(x),
                abs(Elementary.ln(positive) - log(positive)) / max(1, abs(log(positive))),
                abs(Elementary.log10(positive) - log10(positive)) / max(1, abs(log10(positive))),
                abs(Elementary.power(base, exponent) - pow(base, exponent)) / pow(base, exponent) / 10
            )
        }
        #expect(worst < 1e-13)
        #expect(Elementary.power(-2, 13) == -8192)
        #expect(Elementary.power(-0.5, 2) == 0.25)
        #expect(Elementary.ln(0) == -.infinity)
        #expect(Elementary.exp(-1000) == 0)
        #expect(Elementary.exp(1000) == .infinity)
    }
}

extension SplitMix64 {
    /// A uniform number in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
