import Capture

extension TimelineAnalysis {
    /// A call of a cluster of segments: the parties' drift shared, the left party chosen, the legs made.
    mutating func makeCall(parties: [[Int]], partyStreams: [[Int]], callID: String?, hasSIP: Bool) -> Call? {
        shareDrift(parties)
        let all = parties[0] + parties[1]
        guard let start = all.map(segmentStart).min(), let end = all.map(segmentEnd).max() else { return nil }
        let (leftParty, reason) = chooseLeft(parties: parties, hasSIP: hasSIP)
        var legs: [Leg] = []
        for (side, party) in [(LegSide.a, leftParty), (.b, 1 - leftParty)] where !parties[party].isEmpty {
            legs.append(
                makeLeg(
                    side: side,
                    segmentIndices: parties[party],
                    streamIndices: partyStreams[party],
                    callStart: start
                )
            )
        }
        var call = Call(number: 0, sipCallID: callID, start: start, end: end, legs: legs, channelReason: reason)
        // The caller is party 0 of a dialog's group; the left party is A.
        if hasSIP { call.callerSide = leftParty == 0 ? .a : .b }
        return call
    }

    /// Shares a measured drift with the short segments of the same party: one sender, one clock.
    private mutating func shareDrift(_ parties: [[Int]]) {
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
    }

    /// Which party goes on the left, and why in words (SPEC §3.2).
    private func chooseLeft(parties: [[Int]], hasSIP: Bool) -> (party: Int, reason: String) {
        let firstArrival = parties.map { party in party.map(segmentStart).min() ?? Int64.max }
        let automaticLeft = firstArrival[0] <= firstArrival[1] ? 0 : 1
        switch options.left {
        case .automatic:
            return hasSIP
                ? (0, "caller per SIP INVITE") : (automaticLeft, "first packet (no SIP in the capture)")
        case .caller, .callee:
            guard hasSIP else {
                return (automaticLeft, "first packet (--left \(options.left) needs SIP, none in the capture)")
            }
            return options.left == .caller
                ? (0, "caller per SIP INVITE") : (1, "callee per SIP INVITE (--left callee)")
        case .network:
            let inside = parties.map { party in
                party.contains { options.left.contains(streams[segments[$0].stream].key.source.address) }
            }
            if inside[0] != inside[1] {
                return (inside[0] ? 0 : 1, "sender inside --left \(options.left)")
            }
            return (
                hasSIP ? 0 : automaticLeft,
                (hasSIP ? "caller per SIP INVITE" : "first packet")
                    + " (--left \(options.left) matches \(inside[0] ? "both legs" : "neither leg"))"
            )
        }
    }

    private func makeLeg(side: LegSide, segmentIndices: [Int], streamIndices: [Int], callStart: Int64) -> Leg {
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
                    reason: summaries.isEmpty ? .first : (segment.reason == .first ? .ssrcChange : segment.reason)
                )
            )
        }
        let firstKey = streams[segments[ordered[0]].stream].key
        var leg = Leg(
            side: side,
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
