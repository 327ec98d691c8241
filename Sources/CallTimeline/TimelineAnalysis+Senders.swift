import Capture

/// A stream's audio in one party of a group, or a sender's (the streams of one SSRC, one after another): when
/// it starts and ends on the call timeline, its packets, and its packet interval.
private struct AudioSpan {
    var ssrc: UInt32
    var streams: [Int]
    var start: Int64
    var end: Int64
    var packets: Int
    /// The audio length of its last packet.
    var packetInterval: Int64

    /// How long two spans overlap (0 when they do not).
    func overlap(_ other: AudioSpan) -> Int64 { max(0, min(end, other.end) - max(start, other.start)) }

    /// Whether two spans overlap by more than a packet interval (SPEC §3.2), never less than RFC 3551 §4.2's
    /// default of 20 ms, so the few milliseconds two anchors may disagree by never count.
    func overlapsBeyondAPacket(_ other: AudioSpan) -> Bool {
        overlap(other) > max(20_000_000, packetInterval, other.packetInterval)
    }
}

/// Senders that follow one another (an SSRC change needs the old SSRC to have stopped): one leg's worth.
private struct SenderChain {
    var senders: [AudioSpan] = []
    var end = Int64.min
    var packets: Int { senders.reduce(0) { $0 + $1.packets } }
    var streams: [Int] { senders.flatMap(\.streams) }
}

extension TimelineAnalysis {
    /// A relay shows one SSRC on two 5-tuples at once (caller → relay, relay → callee): one sender seen twice.
    /// The first copy seen is recorded; the others are listed as copies. The same SSRC on two 5-tuples one after
    /// the other (a port that changed mid-call) stays one sender.
    mutating func dropRelayCopies(_ group: inout StreamGroup) {
        for party in 0..<2 {
            // Per SSRC, the kept stream reaching furthest: spans come in order of start, so the one that overlaps
            // a new span most is that one.
            var furthest: [UInt32: AudioSpan] = [:]
            var copies = Set<Int>()
            for span in streamSpans(group, party: party) {
                if let kept = furthest[span.ssrc], span.overlapsBeyondAPacket(kept) {
                    copies.insert(span.streams[0])
                    summaries[span.streams[0]].skippedReason = .relayCopy(of: streams[kept.streams[0]].key)
                } else if span.end > furthest[span.ssrc]?.end ?? .min {
                    furthest[span.ssrc] = span
                }
            }
            if !copies.isEmpty { group.drop(copies, from: party, segmentStream: { segments[$0].stream }) }
        }
    }

    /// Two SSRCs of one party that overlap by more than a packet interval are two senders (SPEC §3.2; in
    /// rtpdump files both directions arrive between the same pseudo-endpoints). A pair with no other party gives
    /// it the second sender; otherwise each party keeps the sender with the most audio, and the others are
    /// skipped with their reason (and a warning).
    mutating func separateConcurrentSenders(_ group: inout StreamGroup) {
        var chains = [senderChains(group, party: 0), senderChains(group, party: 1)]
        for (party, other) in [(0, 1), (1, 0)] where chains[party].count > 1 && chains[other].isEmpty {
            // With SIP the sides come from the dialog (and relays are sorted out by the relay rule); without it,
            // the direction of a 5-tuple is all there is, and a second sender on it is the other party.
            guard !group.hasSIP else { continue }
            let moving = chains[party].remove(at: 1)
            chains[other] = [moving]
            group.move(Set(moving.streams), from: party, segmentStream: { segments[$0].stream })
        }
        for party in 0..<2 where chains[party].count > 1 {
            let kept = chains[party][0]
            for chain in chains[party].dropFirst() {
                group.drop(Set(chain.streams), from: party, segmentStream: { segments[$0].stream })
                for sender in chain.senders {
                    let rival = kept.senders.max { sender.overlap($0) < sender.overlap($1) } ?? kept.senders[0]
                    for stream in sender.streams {
                        summaries[stream].skippedReason = .concurrentSender(
                            recorded: rival.ssrc,
                            overlapMilliseconds: Int(sender.overlap(rival) / 1_000_000)
                        )
                    }
                }
            }
        }
    }

    /// The audio span of each stream of a party, in order of start (then stream).
    private func streamSpans(_ group: StreamGroup, party: Int) -> [AudioSpan] {
        var byStream: [Int: AudioSpan] = [:]
        for segment in group.parties[party] {
            let placed = segments[segment]
            let interval = placed.lastPacketNanoseconds
            var span =
                byStream[placed.stream]
                ?? AudioSpan(
                    ssrc: streams[placed.stream].key.ssrc,
                    streams: [placed.stream],
                    start: .max,
                    end: .min,
                    packets: 0,
                    packetInterval: 0
                )
            span.start = min(span.start, placed.start)
            if placed.end >= span.end { span.packetInterval = interval }
            span.end = max(span.end, placed.end)
            span.packets += placed.packets
            byStream[placed.stream] = span
        }
        return byStream.values.sorted { ($0.start, $0.streams[0]) < ($1.start, $1.streams[0]) }
    }

    /// The senders of a party (its streams by SSRC) in chains of senders that follow one another, the chain with
    /// the most packets first (then the earliest). Each sender joins the chain that ended first, if that one
    /// ended before the sender started (within a packet interval); O(n log n) in senders.
    private func senderChains(_ group: StreamGroup, party: Int) -> [SenderChain] {
        var bySSRC: [UInt32: AudioSpan] = [:]
        for span in streamSpans(group, party: party) {
            guard var sender = bySSRC[span.ssrc] else {
                bySSRC[span.ssrc] = span
                continue
            }
            sender.streams += span.streams
            sender.start = min(sender.start, span.start)
            if span.end >= sender.end { sender.packetInterval = span.packetInterval }
            sender.end = max(sender.end, span.end)
            sender.packets += span.packets
            bySSRC[span.ssrc] = sender
        }
        let senders = bySSRC.values.sorted { ($0.start, $0.ssrc) < ($1.start, $1.ssrc) }
        var chains: [SenderChain] = []
        var ends = MinHeap<ChainEnd>()
        for sender in senders {
            if let first = ends.minimum, let last = chains[first.chain].senders.last,
                first.end <= sender.start &+ max(20_000_000, sender.packetInterval, last.packetInterval)
            {
                _ = ends.popMinimum()
                chains[first.chain].senders.append(sender)
                chains[first.chain].end = max(chains[first.chain].end, sender.end)
                ends.push(ChainEnd(end: chains[first.chain].end, chain: first.chain))
                continue
            }
            chains.append(SenderChain(senders: [sender], end: sender.end))
            ends.push(ChainEnd(end: sender.end, chain: chains.count - 1))
        }
        return chains.enumerated().sorted {
            ($1.element.packets, $0.offset) < ($0.element.packets, $1.offset)
        }.map(\.element)
    }
}

/// A chain's end in the heap of `senderChains`.
private struct ChainEnd: HeapOrdered {
    var end: Int64
    var chain: Int

    func precedes(_ other: ChainEnd) -> Bool { (end, chain) < (other.end, other.chain) }
}
