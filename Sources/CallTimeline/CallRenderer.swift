/// How the two legs become channels (SPEC §3.9).
public enum ChannelLayout: String, Sendable {
    /// Left = leg A (caller by default), right = leg B.
    case stereo
    /// Both legs mixed in floating point: a single talker keeps its level; a limiter, not clipping, when both
    /// talk loudly at once.
    case mono

    public var channelCount: Int { self == .stereo ? 2 : 1 }
}

/// Pass 2: renders one call of a timeline to PCM while the capture is read again, holding only a window as
/// long as the network's delay and reordering (measured in pass 1), so memory does not grow with the call.
///
/// ```swift
/// var renderer = timeline.renderer(for: call, sampleRate: 16000, layout: .stereo)
/// for packet in packetsAgain {
///     renderer.add(packet)
///     while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 { … }
/// }
/// renderer.finish()
/// while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 { … }
/// ```
public struct CallRenderer: Sendable {
    public let sampleRate: Int
    public let layout: ChannelLayout
    /// The number of frames (samples per channel) the whole call renders to.
    public let totalFrames: Int
    public private(set) var renderedFrames = 0

    /// One leg's renderer and what pass 2 knows of it.
    private struct LegSlot: Sendable {
        /// 0 for leg A (left), 1 for leg B (right).
        let channel: Int
        var renderer: LegRenderer
        /// The leg's own sample rate.
        let rate: Int
        /// How far behind the newest capture time the leg's positions are complete.
        let delay: Int64
        /// Leg samples that cover every output frame after the resampler's delay.
        let end: Int

        /// Renders the leg up to where its positions are complete at capture time `now` (all of it when
        /// `finished`); returns the output samples it has ready.
        mutating func advance(now: Int64, callStart: Int64, finished: Bool) -> Int {
            let target =
                finished ? end : max(0, min(end, CallRenderer.position(now &- delay, callStart: callStart, rate: rate)))
            renderer.advance(to: target, final: finished)
            return renderer.available
        }
    }

    private let timeline: CallTimeline
    private var call: Call
    /// The call's legs (A, B or both). Not optionals in two fixed places: reading a field through an optional
    /// array element copied the whole leg renderer on every packet.
    private var legs: [LegSlot] = []
    /// Each leg's `renderer.available`, kept beside it: read at every packet, where reading it through the leg
    /// copied the whole leg (its renderer, decoders and resampler).
    private var legAvailable: [Int] = []
    /// Pass-2 state of every stream of the call, and the leg (its index in `legs`) it feeds.
    private var replays: [(stream: Int, leg: Int, replay: StreamReplay)] = []
    /// The replays holding packets, the only ones `pump` has to look at (a call can be made of thousands of
    /// streams, and `pump` runs at every packet); `isHolding` marks them.
    private var holding: [Int] = []
    private var isHolding: [Bool] = []
    private var replayIndex: [StreamKey: Int] = [:]
    private var callSegments: Set<Int> = []
    private var now = Int64.min
    private var finished = false
    private var order = 0
    private var released: [StreamReplay.Released] = []
    private var limiter = Limiter()
    private var scratchA: [Int16] = []
    private var scratchB: [Int16] = []
    /// Quality, talk time and (when asked) the picture, measured as the call renders (``CallMeters``).
    private(set) var meters: CallMeters

    init(
        timeline: CallTimeline,
        call: Call,
        sampleRate: Int,
        layout: ChannelLayout,
        decoders: AudioDecoderFactory,
        picture: Bool = false
    ) {
        self.timeline = timeline
        var call = call
        self.sampleRate = sampleRate
        self.layout = layout
        // At most a day: longer "calls" are refused before rendering (CaptureContents.selectCall).
        let duration = min(max(0, call.durationNanoseconds), 86_400_000_000_000)
        totalFrames = Int((duration * Int64(sampleRate) + 500_000_000) / 1_000_000_000)
        for (legIndex, leg) in call.legs.enumerated() {
            let slot = legs.count
            var delay: Int64 = 0
            for segment in leg.segmentIndices {
                callSegments.insert(segment)
                delay = max(delay, timeline.segments[segment].maximumDelay)
            }
            let legRate = Self.legRate(
                natural: leg.sampleRate,
                codecRates: leg.segmentIndices.map { timeline.segments[$0].codec.sampleRate },
                outputRate: sampleRate
            )
            call.legs[legIndex].sampleRate = legRate
            for stream in leg.streamIndices {
                let analyzed = timeline.streams[stream]
                replayIndex[analyzed.key] = replays.count
                replays.append((stream, slot, StreamReplay(reorderDelay: analyzed.maxReorderDelay)))
            }
            let reorder = leg.streamIndices.map { timeline.streams[$0].maxReorderDelay }.max() ?? 0
            legs.append(
                LegSlot(
                    channel: leg.side.channel,
                    renderer: LegRenderer(
                        timeline: timeline,
                        legRate: legRate,
                        outputRate: sampleRate,
                        decoders: decoders
                    ),
                    rate: legRate,
                    // Waiting longer than a minute would hold too much; a packet later than that is dropped (counted
                    // nowhere better than in the gap it leaves).
                    delay: min(delay + reorder + 5_000_000, 60_000_000_000),
                    end: (totalFrames + 256) * legRate / sampleRate + 256
                )
            )
        }
        self.call = call
        legAvailable = [Int](repeating: 0, count: legs.count)
        isHolding = [Bool](repeating: false, count: replays.count)
        meters = CallMeters(
            timeline: timeline,
            call: call,
            replayStreams: replays.map(\.stream),
            replayLanes: replays.map(\.leg),
            sampleRate: sampleRate,
            totalFrames: totalFrames,
            picture: picture
        )
    }

    /// The rate a leg is rendered at (gaps filled, concealment) before it is brought to the call's: its natural
    /// rate, 8 kHz or 16 kHz (SPEC §3.8), unless the output is asked above 16 kHz and the leg carries audio above
    /// 16 kHz (Opus, Speex ultra-wideband, L16): then the lower of the output's rate and the leg's highest codec
    /// rate, so that a 48 kHz recording of an Opus leg keeps its full band.
    static func legRate(natural: Int, codecRates: [Int], outputRate: Int) -> Int {
        guard outputRate > 16000, let highest = codecRates.max(), highest > 16000 else { return natural }
        return min(outputRate, highest)
    }

    /// The call with each leg's gap map as rendered so far (complete after `finish` and the last `render`).
    public var renderedCall: Call {
        var result = call
        for index in result.legs.indices {
            let channel = result.legs[index].side.channel
            result.legs[index].gaps = legs.first { $0.channel == channel }?.renderer.gaps ?? []
        }
        return result
    }

    /// Takes the next packet of pass 2 (any packet of the capture, in capture order; other calls' are ignored).
    ///
    /// Every decision (what the reorder buffers release, where a gap is concealed or silenced) is taken here, at
    /// the capture time of each packet, so the recording depends only on the packets and never on how the
    /// capture's bytes were cut into chunks or when ``render(maxFrames:left:right:)`` is called.
    public mutating func add(_ packet: MediaPacket) {
        // Clamped as pass 1 clamped it (CallTimelineBuilder.arrivalRange), so both passes agree on every time.
        var packet = packet
        packet.arrival = CallTimelineBuilder.clamp(packet.arrival)
        now = max(now, packet.arrival)
        let key = StreamKey(source: packet.source, destination: packet.destination, ssrc: packet.ssrc)
        if let index = replayIndex[key] {
            // Mutated in place: a copy would duplicate the replay's sequence window on every packet.
            replays[index].replay.add(packet)
            meters.arrived(packet, replay: index)
            if !isHolding[index] {
                isHolding[index] = true
                holding.append(index)
            }
        }
        pump()
    }

    /// Whether packets of this stream matter to the call being rendered.
    package func renders(_ key: StreamKey) -> Bool { replayIndex[key] != nil }

    /// The capture records that hold the packets of the call's streams, from the first's to the last's (pass 1's
    /// count); nil for a call without streams.
    package var packetNumbers: ClosedRange<Int>? {
        let ranges = replays.map { timeline.streams[$0.stream].packetNumbers }
        guard let first = ranges.map(\.lowerBound).min(), let last = ranges.map(\.upperBound).max() else { return nil }
        return first...last
    }

    /// The capture time up to which, while no packet of the call has come, moving the clock changes nothing: a
    /// leg is rendered only once the clock is past the call's start by the leg's delay (``pump()``).
    package var quietUntil: Int64 {
        legs.indices.map { call.start &+ legs[$0].delay }.min() ?? .max
    }

    /// Whether the recording is decided up to ``finish()``: no packet of the call is held, and every leg has been
    /// rendered as far as the clock can take it before the end (so until another packet of the call comes,
    /// moving the clock changes nothing). After the call's last packet the rest of the capture need not be read.
    package var isSettled: Bool {
        guard holding.isEmpty else { return false }
        return legs.indices.allSatisfy { leg in
            Self.position(now &- legs[leg].delay, callStart: call.start, rate: legs[leg].rate) >= legs[leg].end
        }
    }

    /// Tells the renderer that capture time has reached `time` (packets of no interest still move the clock).
    public mutating func observe(time: Int64) {
        let time = CallTimelineBuilder.clamp(time)
        guard time > now else { return }
        now = time
        pump()
    }

    /// The end of pass 2: everything still held is released and rendered.
    public mutating func finish() {
        finished = true
        now = .max
        pump()
    }

    /// Frames complete and not yet rendered: what ``render(maxFrames:left:right:)`` would hand out now.
    public var readyFrames: Int {
        var ready = totalFrames - renderedFrames
        for available in legAvailable { ready = min(ready, available) }
        return ready
    }

    /// Appends up to `maxFrames` frames that are complete (left only for mono) and returns how many; 0 when
    /// nothing more is ready (or the call is done).
    public mutating func render(maxFrames: Int, left: inout [Int16], right: inout [Int16]) -> Int {
        let count = min(maxFrames, readyFrames)
        guard count > 0 else { return 0 }
        scratchA.removeAll(keepingCapacity: true)
        scratchB.removeAll(keepingCapacity: true)
        for leg in legs.indices {
            if legs[leg].channel == 0 {
                legAvailable[leg] = legs[leg].renderer.take(count, into: &scratchA)
            } else {
                legAvailable[leg] = legs[leg].renderer.take(count, into: &scratchB)
            }
        }
        // A leg the call does not have is silence.
        if scratchA.isEmpty { scratchA.append(contentsOf: repeatElement(0, count: count)) }
        if scratchB.isEmpty { scratchB.append(contentsOf: repeatElement(0, count: count)) }
        meters.rendered(scratchA, scratchB)
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

    /// Releases what the reorder buffers may give up and advances each leg to where its positions are complete.
    private mutating func pump() {
        // In replay order, as if every replay were visited, so equal positions keep the same release order.
        if holding.count > 1 { holding.sort() }
        var kept = 0
        for position in holding.indices {
            let index = holding[position]
            released.removeAll(keepingCapacity: true)
            replays[index].replay.release(now: now, into: &released)
            for packet in released { route(packet, replay: index) }
            if replays[index].replay.isEmpty {
                isHolding[index] = false
            } else {
                holding[kept] = index
                kept += 1
            }
        }
        holding.removeLast(holding.count - kept)
        for leg in legs.indices {
            legAvailable[leg] = legs[leg].advance(now: now, callStart: call.start, finished: finished)
        }
    }

    private func position(_ time: Int64, rate: Int) -> Int {
        Self.position(time, callStart: call.start, rate: rate)
    }

    /// The sample position at `rate` of capture time `time` in a call that starts at `callStart`.
    static func position(_ time: Int64, callStart: Int64, rate: Int) -> Int {
        // Clamped to ±27 hours so the multiplication cannot overflow (captures merged across years exist).
        let offset = min(
            max(time.subtractingReportingOverflow(callStart).partialValue, -100_000_000_000_000),
            100_000_000_000_000
        )
        return Int((offset * Int64(rate) + 500_000_000) / 1_000_000_000)
    }

    /// Turns a packet released in sequence order into an item of its leg.
    private mutating func route(_ released: StreamReplay.Released, replay: Int) {
        let index = replays[replay].stream
        let slot = replays[replay].leg
        let packet = released.packet
        let rate = legs[slot].rate
        order += 1
        // Fields are read in place: copying the stream's description per packet showed in the profile.
        let codec = timeline.streams[index].codecs[packet.payloadType] ?? .unknown
        var lost = replays[replay].replay.lostSinceAudio + released.missingBefore
        if codec.isAudio {
            guard
                let segment = timeline.streams[index].segment(
                    payloadType: packet.payloadType,
                    sequence: packet.sequence
                ),
                callSegments.contains(segment)
            else { return }
            let placed = timeline.segments[segment].captureTime(ofTimestamp: packet.timestamp)
            let at = position(placed, rate: rate)
            meters.played(replay: replay, segment: segment, lost: lost, lateness: packet.arrival &- placed)
            legs[slot].renderer.push(
                RenderItem(
                    position: at,
                    order: order,
                    kind: .audio(segment: segment, payload: packet.payload, lostBefore: lost)
                )
            )
            lost = 0
        } else if codec.isComfortNoise || codec.isTelephoneEvent {
            // Placed by the clock of the stream's audio segment that holds this sequence number.
            if let segment = timeline.streams[index].audioSegment(sequence: packet.sequence),
                callSegments.contains(segment)
            {
                let at = position(timeline.segments[segment].captureTime(ofTimestamp: packet.timestamp), rate: rate)
                let kind: RenderItem.Kind =
                    codec.isComfortNoise ? .comfortNoise(level: min(packet.payload.first ?? 127, 127)) : .event
                legs[slot].renderer.push(RenderItem(position: at, order: order, kind: kind))
            }
        }
        replays[replay].replay.lostSinceAudio = lost
    }
}

extension CallTimeline {
    /// A pass-2 renderer for `call` at `sampleRate` (`call.naturalSampleRate` by default: 8000 or 16000; any rate
    /// of `Resampler.supportedRates` on request), decoding with the decoders `decoders` makes (the Swift codecs by
    /// default; the Transcoder gives every codec's); with `picture`, it also draws the picture of the call
    /// (``CallRenderer/picture(title:analysis:)``).
    public func renderer(
        for call: Call,
        sampleRate: Int? = nil,
        layout: ChannelLayout = .stereo,
        decoders: AudioDecoderFactory = .swiftCodecs,
        picture: Bool = false
    ) -> CallRenderer {
        CallRenderer(
            timeline: self,
            call: call,
            sampleRate: sampleRate ?? call.naturalSampleRate,
            layout: layout,
            decoders: decoders,
            picture: picture
        )
    }
}

extension AnalyzedStream {
    /// The audio segment (any audio payload type) whose sequence range holds `sequence`.
    func audioSegment(sequence: Int64) -> Int? {
        var best: (start: Int64, segment: Int)?
        for (payloadType, boundaries) in lanes {
            guard let indices = laneSegments[payloadType] else { continue }
            for (position, start) in boundaries.enumerated() where start <= sequence {
                if best == nil || start > best!.start { best = (start, indices[position]) }
            }
        }
        return best?.segment ?? laneSegments.values.first?.first
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
