import Capture
import PayloadFormats

/// The work behind `CallTimelineBuilder.build`: the stages of SPEC §3 over the pass-1 accumulators.
struct TimelineAnalysis {
    /// Pass 1's streams; lanes still holding their packets at the end get their codec here.
    var accumulators: [StreamAccumulator]
    let dialogs: SIPDialogs
    let options: TimelineOptions

    var streams: [AnalyzedStream] = []
    var summaries: [StreamSummary] = []
    var segments: [PlacedSegment] = []
    var calls: [Call] = []
    var warnings: [String] = []
    /// The dialog each stream belongs to, parallel to `accumulators`.
    var attachments: [DialogAttachment?] = []
    /// Audio lanes timed in pass 1 with another codec than the one resolved here (see
    /// `CallTimeline.payloadTypesToRelearn`).
    var relearned: [StreamKey: [UInt8: Codec]] = [:]
    /// SPEC §2.4: pass 1's evidence of encryption and each stream's decryption.
    var encryption = EncryptionInputs()

    init(accumulators: [StreamAccumulator], signalling: [SignallingMessage], options: TimelineOptions) {
        self.accumulators = accumulators
        self.dialogs = SIPDialogs(messages: signalling)
        self.options = options
    }

    mutating func run() {
        attachments = accumulators.map {
            dialogs.attachment(of: $0.key, first: $0.firstArrival, last: $0.lastArrival, margin: options.dialogMargin)
        }
        for index in accumulators.indices {
            resolveHoldingLanes(of: index)
            analyzeStream(index)
        }
        assembleCalls()
        warnSkippedAudio()
    }

    // MARK: Streams (SPEC §3.1, §3.3)

    /// Lanes that never saw their payload type named while pass 1 ran get the codec the whole capture gives them,
    /// and replay their packets with it: exactly what pass 1 would have made knowing it from the start.
    private mutating func resolveHoldingLanes(of index: Int) {
        for (payloadType, lane) in accumulators[index].lanes where lane.isHolding {
            let codec = resolve(payloadType: payloadType, stream: index, lane: lane)
            accumulators[index].lanes[payloadType]?.resolve(codec, options: options, provisional: false)
        }
    }

    private mutating func analyzeStream(_ index: Int) {
        let stream = accumulators[index]
        var codecs: [UInt8: Codec] = [:]
        for (payloadType, lane) in stream.lanes {
            let codec = resolve(payloadType: payloadType, stream: index, lane: lane)
            codecs[payloadType] = codec
            // A lane timed with another codec (clock, payload format) than its own: pass 1 must run again.
            if codec.isAudio, lane.codec != codec { relearned[stream.key, default: [:]][payloadType] = codec }
        }
        let expected = stream.unique == 0 ? 0 : Int(stream.highestSequence - stream.lowestSequence + 1)
        let audioLanes = stream.lanes.values.filter { codecs[$0.payloadType]?.isAudio == true }
            .sorted { $0.segments[0].firstArrival < $1.segments[0].firstArrival }
        let reason =
            encryptionSkipReason(index, codecs: codecs)
            ?? skipReason(stream, codecs: codecs, hasAudio: !audioLanes.isEmpty, expected: expected)
        let laneSegments = reason == nil ? placeSegments(of: index, lanes: audioLanes, codecs: codecs) : [:]
        streams.append(
            AnalyzedStream(
                key: stream.key,
                codecs: codecs,
                lanes: stream.lanes.mapValues(\.boundaries),
                laneSegments: laneSegments,
                maxReorderDelay: stream.maxReorderDelay,
                packetNumbers: stream.firstPacketNumber...max(stream.firstPacketNumber, stream.lastPacketNumber),
                events: stream.lanes.values.filter { codecs[$0.payloadType]?.isTelephoneEvent == true }
                    .flatMap { lane in
                        lane.eventOrder.compactMap { start in
                            lane.events[start].map { (start, $0, Int(lane.clockRate)) }
                        }
                    }
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
                lost: max(0, expected - stream.unique),
                duplicated: stream.duplicated,
                reordered: stream.reordered,
                late: audioLanes.reduce(0) { $0 + $1.late },
                jitterMilliseconds: audioLanes.map { $0.jitter / Double($0.clockRate) * 1000 }.max() ?? 0,
                skippedReason: reason,
                dialog: attachments[index]
            )
        )
        summaries[summaries.count - 1].encryption = encryption.decryption[stream.key]
    }

    /// Why a stream gives no audio segments, or nil when it does.
    private func skipReason(
        _ stream: StreamAccumulator,
        codecs: [UInt8: Codec],
        hasAudio: Bool,
        expected: Int
    ) -> StreamSkipReason? {
        if hasAudio {
            // Real RTP counts up by one per packet; payloads that only look like RTP do not. A stream an SDP in the
            // capture names is RTP whatever its numbers say (a capture outage leaves a jump, SPEC §3.2).
            let named = dialogs.isAnnounced(stream.key.source) || dialogs.isAnnounced(stream.key.destination)
            guard !named, expected > 2 * stream.unique + 50 else { return nil }
            return .notRTP(packets: stream.unique, sequenceSpan: expected)
        }
        let kinds = codecs.sorted { $0.key < $1.key }
        if kinds.contains(where: { $0.value.isTelephoneEvent }) { return .telephoneEventsOnly }
        for (payloadType, codec) in kinds {
            if case .unsupported = codec { return .unsupportedCodec(codec, payloadType: payloadType) }
        }
        if let unknown = kinds.first { return .unknownPayloadType(unknown.key) }
        return .noPackets
    }

    /// The segments of a stream's audio lanes, placed on the capture clock (SPEC §3.4); their indices per
    /// payload type.
    private mutating func placeSegments(
        of index: Int,
        lanes audioLanes: [LaneAccumulator],
        codecs: [UInt8: Codec]
    ) -> [UInt8: [Int]] {
        var laneSegments: [UInt8: [Int]] = [:]
        for (laneIndex, lane) in audioLanes.enumerated() {
            guard let codec = codecs[lane.payloadType] else { continue }
            var indices: [Int] = []
            for (position, accumulated) in lane.segments.enumerated() {
                let drift = accumulated.measuredDrift()
                let placement = accumulated.placement(drift: drift ?? 0)
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
                        lastDurationTicks: accumulated.lastDurationTicks,
                        packets: accumulated.packets,
                        anchor: placement.anchor,
                        drift: drift ?? 0,
                        driftMeasured: drift != nil,
                        maximumDelay: placement.maximumDelay,
                        evidence: accumulated,
                        reason: accumulated.reason == .first && laneIndex > 0 ? .codecChange : accumulated.reason
                    )
                )
            }
            laneSegments[lane.payloadType] = indices
        }
        return laneSegments
    }

    /// The codec of a payload type (SPEC §2.3): the user's `--pt`, then the SDP of the stream's own dialog (the
    /// receiver's map first: RFC 3264 §5.1, an offer's payload types are those its author receives), then any
    /// SDP naming its endpoints, then any mapping in the capture, then the static table.
    private func resolve(payloadType: UInt8, stream index: Int, lane: LaneAccumulator) -> Codec {
        let key = accumulators[index].key
        if let codec = options.streamPayloadTypes[key]?[payloadType] { return codec }
        if let codec = options.payloadTypes[payloadType] { return codec }
        if let dialog = attachments[index]?.dialog {
            let maps = dialogs.dialogs[dialog].payloadTypes
            if let codec = maps[key.destination]?[payloadType] ?? maps[key.source]?[payloadType] { return codec }
        }
        if let codec = dialogs.payloadTypes[key.destination]?[payloadType] { return codec }
        if let codec = dialogs.payloadTypes[key.source]?[payloadType] { return codec }
        if let codec = dialogs.anyPayloadTypes[payloadType] { return codec }
        let known = Codec.staticPayloadType(payloadType)
        if known != .unknown { return known }
        // A dynamic type that always looks like RFC 4733 events is telephone-event.
        if payloadType >= 96, lane.looksLikeEvents { return .telephoneEvent(clockRate: 8000) }
        return .unknown
    }

    /// A skipped stream that may have carried audio is said in the warnings, which the CLI prints on stderr
    /// (SPEC §3.2: never silent).
    private mutating func warnSkippedAudio() {
        for summary in summaries {
            guard let reason = summary.skippedReason, reason.mayCarryAudio else { continue }
            warnings.append("stream \(summary.key) not recorded: \(reason)")
        }
    }
}
