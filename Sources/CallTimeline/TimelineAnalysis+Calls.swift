import Capture

/// The streams of one SIP dialog, or of one endpoint pair when no dialog claims them: one call, or several when
/// nothing was sent for longer than the split limit.
struct StreamGroup {
    var callID: String?
    var dialog: Int?
    /// Segment indices per party: caller (or the pair's lower endpoint as sender) at 0, callee at 1.
    var parties: [[Int]] = [[], []]
    /// Every stream of each party, including event-only streams.
    var streams: [[Int]] = [[], []]

    var hasSIP: Bool { dialog != nil }

    /// Moves the streams in `moving` (and their segments) from `party` to the other party.
    mutating func move(_ moving: Set<Int>, from party: Int, segmentStream: (Int) -> Int) {
        let other = 1 - party
        streams[other] += streams[party].filter(moving.contains)
        streams[party].removeAll { moving.contains($0) }
        parties[other] += parties[party].filter { moving.contains(segmentStream($0)) }
        parties[party].removeAll { moving.contains(segmentStream($0)) }
    }

    /// Takes the streams in `dropping` (and their segments) out of `party`.
    mutating func drop(_ dropping: Set<Int>, from party: Int, segmentStream: (Int) -> Int) {
        streams[party].removeAll { dropping.contains($0) }
        parties[party].removeAll { dropping.contains(segmentStream($0)) }
    }
}

extension TimelineAnalysis {
    /// Streams grouped into calls (SPEC §3.2): by SIP dialog where one claims them, else by endpoint pair; the
    /// parties of each group sorted out (relays, their copies, concurrent senders); then split where nothing was sent for
    /// longer than `maximumGap` (SPEC §3.5); numbered in order of start.
    mutating func assembleCalls() {
        var groups = groupStreams()
        for index in groups.indices {
            rebalanceRelay(&groups[index])
            dropRelayCopies(&groups[index])
            separateConcurrentSenders(&groups[index])
        }
        var built: [Call] = []
        for group in groups {
            for cluster in clusterByGap(group) {
                if let call = makeCall(
                    parties: cluster,
                    partyStreams: group.streams,
                    callID: group.callID,
                    hasSIP: group.hasSIP
                ) {
                    built.append(call)
                }
            }
        }
        // Ties broken by the first stream, so the numbering never depends on the order groups were made in.
        built.sort {
            ($0.start, $0.end, $0.legs.first?.streamIndices.min() ?? 0)
                < ($1.start, $1.end, $1.legs.first?.streamIndices.min() ?? 0)
        }
        for index in built.indices { built[index].number = index + 1 }
        // Event-only streams that joined a call are part of it, not skipped.
        for call in built {
            for leg in call.legs {
                for stream in leg.streamIndices where summaries[stream].skippedReason == .telephoneEventsOnly {
                    summaries[stream].skippedReason = nil
                }
            }
        }
        calls = built
        // Every stream lists its own events: one in a call as its leg does (the same events, on the call's
        // timeline), one outside any call timed from its first packet.
        for call in built {
            for leg in call.legs {
                for index in leg.streamIndices where streams[index].codecs.values.contains(where: \.isTelephoneEvent) {
                    summaries[index].dtmf = dtmfEvents(
                        streams: [index],
                        segments: leg.segmentIndices,
                        callStart: call.start
                    )
                }
            }
        }
        // Not those of encrypted streams: their "events" are ciphertext.
        for index in summaries.indices
        where summaries[index].skippedReason.map({ !$0.isEncryptedMedia }) == true
            && streams[index].codecs.values.contains(where: \.isTelephoneEvent)
        {
            summaries[index].dtmf = dtmfEvents(streams: [index], segments: [], callStart: summaries[index].firstArrival)
        }
        warnUnmatchedLeftRule()
    }

    /// A `--left` address or CIDR that no sender of any call matches decides nothing: said as a warning, since it
    /// is most likely a typo (SPEC §3.2: the choice and its reason are in the report).
    private mutating func warnUnmatchedLeftRule() {
        guard case .network = options.left, !calls.isEmpty else { return }
        let matched = calls.contains { call in
            call.legs.contains { leg in
                leg.streamIndices.contains { options.left.contains(streams[$0].key.source.address) }
            }
        }
        guard !matched else { return }
        warnings.append(
            "--left \(options.left) matches no sender in the capture: the left channel is chosen without it"
        )
    }

    /// One group per dialog that claims streams, one per endpoint pair of the others; each stream in the party
    /// that sent it. Streams with neither audio nor events stay out.
    private func groupStreams() -> [StreamGroup] {
        var groups: [StreamGroup] = []
        var groupByDialog: [Int: Int] = [:]
        var groupByPair: [PairKey: Int] = [:]
        var segmentsByStream: [Int: [Int]] = [:]
        for (index, segment) in segments.enumerated() {
            segmentsByStream[segment.stream, default: []].append(index)
        }
        for index in streams.indices {
            let hasAudio = segmentsByStream[index] != nil
            guard hasAudio || summaries[index].skippedReason == .telephoneEventsOnly else { continue }
            let group: Int
            let party: Int
            if let attachment = attachments[index] {
                group =
                    groupByDialog[attachment.dialog]
                    ?? {
                        groups.append(StreamGroup(callID: attachment.callID, dialog: attachment.dialog))
                        groupByDialog[attachment.dialog] = groups.count - 1
                        return groups.count - 1
                    }()
                party = attachment.sender == .caller ? 0 : 1
            } else {
                let key = streams[index].key
                let pair = PairKey(key.source, key.destination)
                group =
                    groupByPair[pair]
                    ?? {
                        groups.append(StreamGroup())
                        groupByPair[pair] = groups.count - 1
                        return groups.count - 1
                    }()
                party = key.source == pair.low ? 0 : 1
            }
            groups[group].parties[party] += segmentsByStream[index] ?? []
            groups[group].streams[party].append(index)
        }
        return groups
    }

    /// One party cannot send two streams at once: when SDP puts concurrent streams on one side and nothing on the
    /// other (a media relay in the path, both directions matching one party's addresses), the streams not sent
    /// from that party's own media endpoints are the other party's.
    private func rebalanceRelay(_ group: inout StreamGroup) {
        guard let dialog = group.dialog else { return }
        for (party, other) in [(0, 1), (1, 0)] where group.streams[other].isEmpty {
            let own = dialogs.dialogs[dialog].media(of: party == 0 ? .caller : .callee)
            let members = group.streams[party]
            let foreign = members.filter { !own.contains(streams[$0].key.source) }
            let native = members.filter { own.contains(streams[$0].key.source) }
            guard !foreign.isEmpty, !native.isEmpty, overlapping(native, foreign) else { continue }
            group.move(Set(foreign), from: party, segmentStream: { segments[$0].stream })
        }
    }

    /// Whether two sets of streams were active at the same time for most of the shorter one.
    func overlapping(_ a: [Int], _ b: [Int]) -> Bool {
        func span(_ set: [Int]) -> (Int64, Int64) {
            (
                set.map { summaries[$0].firstArrival }.min() ?? 0,
                set.map { summaries[$0].lastArrival }.max() ?? 0
            )
        }
        let (startA, endA) = span(a)
        let (startB, endB) = span(b)
        let overlap = Double(min(endA, endB)) - Double(max(startA, startB))
        return overlap > 0 && overlap * 2 > Double(min(endA &- startA, endB &- startB))
    }

    /// The group's segments in clusters separated by more than `maximumGap` of silence (SPEC §3.5), each cluster
    /// as the segments of each party.
    private func clusterByGap(_ group: StreamGroup) -> [[[Int]]] {
        let all = (group.parties[0] + group.parties[1]).sorted { segmentStart($0) < segmentStart($1) }
        var clusters: [Set<Int>] = []
        var clusterEnd = Int64.min
        for segment in all {
            if clusters.isEmpty || segmentStart(segment) > clusterEnd + options.maximumGap {
                clusters.append([])
                clusterEnd = Int64.min
            }
            clusters[clusters.count - 1].insert(segment)
            clusterEnd = max(clusterEnd, segmentEnd(segment))
        }
        return clusters.map { members in group.parties.map { $0.filter(members.contains) } }
    }

    func segmentStart(_ index: Int) -> Int64 { segments[index].start }

    func segmentEnd(_ index: Int) -> Int64 { segments[index].end }
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
