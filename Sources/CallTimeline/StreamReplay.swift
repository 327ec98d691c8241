/// Pass 2 over one stream of the call being rendered: the same sequence tracking as pass 1 (same verdicts on
/// duplicates), and a reorder buffer that hands packets on in sequence order. A packet is released as soon as
/// it is the next one, or once it has waited as long as pass 1 saw any packet held up behind a later one — by
/// then every packet before it has arrived (SPEC §3.3: offline, nothing is dropped for being late).
struct StreamReplay: Sendable {
    struct Pending: Sendable {
        var sequence: Int64
        var timestamp: Int64
        var arrival: Int64
        var payloadType: UInt8
        var marker: Bool
        var payload: [UInt8]
    }

    /// A packet handed on in sequence order, with the number of sequence numbers missing just before it.
    struct Released: Sendable {
        var packet: Pending
        var missingBefore: Int
    }

    private var tracker = SequenceTracker()
    private var buffer = MinHeap<Pending>()
    private var lastReleased: Int64?
    let reorderDelay: Int64
    /// Sequence numbers missing since the stream's last audio packet (carried past event and CN packets).
    var lostSinceAudio = 0

    init(reorderDelay: Int64) {
        self.reorderDelay = reorderDelay
    }

    /// Takes the stream's next packet in capture order.
    mutating func add(_ packet: MediaPacket) {
        let verdict = tracker.track(
            sequenceNumber: packet.sequenceNumber,
            timestamp: packet.timestamp,
            arrival: packet.arrival
        )
        guard !verdict.isDuplicate else { return }
        buffer.push(
            Pending(
                sequence: verdict.sequence,
                timestamp: verdict.timestamp,
                arrival: packet.arrival,
                payloadType: packet.payloadType,
                marker: packet.marker,
                payload: packet.payload
            )
        )
    }

    /// Whether no packet is held.
    var isEmpty: Bool { buffer.isEmpty }

    /// Releases every packet that is due at capture time `now` (all of them when `now` is `.max`).
    mutating func release(now: Int64, into out: inout [Released]) {
        while let top = buffer.minimum {
            let isNext = lastReleased.map { top.sequence == $0 + 1 } ?? false
            guard isNext || now == .max || now &- top.arrival >= reorderDelay else { return }
            _ = buffer.popMinimum()
            if let last = lastReleased, top.sequence <= last { continue }
            let missing = lastReleased.map { Int(top.sequence - $0 - 1) } ?? 0
            lastReleased = top.sequence
            out.append(Released(packet: top, missingBefore: missing))
        }
    }
}

extension StreamReplay.Pending: HeapOrdered {
    func precedes(_ other: StreamReplay.Pending) -> Bool { sequence < other.sequence }
}
