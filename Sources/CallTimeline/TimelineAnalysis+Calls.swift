import Capture

extension TimelineAnalysis {
    /// Streams grouped into calls: by SIP dialog where the SDP names their endpoints, else by endpoint pair;
    /// then split where nothing was sent for longer than `maximumGap` (SPEC §3.2, §3.5).
    mutating func assembleCalls(dialogs: SIPDialogs) {
        struct Group {
            var callID: String?
            var callerIndex: Int?
            var dialog: Int?
            /// Segment indices per party: caller/first endpoint at 0, callee/second at 1.
            var parties: [[Int]] = [[], []]
            /// Every stream of each party, including event-only streams.
            var streams: [[Int]] = [[], []]
        }
        var groups: [Group] = []
        var groupBySIP: [Int: Int] = [:]
        var groupByPair: [PairKey: Int] = [:]

        func place(stream index: Int) -> (group: Int, party: Int)? {
            let key = streams[index].key
            if let owner = dialogs.owner(of: key) {
                let group =
                    groupBySIP[owner.dialog]
                    ?? {
                        groups.append(
                            Group(callID: dialogs.dialogs[owner.dialog].callID, callerIndex: 0, dialog: owner.dialog)
                        )
                        groupBySIP[owner.dialog] = groups.count - 1
                        return groups.count - 1
                    }()
                return (group, owner.fromCaller ? 0 : 1)
            }
            let pair = PairKey(key.source, key.destination)
            let group =
                groupByPair[pair]
                ?? {
                    groups.append(Group())
                    groupByPair[pair] = groups.count - 1
                    return groups.count - 1
                }()
            return (group, key.source == pair.low ? 0 : 1)
        }

        var segmentsByStream: [Int: [Int]] = [:]
        for (index, segment) in segments.enumerated() {
            segmentsByStream[segment.stream, default: []].append(index)
        }
        for index in streams.indices {
            let hasAudio = segmentsByStream[index] != nil
            let hasEvents = streams[index].codecs.values.contains(.telephoneEvent)
            guard hasAudio || (hasEvents && summaries[index].skippedReason == "telephone events only, no audio")
            else { continue }
            guard let (group, party) = place(stream: index) else { continue }
            groups[group].parties[party] += segmentsByStream[index] ?? []
            groups[group].streams[party].append(index)
        }

        // One party cannot send two streams at once: when SDP puts concurrent streams on one side and nothing on
        // the other (a media relay in the path, both directions matching one party's addresses), the streams
        // not sent from that party's own media endpoints are the other party's.
        for index in groups.indices {
            guard let dialog = groups[index].dialog else { continue }
            for (party, other) in [(0, 1), (1, 0)] where groups[index].streams[other].isEmpty {
                let own = party == 0 ? dialogs.dialogs[dialog].callerMedia : dialogs.dialogs[dialog].calleeMedia
                let members = groups[index].streams[party]
                let foreign = members.filter { !own.contains(streams[$0].key.source) }
                let native = members.filter { own.contains(streams[$0].key.source) }
                guard !foreign.isEmpty, !native.isEmpty, overlapping(native, foreign) else { continue }
                groups[index].streams[party] = native
                groups[index].streams[other] = foreign
                let moving = Set(foreign)
                groups[index].parties[other] = groups[index].parties[party].filter {
                    moving.contains(segments[$0].stream)
                }
                groups[index].parties[party].removeAll { moving.contains(segments[$0].stream) }
            }
        }

        var built: [Call] = []
        for group in groups {
            let all = (group.parties[0] + group.parties[1]).sorted { segmentStart($0) < segmentStart($1) }
            guard !all.isEmpty else { continue }
            // Clusters of segments separated by more than `maximumGap` become separate calls.
            var clusters: [[Int]] = []
            var clusterEnd = Int64.min
            for segment in all {
                if clusters.isEmpty || segmentStart(segment) > clusterEnd + options.maximumGap {
                    clusters.append([])
                    clusterEnd = Int64.min
                }
                clusters[clusters.count - 1].append(segment)
                clusterEnd = max(clusterEnd, segmentEnd(segment))
            }
            for cluster in clusters {
                let members = Set(cluster)
                let parties = group.parties.map { $0.filter(members.contains) }
                if let call = makeCall(
                    parties: parties,
                    partyStreams: group.streams,
                    callID: group.callID,
                    hasSIP: group.callerIndex != nil
                ) {
                    built.append(call)
                }
            }
        }
        built.sort { $0.start < $1.start }
        for index in built.indices { built[index].number = index + 1 }
        // Event-only streams that joined a call are part of it, not skipped.
        for call in built {
            for leg in call.legs {
                for stream in leg.streamIndices where summaries[stream].skippedReason != nil {
                    summaries[stream].skippedReason = nil
                }
            }
        }
        calls = built
        for index in summaries.indices
        where summaries[index].skippedReason != nil && streams[index].codecs.values.contains(.telephoneEvent) {
            summaries[index].dtmf = dtmfEvents(streams: [index], segments: [], callStart: summaries[index].firstArrival)
        }
    }

    /// Whether two sets of streams were active at the same time for most of the shorter one.
    func overlapping(_ a: [Int], _ b: [Int]) -> Bool {
        func span(_ set: [Int]) -> (Int64, Int64) {
            (set.map { summaries[$0].firstArrival }.min()!, set.map { summaries[$0].lastArrival }.max()!)
        }
        let (startA, endA) = span(a)
        let (startB, endB) = span(b)
        let overlap = Double(min(endA, endB)) - Double(max(startA, startB))
        return overlap > 0 && overlap * 2 > Double(min(endA &- startA, endB &- startB))
    }

    func segmentStart(_ index: Int) -> Int64 { segments[index].start }

    func segmentEnd(_ index: Int) -> Int64 { segments[index].end }

    private mutating func makeCall(parties: [[Int]], partyStreams: [[Int]], callID: String?, hasSIP: Bool) -> Call? {
        // Share a measured drift with the short segments of the same party: one sender, one clock.
        for party in parties {
            let measured = party.filter { segments[$0].driftMeasured }.map { segments[$0].drift }
            guard !measured.isEmpty else { continue }
            let drift = measured.reduce(0, +) / Double(measured.count)
            for index in party where !segments[index].driftMeasured {
                let placement = segments[index].evidence.placement(drift: drift)
                segments[index].anchor = placement.anchor
                segments[index].maximumDelay = placement.maximumDelay
                segments[index].drift = drift
            }
        }
        let all = parties[0] + parties[1]
        guard !all.isEmpty else { return nil }
        let start = all.map(segmentStart).min()!
        let end = all.map(segmentEnd).max()!

        // Which party is on the left (SPEC §3.2).
        let firstArrival = parties.map { party in party.map(segmentStart).min() ?? Int64.max }
        let automaticLeft = firstArrival[0] <= firstArrival[1] ? 0 : 1
        var leftParty = automaticLeft
        var reason: String
        let firstPacketReason = "first packet (\(hasSIP ? "by rule" : "no SIP in the capture"))"
        switch options.left {
        case .automatic:
            if hasSIP {
                leftParty = 0
                reason = "caller per SIP INVITE"
            } else {
                reason = firstPacketReason
            }
        case .caller, .callee:
            if hasSIP {
                leftParty = options.left == .caller ? 0 : 1
                reason = options.left == .caller ? "caller per SIP INVITE" : "callee per SIP INVITE (--left callee)"
            } else {
                reason = "first packet (--left \(options.left) needs SIP, none in the capture)"
            }
        case .network:
            let inside = parties.map { party in
                party.contains { options.left.contains(streams[segments[$0].stream].key.source.address) }
            }
            if inside[0] != inside[1] {
                leftParty = inside[0] ? 0 : 1
                reason = "sender inside --left \(options.left)"
            } else {
                leftParty = hasSIP ? 0 : automaticLeft
                reason =
                    (hasSIP ? "caller per SIP INVITE" : "first packet")
                    + " (--left \(options.left) matches \(inside[0] ? "both legs" : "neither leg"))"
            }
        }

        var legs: [Leg] = []
        for (label, party) in [("A", leftParty), ("B", 1 - leftParty)] where !parties[party].isEmpty {
            legs.append(
                makeLeg(
                    label: label,
                    segmentIndices: parties[party],
                    streamIndices: partyStreams[party],
                    callStart: start
                )
            )
        }
        return Call(number: 0, sipCallID: callID, start: start, end: end, legs: legs, channelReason: reason)
    }

    private func makeLeg(label: String, segmentIndices: [Int], streamIndices: [Int], callStart: Int64) -> Leg {
        let ordered = segmentIndices.sorted { segmentStart($0) < segmentStart($1) }
        let rate = ordered.map { segments[$0].codec.sampleRate }.max() ?? 8000
        var summaries: [SegmentSummary] = []
        for segmentIndex in ordered {
            let segment = segments[segmentIndex]
            summaries.append(
                SegmentSummary(
                    ssrc: streams[segment.stream].key.ssrc,
                    codec: segment.codec,
                    payloadType: segment.payloadType,
                    packets: segment.packets,
                    start: segment.start,
                    end: segment.end,
                    driftPPM: (1 / (1 + segment.drift) - 1) * 1e6,
                    reason: summaries.isEmpty ? "first" : (segment.reason == "first" ? "ssrc-change" : segment.reason)
                )
            )
        }
        let firstKey = streams[segments[ordered[0]].stream].key
        var leg = Leg(
            label: label,
            source: firstKey.source,
            destination: firstKey.destination,
            streamIndices: streamIndices,
            segments: summaries,
            gaps: [],
            dtmf: dtmfEvents(streams: streamIndices, segments: ordered, callStart: callStart),
            sampleRate: rate
        )
        leg.segmentIndices = ordered
        return leg
    }

    /// RFC 4733 events of a party: one per event start timestamp, the longest duration reported, ended when an
    /// end packet (E bit) was seen. Retransmitted end packets share a sequence number and were dropped as
    /// duplicates.
    func dtmfEvents(streams streamIndices: [Int], segments segmentIndices: [Int], callStart: Int64) -> [DTMFEvent] {
        var events: [(start: Int64, event: DTMFEvent)] = []
        // The segments of each stream, grouped once: filtering every segment for every stream went quadratic
        // on a leg of many one-packet SSRCs (20,000 streams × 20,000 segments).
        var segmentsByStream: [Int: [Int]] = [:]
        for segment in segmentIndices { segmentsByStream[segments[segment].stream, default: []].append(segment) }
        for index in streamIndices {
            let own = segmentsByStream[index] ?? []
            for (timestamp, event) in streams[index].events {
                // Place the event by the audio segment's clock when the stream has one; otherwise by the
                // arrival of its first packet less the duration that packet already reports.
                let start: Int64
                if let segment = own.last(where: { segments[$0].firstTimestamp <= timestamp }) ?? own.first {
                    start = segments[segment].captureTime(ofTimestamp: timestamp)
                } else {
                    start = event.firstArrival &- Int64(event.firstDuration) * 1_000_000_000 / 8000
                }
                events.append(
                    (
                        start,
                        DTMFEvent(
                            digit: Self.digit(event.code),
                            startMilliseconds: Double(start &- callStart) / 1e6,
                            durationMilliseconds: Double(event.maxDuration) / 8,
                            ended: event.ended,
                            volume: event.volume
                        )
                    )
                )
            }
        }
        return events.sorted { $0.start < $1.start }.map(\.event)
    }

    /// RFC 4733 §3.2 Table 1 event codes 0–16.
    static func digit(_ code: UInt8) -> String {
        switch code {
        case 0...9: return String(code)
        case 10: return "*"
        case 11: return "#"
        case 12...15: return String(UnicodeScalar(UInt8(ascii: "A") + code - 12))
        case 16: return "flash"
        default: return "event \(code)"
        }
    }
}

/// An unordered pair of endpoints: both directions of a conversation share it.
struct PairKey: Hashable {
    let low: Endpoint
    let high: Endpoint

    init(_ a: Endpoint, _ b: Endpoint) {
        low = min(a, b)
        high = max(a, b)
    }
}
