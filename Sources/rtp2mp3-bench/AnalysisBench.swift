import CallPicture
import CallQuality
import Foundation

/// The `analysis` section: what the picture, the talk-time meter and the quality model cost per second of call,
/// fed as pass 2 would feed them (both legs' PCM in 4096-frame blocks, one jitter figure and one loss-pattern mark
/// per 20 ms packet per leg), so the figures stand next to the transcode's in scripts/bench.
enum AnalysisBench {
    static func run(_ arguments: [String]) {
        var minutes = 60
        var runs = 5
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--minutes": minutes = max(1, Int(value) ?? minutes)
            case "--runs": runs = max(1, Int(value) ?? runs)
            default:
                print("rtp2mp3-bench: error: unknown option \(arguments[index])")
                exit(64)
            }
            index += 2
        }
        let seconds = minutes * 60
        print("audio_minutes=\(minutes) runs=\(runs)")
        for rate in [8000, 16000] {
            let legA = CodecBench.repeated(CodecBench.speechMaterial(sampleRate: rate), toCount: seconds * rate)
            // Leg B answers: the same material, shifted by 5 s.
            let legB = Array(legA[(5 * rate)...] + legA[..<(5 * rate)])
            let suffix = rate == 8000 ? "8k" : "16k"
            measure("picture_\(suffix)", seconds: seconds, runs: runs) { picture(legA, legB, rate: rate) }
            measure("talk_time_\(suffix)", seconds: seconds, runs: runs) { talkTime(legA, legB, rate: rate) }
        }
        measure("quality_model", seconds: seconds, runs: runs) { quality(seconds: seconds) }
    }

    /// The picture of a call: every sample aggregated, a jitter figure and now and then a gap per packet, and the
    /// SVG written at the end. Returns the SVG's size.
    static func picture(_ legA: [Int16], _ legB: [Int16], rate: Int) -> Int {
        let milliseconds = Double(legA.count) * 1000 / Double(rate)
        var builder = PictureBuilder(
            durationMilliseconds: milliseconds,
            legs: [
                PictureLeg(label: "A", role: "caller", sampleRate: rate),
                PictureLeg(label: "B", role: "callee", sampleRate: rate),
            ]
        )
        let block = 4096
        var jitter = [InterarrivalJitter(clockRate: 8000), InterarrivalJitter(clockRate: 8000)]
        var packet = 0
        legA.withUnsafeBufferPointer { a in
            legB.withUnsafeBufferPointer { b in
                var start = 0
                while start < a.count {
                    let end = min(start + block, a.count)
                    builder.append(samples: UnsafeBufferPointer(rebasing: a[start..<end]), leg: 0)
                    builder.append(samples: UnsafeBufferPointer(rebasing: b[start..<end]), leg: 1)
                    // The packets of this block: 20 ms each, a little jitter, a concealment now and then.
                    while packet * rate / 50 < end {
                        let time = Double(packet) * 20
                        for leg in 0..<2 {
                            let arrival = Int64(packet) * 20_000_000 + Int64((packet * 7 + leg * 3) % 11) * 300_000
                            let value = jitter[leg].add(
                                arrivalNanoseconds: arrival,
                                timestamp: UInt32(truncatingIfNeeded: packet * 160)
                            )
                            builder.jitter(atMilliseconds: time, milliseconds: value, leg: leg)
                        }
                        if packet % 997 == 0 {
                            builder.mark(.concealed, startMilliseconds: time, durationMilliseconds: 20, leg: packet % 2)
                        }
                        packet += 1
                    }
                    start = end
                }
            }
        }
        let header = PictureHeader(
            title: "bench",
            startNanoseconds: 0,
            legs: [.init(codecs: "PCMU"), .init(codecs: "PCMU")]
        )
        return builder.svgBytes(header: header).count
    }

    /// Talk time and double talk over both legs in 4096-frame blocks.
    static func talkTime(_ legA: [Int16], _ legB: [Int16], rate: Int) -> Int {
        var meter = TalkTimeMeter(sampleRates: [rate, rate])
        legA.withUnsafeBufferPointer { a in
            legB.withUnsafeBufferPointer { b in
                var start = 0
                while start < a.count {
                    let end = min(start + 4096, a.count)
                    meter.append(UnsafeBufferPointer(rebasing: a[start..<end]), leg: 0)
                    meter.append(UnsafeBufferPointer(rebasing: b[start..<end]), leg: 1)
                    start = end
                }
            }
        }
        meter.finish()
        return Int(meter.doubleTalkSeconds)
    }

    /// The loss pattern of both legs, one mark per packet (1 % lost), and the E-model at the end.
    static func quality(seconds: Int) -> Int {
        var patterns = [LossPattern(), LossPattern()]
        for packet in 0..<(seconds * 50) {
            for leg in 0..<2 {
                patterns[leg].record((packet &* 2_654_435_761 &+ leg) % 100 == 0 ? .lost : .received)
            }
        }
        let estimates = patterns.map {
            QualityModel.estimate(
                LegQualityInput(codec: CodecIdentity(name: "PCMU"), pattern: $0, jitterMilliseconds: 3)
            )
        }
        return Int(estimates.map(\.mos).min()! * 100)
    }

    /// Times `body` `runs` times; prints the medians of wall-clock and thread CPU time and the CPU cost per second
    /// of call (µs), and how many seconds of call one CPU second covers.
    static func measure(_ name: String, seconds: Int, runs: Int, _ body: () -> Int) {
        var wall: [Double] = []
        var cpu: [Double] = []
        var check = 0
        for _ in 0..<runs {
            let clock = ContinuousClock()
            let cpuStart = CodecBench.threadCPUSeconds()
            let start = clock.now
            check = body()
            let elapsed = clock.now - start
            cpu.append(CodecBench.threadCPUSeconds() - cpuStart)
            wall.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        let wallMedian = wall.sorted()[runs / 2]
        let cpuMedian = cpu.sorted()[runs / 2]
        print(
            "bench=\(name) call_seconds=\(seconds) median_seconds=\(String(format: "%.4f", wallMedian))"
                + " median_cpu_seconds=\(String(format: "%.4f", cpuMedian))"
                + " cpu_us_per_call_second=\(String(format: "%.1f", cpuMedian * 1e6 / Double(seconds)))"
                + " call_seconds_per_cpu_second=\(String(format: "%.0f", Double(seconds) / cpuMedian)) check=\(check)"
        )
    }
}
