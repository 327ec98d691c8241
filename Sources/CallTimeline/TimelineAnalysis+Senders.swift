import Capture

/// One sender in one party of a group: the streams of one SSRC (a relay shows the same SSRC on two 5-tuples; it
/// is still one sender), and the span of their audio.
private struct Sender {
    var ssrc: UInt32
    var streams: [Int]
    var start: Int64
    var end: Int64
    var packets: Int
    /// The audio length of its last packet: the packet interval.
    var packetInterval: Int64
}

/// Senders that follow one another (an SSRC change needs the old SSRC to have stopped): one leg's worth.
private struct SenderChain {
    var senders: [Sender] = []
    var end = Int64.min
    var packets: Int { senders.reduce(0) { $0 + $1.packets } }
    var streams: [Int] { senders.flatMap(\.streams) }
}

extension TimelineAnalysis {
    /// The least overlap that makes two SSRCs two senders: a packet interval (SPEC §3.2), never below RFC 3551
    /// §4.2's default of 20 ms, so the few milliseconds two anchors may disagree by never split a leg.
    static let minimumPacketInterval: Int64 = 20_000_000

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
                    let rival = kept.senders.max { overlap(sender, $0) < overlap(sender, $1) } ?? kept.senders[0]
                    for stream in sender.streams {
                        summaries[stream].skippedReason = .concurrentSender(
                            recorded: rival.ssrc,
                            overlapMilliseconds: Int(overlap(sender, rival) / 1_000_000)
                        )
                    }
                }
            }
        }
    }

    /// The senders of a party in chains of senders that follow one another, the chain with the most packets
    /// first (then the earliest). Each sender joins the chain that ended first, if that one ended before the
    /// sender started (within a packet interval); O(n log n) in senders.
    private func senderChains(_ group: StreamGroup, party: Int) -> [SenderChain] {
        var bySSRC: [UInt32: Sender] = [:]
        for segment in group.parties[party] {
            let placed = segments[segment]
            let ssrc = streams[placed.stream].key.ssrc
            let interval =
                Int64(placed.codec.sampleCount(payloadBytes: placed.lastPayloadBytes))
                * 1_000_000_000 / Int64(max(1, placed.codec.sampleRate))
            var sender =
                bySSRC[ssrc]
                ?? Sender(ssrc: ssrc, streams: [], start: .max, end: .min, packets: 0, packetInterval: 0)
            if !sender.streams.contains(placed.stream) { sender.streams.append(placed.stream) }
            sender.start = min(sender.start, placed.start)
            if placed.end >= sender.end { sender.packetInterval = interval }
            sender.end = max(sender.end, placed.end)
            sender.packets += placed.packets
            bySSRC[ssrc] = sender
        }
        let senders = bySSRC.values.sorted { ($0.start, $0.ssrc) < ($1.start, $1.ssrc) }
        var chains: [SenderChain] = []
        var ends = MinHeap<ChainEnd>()
        for sender in senders {
            if let first = ends.minimum {
                let chain = chains[first.chain]
                let tolerance = max(
                    Self.minimumPacketInterval,
                    sender.packetInterval,
                    chain.senders.last?.packetInterval ?? 0
                )
                if first.end <= sender.start &+ tolerance {
                    _ = ends.popMinimum()
                    chains[first.chain].senders.append(sender)
                    chains[first.chain].end = max(chain.end, sender.end)
                    ends.push(ChainEnd(end: chains[first.chain].end, chain: first.chain))
                    continue
                }
            }
            chains.append(SenderChain(senders: [sender], end: sender.end))
            ends.push(ChainEnd(end: sender.end, chain: chains.count - 1))
        }
        return chains.enumerated().sorted {
            ($1.element.packets, $0.offset) < ($0.element.packets, $1.offset)
        }.map(\.element)
    }

    private func overlap(_ a: Sender, _ b: Sender) -> Int64 { max(0, min(a.end, b.end) - max(a.start, b.start)) }
}

/// A chain's end in the heap of `senderChains`.
private struct ChainEnd: HeapOrdered {
    var end: Int64
    var chain: Int

    func precedes(_ other: ChainEnd) -> Bool { (end, chain) < (other.end, other.chain) }
}
