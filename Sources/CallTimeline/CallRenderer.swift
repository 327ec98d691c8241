/// How the two legs become channels (SPEC §3.9).
public enum ChannelLayout: String, Sendable {
    /// Left = leg A (caller by default), right = leg B.
    case stereo
    /// Both legs mixed in floating point: a single talker keeps its level; a limiter, not clipping, when both
    /// talk loudly at once.
    case mono

    public var channelCount: Int { self == .stereo ? 2 : 1 }
}

/// Renders one call of a timeline to PCM, block by block, so an hour-long call never sits in memory as PCM.
///
/// ```swift
/// var renderer = timeline.renderer(for: call, sampleRate: 16000, layout: .stereo)
/// var left = [Int16](), right = [Int16]()
/// while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 { …; left.removeAll(keepingCapacity: true) … }
/// ```
public struct CallRenderer: Sendable {
    public let sampleRate: Int
    public let layout: ChannelLayout
    /// The number of frames (samples per channel) the whole call renders to.
    public let totalFrames: Int
    public private(set) var renderedFrames = 0

    private var legs: [LegRenderer?]
    private var limiter = Limiter()
    private var scratchA: [Int16] = []
    private var scratchB: [Int16] = []

    init(timeline: CallTimeline, call: Call, sampleRate: Int, layout: ChannelLayout) {
        self.sampleRate = sampleRate
        self.layout = layout
        let duration = call.end - call.start
        totalFrames = Int((duration * Int64(sampleRate) + 500_000_000) / 1_000_000_000)
        var legs: [LegRenderer?] = [nil, nil]
        for leg in call.legs {
            legs[leg.label == "A" ? 0 : 1] = LegRenderer(timeline: timeline, leg: leg, outputRate: sampleRate)
        }
        self.legs = legs
    }

    /// Appends up to `maxFrames` frames (left only for mono) and returns how many; 0 when the call is done.
    public mutating func render(maxFrames: Int, left: inout [Int16], right: inout [Int16]) -> Int {
        let count = min(maxFrames, totalFrames - renderedFrames)
        guard count > 0 else { return 0 }
        scratchA.removeAll(keepingCapacity: true)
        scratchB.removeAll(keepingCapacity: true)
        if legs[0] != nil {
            legs[0]!.produce(count, into: &scratchA)
        } else {
            scratchA.append(contentsOf: repeatElement(0, count: count))
        }
        if legs[1] != nil {
            legs[1]!.produce(count, into: &scratchB)
        } else {
            scratchB.append(contentsOf: repeatElement(0, count: count))
        }
        switch layout {
        case .stereo:
            left.append(contentsOf: scratchA)
            right.append(contentsOf: scratchB)
        case .mono:
            left.reserveCapacity(left.count + count)
            for index in 0..<count {
                left.append(limiter.process(Float(scratchA[index]) + Float(scratchB[index])))
            }
        }
        renderedFrames += count
        return count
    }
}

extension CallTimeline {
    /// A renderer for `call` at `sampleRate` (8000 or 16000; `call.naturalSampleRate` by default).
    public func renderer(for call: Call, sampleRate: Int? = nil, layout: ChannelLayout = .stereo) -> CallRenderer {
        CallRenderer(timeline: self, call: call, sampleRate: sampleRate ?? call.naturalSampleRate, layout: layout)
    }
}

/// A peak limiter for the mono mix: instant attack (no sample ever exceeds the ceiling), smooth release, so a
/// sum of two loud talkers is turned down rather than clipped.
struct Limiter: Sendable {
    /// −0.5 dBFS.
    private let ceiling: Float = 32767 * 0.944
    private var gain: Float = 1
    /// Per-sample release toward unity gain (about 50 ms at 8 kHz).
    private let release: Float = 0.9975

    mutating func process(_ sample: Float) -> Int16 {
        let magnitude = abs(sample)
        if magnitude * gain > ceiling { gain = ceiling / magnitude }
        let out = sample * gain
        gain = min(1, 1 - (1 - gain) * release)
        return Int16(max(-32768, min(32767, out.rounded())))
    }
}
