import CallPicture
import CallQuality
import TestSupport

/// A synthetic call drawn as pass 2 would feed it: per-leg PCM (speech-like spurts over a low noise floor, zeros
/// where audio was lost), the gap map, DTMF, segment changes and jitter, all at times the tests know.
struct SyntheticCall {
    struct Leg {
        var rate: Int
        var spurts: [(Double, Double)]
        var gaps: [(IntervalKind, Double, Double)]
        var digits: [(String, Double)]
        var changes: [(String, ChangeKind, Double)]
        /// Jitter over time: a base value with bumps (start, end, ms).
        var jitterBase: Double
        var jitterBumps: [(Double, Double, Double)]
        /// When set, `spurts` describe one period of this many seconds, repeated for the whole call (the hour-long
        /// call is made by copying one period rather than synthesizing an hour sample by sample).
        var period: Double? = nil
    }

    var seconds: Double
    var legs: [Leg]
    /// One period of each periodic leg's samples, made once.
    var periods: [[Int16]] = []

    init(seconds: Double, legs: [Leg]) {
        self.seconds = seconds
        self.legs = legs
        periods = legs.indices.map { index in
            guard let period = legs[index].period else { return [] }
            return rawSamples(leg: index, first: 0, end: Int(period * Double(legs[index].rate)))
        }
    }

    /// The 30-second demo-like call: caller on G.711, callee on G.722, losses, comfort noise, DTMF, an SSRC change.
    static let demo = SyntheticCall(
        seconds: 30,
        legs: [
            Leg(
                rate: 8000,
                spurts: [(1, 6), (12, 17), (22, 27)],
                gaps: [(.concealed, 3.0, 0.04), (.concealed, 4.2, 0.02), (.lost, 14.0, 0.5), (.silence, 27.5, 2.0)],
                digits: [("1", 8.0), ("2", 8.35), ("3", 8.7)],
                changes: [("SSRC 0x5EED0002", .ssrc, 20.0)],
                jitterBase: 2.5,
                jitterBumps: [(13.0, 15.5, 24)]
            ),
            Leg(
                rate: 16000,
                spurts: [(6.5, 11.5), (17.5, 21.5), (25.5, 29.5)],
                gaps: [(.concealed, 9.0, 0.06), (.comfortNoise, 12.0, 5.0)],
                digits: [("#", 24.0)],
                changes: [("G722 → PCMU", .codec, 17.5)],
                jitterBase: 4,
                jitterBumps: [(8.5, 9.5, 12)]
            ),
        ]
    )

    /// An hour: speech back and forth, a concealed loss every 37 s on A, two long losses, a DTMF digit, an SSRC
    /// change, jitter that wanders.
    static let hour: SyntheticCall = {
        var concealedA: [(IntervalKind, Double, Double)] = stride(from: 20.0, to: 3600, by: 37).map {
            (.concealed, $0, 0.04)
        }
        concealedA += [(.lost, 600, 2), (.lost, 2700, 5)]
        return SyntheticCall(
            seconds: 3600,
            legs: [
                Leg(
                    rate: 8000,
                    spurts: [(0.5, 4.5)],
                    gaps: concealedA,
                    digits: [("5", 1800)],
                    changes: [("SSRC 0x0BADCAFE", .ssrc, 1200)],
                    jitterBase: 3,
                    jitterBumps: [(900, 1000, 30), (3000, 3050, 45)],
                    period: 9
                ),
                Leg(
                    rate: 8000,
                    spurts: [(5, 8.5)],
                    gaps: [(.comfortNoise, 1500, 120)],
                    digits: [],
                    changes: [],
                    jitterBase: 1.5,
                    jitterBumps: [],
                    period: 9
                ),
            ]
        )
    }()

    /// Two seconds of speech material per rate, made once and looped (the vowel synthesis is slow in a debug build).
    static let narrowband = Signals.vowel(count: 16000, sampleRate: 8000)
    static let wideband = Signals.vowel(count: 32000, sampleRate: 16000)

    /// Leg `index`'s samples `first..<end` (at the leg's rate), with its gaps.
    func samples(leg index: Int, first: Int, end: Int) -> [Int16] {
        var out: [Int16]
        if periods[index].isEmpty {
            out = rawSamples(leg: index, first: first, end: end)
        } else {
            let period = periods[index]
            out = []
            out.reserveCapacity(end - first)
            var position = first
            while position < end {
                let offset = position % period.count
                let count = min(end - position, period.count - offset)
                out.append(contentsOf: period[offset..<(offset + count)])
                position += count
            }
        }
        let rate = Double(legs[index].rate)
        func position(_ seconds: Double) -> Int { Int((seconds * rate).rounded()) }
        for (kind, start, length) in legs[index].gaps where kind != .concealed {
            // Silence where audio was lost or not sent; low noise (about −52 dBFS) where comfort noise was made.
            let lower = max(first, position(start))
            let upper = min(end, position(start + length))
            guard lower < upper else { continue }
            for sample in lower..<upper {
                out[sample - first] = kind == .comfortNoise ? Self.noise(sample, leg: index, range: 161) : 0
            }
        }
        return out
    }

    /// Noise as a function of the sample's position, so that any cut into blocks gives the same samples.
    static func noise(_ position: Int, leg: Int, range: UInt64) -> Int16 {
        var z = UInt64(position) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(leg + 1)
        z = (z ^ (z >> 31)) &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 29
        return Int16(truncatingIfNeeded: Int(z % range) - Int(range / 2))
    }

    /// Leg `index`'s speech over noise, samples `first..<end`, without gaps.
    func rawSamples(leg index: Int, first: Int, end: Int) -> [Int16] {
        let leg = legs[index]
        let rate = Double(leg.rate)
        let count = end - first
        var out = (0..<count).map { Self.noise(first + $0, leg: index, range: 41) }
        func position(_ seconds: Double) -> Int { Int((seconds * rate).rounded()) }
        for (start, stop) in leg.spurts {
            let lower = max(first, position(start))
            let upper = min(end, position(stop))
            guard lower < upper else { continue }
            let source = leg.rate == 8000 ? Self.narrowband : Self.wideband
            for sample in lower..<upper {
                out[sample - first] = source[(sample - position(start) + index * 977) % source.count]
            }
        }
        return out
    }

    func jitter(leg index: Int, at time: Double) -> Double {
        let leg = legs[index]
        var value = leg.jitterBase + 0.8 * Double((Int(time * 50) * 7919) % 11) / 10
        for (start, end, peak) in leg.jitterBumps where time >= start && time < end {
            let middle = (start + end) / 2
            value += peak * (1 - abs(time - middle) / ((end - start) / 2))
        }
        return value
    }

    /// The picture, fed as pass 2 would: blocks of `block` seconds, both legs side by side; gap marks and jitter as
    /// their times pass.
    func picture(blockMilliseconds block: Int = 256) -> PictureBuilder {
        var builder = PictureBuilder(
            durationMilliseconds: seconds * 1000,
            legs: [
                PictureLeg(label: "A", role: "caller", sampleRate: legs[0].rate),
                PictureLeg(label: "B", role: "callee", sampleRate: legs[1].rate),
            ]
        )
        let total = Int(seconds * 1000)
        var time = 0
        while time < total {
            let end = min(total, time + block)
            for index in legs.indices {
                let rate = legs[index].rate
                builder.append(
                    samples: samples(leg: index, first: time * rate / 1000, end: end * rate / 1000),
                    leg: index
                )
                // One jitter figure per 20 ms packet.
                for packet in stride(from: (time + 19) / 20 * 20, to: end, by: 20) {
                    let at = Double(packet) / 1000
                    builder.jitter(atMilliseconds: Double(packet), milliseconds: jitter(leg: index, at: at), leg: index)
                }
            }
            time = end
        }
        for (index, leg) in legs.enumerated() {
            for (kind, start, length) in leg.gaps {
                builder.mark(kind, startMilliseconds: start * 1000, durationMilliseconds: length * 1000, leg: index)
            }
            for (digit, at) in leg.digits { builder.mark(dtmf: digit, atMilliseconds: at * 1000, leg: index) }
            for (label, kind, at) in leg.changes {
                builder.mark(change: label, kind: kind, atMilliseconds: at * 1000, leg: index)
            }
        }
        return builder
    }

    var header: PictureHeader {
        let a = QualityModel.estimate(
            LegQualityInput(
                codec: CodecIdentity(name: "PCMU"),
                expectedPackets: Int(seconds * 50),
                lostPackets: 29,
                latePackets: 3,
                lossBursts: 5,
                jitterMilliseconds: 3.1
            )
        )
        let b = QualityModel.estimate(
            LegQualityInput(
                codec: CodecIdentity(name: "G722"),
                expectedPackets: Int(seconds * 50),
                lostPackets: 3,
                latePackets: 0,
                lossBursts: 1,
                jitterMilliseconds: 4.4
            )
        )
        return PictureHeader(
            title: "a84b4c76e66710@pc33.atlanta.example.com",
            startNanoseconds: 1_764_786_225_123_000_000,
            legs: [
                .init(codecs: "PCMU", mos: a.mos, rFactor: a.rFactor, lossPercent: a.components.lossPercent),
                .init(codecs: "G722, PCMU", mos: b.mos, rFactor: b.rFactor, lossPercent: b.components.lossPercent),
            ],
            note: "caller per SIP INVITE"
        )
    }
}
