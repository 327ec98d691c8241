import CallPicture
public import CallQuality

/// What pass 2 measures of a call besides its audio (SPEC §4), fed by ``CallRenderer`` from the packets and samples
/// it handles anyway, so none of it costs a second decode:
///
/// - always (the report's `quality`, `talkSeconds`, `doubleTalkSeconds`): each stream's ``LossPattern`` as a
///   receiver with a fixed 60 ms jitter buffer (``FixedJitterBuffer``, `TimelineOptions.lateThreshold` deep) would
///   see it, in sequence order: lost sequence numbers, and packets that came too long after their place on the
///   segment's least-delay line; the ``TalkTimeMeter`` of both legs' rendered audio at the call's rate;
/// - only when a picture is asked for: the ``PictureBuilder`` (level per pixel column of the same audio) and each
///   stream's RFC 3550 jitter as it evolved, in arrival order.
///
/// The meters live inside the renderer, not behind an observer the caller passes in: what they need (a packet's
/// stream, its place on the segment's clock, the sequence numbers missing before it, each leg's samples before
/// they are mixed) is the renderer's private state, and a value kept beside it costs no dynamic call per packet.
struct CallMeters: Sendable {
    private let timeline: CallTimeline
    /// Per replay (stream of the call): the lane (index in `call.legs`) it feeds, its loss pattern, and for the
    /// picture its jitter and which payload types are audio (128 bits: payload types are 7 bits).
    private let replayLanes: [Int]
    private var patterns: [LossPattern]
    /// Per replay: the receiver's jitter buffer, and the segment whose least-delay line it measures against.
    private var buffers: [(buffer: FixedJitterBuffer, segment: Int)]
    private var jitters: [InterarrivalJitter] = []
    private var audioTypes: [(low: UInt64, high: UInt64)] = []
    /// Per lane: the output channel (0 for A, 1 for B) whose samples are its.
    private let laneChannels: [Int]
    private var talk: TalkTimeMeter
    private(set) var picture: PictureBuilder?
    private let callStart: Int64

    /// Meters for `call` rendered at `sampleRate` into `totalFrames`, whose replays read `replayStreams` (stream
    /// indices) into lanes `replayLanes`; with `picture`, the picture's meters too.
    init(
        timeline: CallTimeline,
        call: Call,
        replayStreams: [Int],
        replayLanes: [Int],
        sampleRate: Int,
        totalFrames: Int,
        picture: Bool
    ) {
        self.timeline = timeline
        self.replayLanes = replayLanes
        patterns = [LossPattern](repeating: LossPattern(), count: replayStreams.count)
        let depth = Double(timeline.options.lateThreshold) / 1e6
        buffers = [(FixedJitterBuffer, Int)](
            repeating: (FixedJitterBuffer(depthMilliseconds: depth), -1),
            count: replayStreams.count
        )
        laneChannels = call.legs.map(\.side.channel)
        talk = TalkTimeMeter(sampleRates: call.legs.map { _ in sampleRate })
        callStart = call.start
        guard picture else { return }
        self.picture = PictureBuilder(
            durationMilliseconds: Double(totalFrames) * 1000 / Double(max(1, sampleRate)),
            legs: call.legs.map { leg in
                PictureLeg(label: leg.label, role: Self.role(of: leg, in: call), sampleRate: sampleRate)
            }
        )
        for stream in replayStreams {
            let codecs = timeline.streams[stream].codecs.sorted { $0.key < $1.key }
            var mask: (low: UInt64, high: UInt64) = (0, 0)
            for (payloadType, codec) in codecs where codec.isAudio && payloadType < 128 {
                if payloadType < 64 {
                    mask.low |= 1 << UInt64(payloadType)
                } else {
                    mask.high |= 1 << UInt64(payloadType - 64)
                }
            }
            audioTypes.append(mask)
            let clock = codecs.first { $0.value.isAudio }?.value.rtpClockRate ?? 8000
            let restart = Double(timeline.options.reanchorThreshold) / 1e6
            jitters.append(InterarrivalJitter(clockRate: clock, restartMilliseconds: restart))
        }
    }

    /// A packet of replay `replay` as it arrives (capture order): its audio moves the picture's jitter line.
    mutating func arrived(_ packet: MediaPacket, replay: Int) {
        guard picture != nil else { return }
        let type = UInt64(packet.payloadType & 0x7F)
        let mask = type < 64 ? audioTypes[replay].low >> type : audioTypes[replay].high >> (type - 64)
        guard mask & 1 == 1 else { return }
        let jitter = jitters[replay].add(arrivalNanoseconds: packet.arrival, timestamp: packet.timestamp)
        picture?.jitter(
            atMilliseconds: Double(packet.arrival &- callStart) / 1e6,
            milliseconds: jitter,
            leg: replayLanes[replay]
        )
    }

    /// An audio packet of replay `replay` handed to its leg in sequence order, after `lost` missing sequence
    /// numbers, `lateness` ns after its place on the clock of its segment `segment` (the least-delay line).
    mutating func played(replay: Int, segment: Int, lost: Int, lateness: Int64) {
        patterns[replay].record(.lost, count: lost)
        if buffers[replay].segment != segment {
            buffers[replay].buffer.restart()
            buffers[replay].segment = segment
        }
        patterns[replay].record(buffers[replay].buffer.mark(lateness: Double(lateness) / 1e6))
    }

    /// The samples of both channels for the frames just rendered (`b` is silence where the call has no leg B).
    mutating func rendered(_ a: [Int16], _ b: [Int16]) {
        for lane in laneChannels.indices {
            (laneChannels[lane] == 0 ? a : b).withUnsafeBufferPointer { samples in
                talk.append(samples, leg: lane)
                picture?.append(samples: samples, leg: lane)
            }
        }
    }

    /// The measurements of `call` (the rendered call: its gaps complete), once pass 2 has finished.
    func analysis(of call: Call) -> CallAnalysis {
        var talk = self.talk
        talk.finish()
        let talkSeconds = talk.talkSeconds
        let legs = call.legs.enumerated().map { lane, leg in
            var pattern = LossPattern()
            for replay in replayLanes.indices where replayLanes[replay] == lane { pattern.merge(patterns[replay]) }
            let main = leg.segmentIndices.max { timeline.segments[$0].packets < timeline.segments[$1].packets }
            let codec = main.map { timeline.segments[$0].codec } ?? .unknown
            let input = LegQualityInput(
                codec: codec.qualityIdentity,
                pattern: pattern,
                jitterMilliseconds: leg.streamIndices.map { timeline.summary.streams[$0].jitterMilliseconds }.max()
                    ?? 0,
                packetMilliseconds: main.map(packetMilliseconds) ?? 20
            )
            return CallAnalysis.LegAnalysis(
                side: leg.side,
                codec: input.codec,
                lossPattern: pattern,
                quality: QualityModel.estimate(input),
                talkSeconds: talkSeconds.indices.contains(lane) ? talkSeconds[lane] : 0
            )
        }
        return CallAnalysis(legs: legs, doubleTalkSeconds: legs.count == 2 ? talk.doubleTalkSeconds : 0)
    }

    /// Audio per packet of segment `index`, ms: its last payload's duration (20 when the codec does not say).
    private func packetMilliseconds(_ index: Int) -> Double {
        let segment = timeline.segments[index]
        let samples = segment.codec.sampleCount(payloadBytes: segment.lastPayloadBytes)
        guard samples > 0 else { return 20 }
        return Double(samples) * 1000 / Double(segment.codec.sampleRate)
    }

    /// Who a leg is, as the picture's lane names it: `caller` or `callee` when SIP tells, else its address.
    static func role(of leg: Leg, in call: Call) -> String {
        guard let caller = call.callerSide else { return "\(leg.source.address)" }
        return leg.side == caller ? "caller" : "callee"
    }
}

/// What pass 2 measured of a call besides its audio: each leg's listening quality and talk time, and the call's
/// double talk (SPEC §4).
public struct CallAnalysis: Sendable {
    /// One leg's measurements.
    public struct LegAnalysis: Sendable {
        public var side: LegSide
        /// The codec the quality model scored (that of the leg's segment with the most packets).
        public var codec: CodecIdentity
        /// The leg's packets as a 60 ms jitter buffer saw them: due, lost, late, and in how many runs.
        public var lossPattern: LossPattern
        /// The ITU-T G.107 E-model estimate (R, MOS, its terms and what was assumed).
        public var quality: QualityEstimate
        /// Seconds the leg's party talked (``TalkTimeMeter``).
        public var talkSeconds: Double
    }

    /// In the order of the call's legs (A first).
    public var legs: [LegAnalysis]
    /// Seconds both parties talked at once.
    public var doubleTalkSeconds: Double

    /// The measurements of leg `side`, if the call has it.
    public func leg(_ side: LegSide) -> LegAnalysis? { legs.first { $0.side == side } }

    /// The lowest MOS of the call's legs (the metrics record's `LowestLegMOS`, SPEC §6.6); nil without legs.
    public var lowestMOS: Double? { legs.map(\.quality.mos).min() }
}
