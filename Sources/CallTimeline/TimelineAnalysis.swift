import Capture

/// The work behind `CallTimelineBuilder.build`: the stages of SPEC §3 over the pass-1 accumulators.
struct TimelineAnalysis {
    let accumulators: [StreamAccumulator]
    let signalling: [SignallingMessage]
    let options: TimelineOptions

    var streams: [AnalyzedStream] = []
    var summaries: [StreamSummary] = []
    var segments: [PlacedSegment] = []
    var calls: [Call] = []
    var warnings: [String] = []

    init(accumulators: [StreamAccumulator], signalling: [SignallingMessage], options: TimelineOptions) {
        self.accumulators = accumulators
        self.signalling = signalling
        self.options = options
    }

    mutating func run() {
        let dialogs = SIPDialogs(messages: signalling)
        for accumulator in accumulators {
            analyzeStream(accumulator, dialogs: dialogs)
        }
        assembleCalls(dialogs: dialogs)
    }

    // MARK: Streams (SPEC §3.1, §3.3)

    private mutating func analyzeStream(_ stream: StreamAccumulator, dialogs: SIPDialogs) {
        let index = streams.count
        var codecs: [UInt8: Codec] = [:]
        for (payloadType, lane) in stream.lanes {
            codecs[payloadType] = resolve(payloadType: payloadType, key: stream.key, dialogs: dialogs, lane: lane)
        }
        let expected = stream.unique == 0 ? 0 : Int(stream.highestSequence - stream.lowestSequence + 1)
        let lost = max(0, expected - stream.unique)
        let audioLanes = stream.lanes.values.filter { codecs[$0.payloadType]?.isAudio == true }
            .sorted { $0.segments[0].firstArrival < $1.segments[0].firstArrival }
        let jitter = audioLanes.map { $0.jitter / Double(LaneAccumulator.clockRate) * 1000 }.max() ?? 0

        var reason: String?
        if audioLanes.isEmpty {
            let kinds = codecs.sorted { $0.key < $1.key }
            if kinds.contains(where: { $0.value == .telephoneEvent }) {
                reason = "telephone events only, no audio"
            } else if let unsupported = kinds.first(where: {
                if case .unsupported = $0.value { return true } else { return false }
            }) {
                reason = "unsupported codec \(unsupported.value) (payload type \(unsupported.key))"
            } else if let unknown = kinds.first {
                reason =
                    "unknown payload type \(unknown.key) (not static, not in SDP; give it with --pt \(unknown.key)=CODEC)"
            } else {
                reason = "no packets"
            }
        } else if expected > 2 * stream.unique + 50 {
            // Real RTP counts up by one per packet; payloads that only look like RTP do not.
            reason = "sequence numbers do not progress (\(stream.unique) packets spread over \(expected)): not RTP"
        }

        var laneSegments: [UInt8: [Int]] = [:]
        if reason == nil {
            for (laneIndex, lane) in audioLanes.enumerated() {
                let codec = codecs[lane.payloadType]!
                var indices: [Int] = []
                for (position, accumulated) in lane.segments.enumerated() {
                    let drift = accumulated.measuredDrift()
                    let placement = accumulated.placement(drift: drift ?? 0)
                    var why = accumulated.reason
                    if why == "first" && laneIndex > 0 { why = "codec-change" }
                    indices.append(segments.count)
                    segments.append(
                        PlacedSegment(
                            stream: index,
                            codec: codec,
                            payloadType: lane.payloadType,
                            startSequence: accumulated.startSequence,
                            endSequence: position + 1 < lane.boundaries.count ? lane.boundaries[position + 1] : .max,
                            firstTimestamp: accumulated.firstTimestamp,
                            lowestTimestamp: accumulated.lowestTimestamp,
                            highestTimestamp: accumulated.highestTimestamp,
                            lastPayloadBytes: accumulated.lastPayloadBytes,
                            packets: accumulated.packets,
                            anchor: placement.anchor,
                            drift: drift ?? 0,
                            driftMeasured: drift != nil,
                            maximumDelay: placement.maximumDelay,
                            evidence: accumulated,
                            reason: why
                        )
                    )
                }
                laneSegments[lane.payloadType] = indices
            }
        }

        streams.append(
            AnalyzedStream(
                key: stream.key,
                codecs: codecs,
                lanes: stream.lanes.mapValues(\.boundaries),
                laneSegments: laneSegments,
                maxReorderDelay: stream.maxReorderDelay,
                events: stream.lanes.values.filter { codecs[$0.payloadType] == .telephoneEvent }
                    .flatMap { lane in lane.eventOrder.map { ($0, lane.events[$0]!) } }
            )
        )
        summaries.append(
            StreamSummary(
                key: stream.key,
                payloadTypes: codecs,
                packets: stream.packets,
                firstArrival: stream.firstArrival,
                lastArrival: stream.lastArrival,
                firstPacketNumber: stream.firstPacketNumber,
                lost: lost,
                duplicated: stream.duplicated,
                reordered: stream.reordered,
                late: audioLanes.reduce(0) { $0 + $1.late },
                jitterMilliseconds: jitter,
                skippedReason: reason
            )
        )
    }

    private func resolve(payloadType: UInt8, key: StreamKey, dialogs: SIPDialogs, lane: LaneAccumulator) -> Codec {
        if let codec = options.payloadTypes[payloadType] { return codec }
        if let codec = dialogs.payloadTypes[key.destination]?[payloadType] { return codec }
        if let codec = dialogs.payloadTypes[key.source]?[payloadType] { return codec }
        if let codec = dialogs.anyPayloadTypes[payloadType] { return codec }
        let known = Codec.staticPayloadType(payloadType)
        if known != .unknown { return known }
        // RFC 4733 §2.3: a telephone-event payload is 4 bytes (or a multiple, with redundancy), its event code
        // small. A dynamic type that always looks like that is telephone-event.
        if payloadType >= 96, lane.packets > 0, lane.eventShaped * 10 >= lane.packets * 9 { return .telephoneEvent }
        return .unknown
    }
}
