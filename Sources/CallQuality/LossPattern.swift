/// The loss pattern of a packet sequence as a receiver's jitter buffer sees it, accumulated mark by mark: how many
/// packets were due, how many were missing (never arrived, or arrived too late to be played), and in how many runs
/// they went missing, from which the burst ratio BurstR of ITU-T G.107 follows.
///
/// Pass 2 sees each stream's packets in sequence order with the count of sequence numbers missing before each
/// one; it records `.lost` for those, then `.received` (or `.late`, when the packet came later than the jitter
/// buffer would have waited). Memory is constant whatever the length of the call.
public struct LossPattern: Sendable, Equatable {
    /// What became of one packet that was due.
    public enum Mark: Sendable {
        /// Arrived in time to be played.
        case received
        /// Never arrived (a sequence number missing for good).
        case lost
        /// Arrived, but later than the jitter buffer would have waited: lost to a real-time listener.
        case late
    }

    /// Packets due (marks recorded).
    public private(set) var packets = 0
    /// Packets missing to the listener: lost and late.
    public private(set) var missing = 0
    /// Of `missing`, those that arrived late.
    public private(set) var late = 0
    /// Runs of consecutive missing packets.
    public private(set) var bursts = 0
    /// The longest run of consecutive missing packets.
    public private(set) var longestBurst = 0
    private var currentBurst = 0

    public init() {}

    /// Records `count` consecutive packets with the same fate.
    public mutating func record(_ mark: Mark, count: Int = 1) {
        guard count > 0 else { return }
        // A sequence-number jump can claim billions of missing packets; 2⁴⁰ per call keeps every sum far from
        // overflow (the timeline re-anchors such jumps long before).
        let count = min(count, 1 << 40)
        packets += count
        switch mark {
        case .received:
            currentBurst = 0
        case .lost, .late:
            if currentBurst == 0 { bursts += 1 }
            currentBurst += count
            longestBurst = max(longestBurst, currentBurst)
            missing += count
            if mark == .late { late += count }
        }
    }

    /// Adds another sequence's pattern (another stream or segment of the same leg). A run of losses at the end of
    /// one and one at the start of the other stay two runs: they are different senders' packets.
    public mutating func merge(_ other: LossPattern) {
        packets += other.packets
        missing += other.missing
        late += other.late
        bursts += other.bursts
        longestBurst = max(longestBurst, other.longestBurst)
    }

    /// Missing packets in percent of the packets due (Ppl of G.107).
    public var missingPercent: Double {
        packets == 0 ? 0 : Double(missing) * 100 / Double(packets)
    }

    /// BurstR of ITU-T G.107 §3.7: the mean length of the observed runs of missing packets over the mean run
    /// length that random loss at the same rate would give, 1 / (1 − Ppl). 1 when nothing is missing.
    public var burstRatio: Double {
        Self.burstRatio(packets: packets, missing: missing, bursts: bursts)
    }

    /// BurstR from counts: (missing / bursts) · (1 − missing / packets).
    public static func burstRatio(packets: Int, missing: Int, bursts: Int) -> Double {
        guard packets > 0, missing > 0, bursts > 0, missing < packets else { return 1 }
        let observed = Double(missing) / Double(bursts)
        return observed * (1 - Double(missing) / Double(packets))
    }
}
