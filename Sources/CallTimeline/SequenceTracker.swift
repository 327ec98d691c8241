/// Unwraps a 16- or 32-bit RTP counter into a monotonic 64-bit value, choosing for each new value the
/// candidate closest to the previous one (RFC 3550 §A.1 does this for sequence numbers; the same rule serves
/// timestamps, which wrap at 2^32).
struct CounterUnwrapper: Sendable {
    let modulus: Int64
    private var last: Int64?

    init(bits: Int) {
        modulus = Int64(1) << Int64(bits)
    }

    mutating func unwrap(_ value: UInt32) -> Int64 {
        let raw = Int64(value)
        guard let last else {
            // Start one full cycle up so values slightly before the first (reordering) stay positive.
            let first = modulus + raw
            self.last = first
            return first
        }
        let base = last - (last % modulus)
        var best = base + raw
        if abs(base + raw - modulus - last) < abs(best - last) { best = base + raw - modulus }
        if abs(base + raw + modulus - last) < abs(best - last) { best = base + raw + modulus }
        self.last = best
        return best
    }
}

/// What the two passes over a stream agree on, packet by packet: the extended sequence number and timestamp,
/// and whether the packet is a duplicate. Both passes run it over the same packets in the same order, so they
/// reach the same verdicts with bounded memory (a window of the last 4096 sequence numbers).
///
/// The window's ring starts at 16 slots and doubles, up to 4096, whenever a new sequence number would take the
/// slot of another one: the verdicts are those of a 4096-slot ring (nothing is dropped before that size), but
/// a stream of a few packets costs a few hundred bytes instead of 64 KiB, so thousands of short streams (an SSRC
/// per packet, hostile or not) stay small in both passes.
struct SequenceTracker: Sendable {
    static let window = 4096
    static let initialWindow = 16

    private var sequences = CounterUnwrapper(bits: 16)
    private var timestamps = CounterUnwrapper(bits: 32)
    /// Arrival time of each recent sequence number (slot = sequence mod window), tagged with the sequence.
    private var slots = [(sequence: Int64, arrival: Int64)](repeating: (-1, 0), count: initialWindow)
    private(set) var highest: Int64 = .min

    struct Verdict {
        var sequence: Int64
        var timestamp: Int64
        /// Seen before (same sequence number), or older than the window: dropped.
        var isDuplicate: Bool
        /// Arrived after a packet with a higher sequence number.
        var isReordered: Bool
        /// For a reordered packet: how long after the first higher-numbered packet it arrived.
        var reorderDelay: Int64
    }

    mutating func track(sequenceNumber: UInt16, timestamp: UInt32, arrival: Int64) -> Verdict {
        let sequence = sequences.unwrap(UInt32(sequenceNumber))
        let extended = timestamps.unwrap(timestamp)
        var verdict = Verdict(
            sequence: sequence,
            timestamp: extended,
            isDuplicate: false,
            isReordered: false,
            reorderDelay: 0
        )
        if highest != .min && sequence <= highest - Int64(Self.window) {
            verdict.isDuplicate = true
            return verdict
        }
        // Sequence numbers here are above highest − 4096 ≥ 2^16 − 4096 (the unwrapper starts a cycle up), so the
        // slot indices are never negative.
        var slot = Int(sequence % Int64(slots.count))
        if slots[slot].sequence == sequence {
            verdict.isDuplicate = true
            return verdict
        }
        while slots[slot].sequence >= 0 && slots.count < Self.window {
            grow()
            slot = Int(sequence % Int64(slots.count))
        }
        slots[slot] = (sequence, arrival)
        if highest != .min && sequence < highest {
            verdict.isReordered = true
            // The earliest arrival among the higher-numbered packets seen: how long this one was held up.
            var earliest = Int64.max
            var probe = sequence + 1
            while probe <= highest {
                let entry = slots[Int(probe % Int64(slots.count))]
                if entry.sequence == probe { earliest = min(earliest, entry.arrival) }
                probe += 1
            }
            if earliest != .max { verdict.reorderDelay = max(0, arrival &- earliest) }
        }
        highest = max(highest, sequence)
        return verdict
    }

    /// Doubles the ring. Entries that did not share a slot modulo n do not share one modulo 2n.
    private mutating func grow() {
        let old = slots
        slots = [(sequence: Int64, arrival: Int64)](repeating: (-1, 0), count: old.count * 2)
        for entry in old where entry.sequence >= 0 {
            slots[Int(entry.sequence % Int64(slots.count))] = entry
        }
    }
}
