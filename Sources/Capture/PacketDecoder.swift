/// Turns link-layer frames into UDP datagrams and TCP segments: link headers, VLAN/QinQ and MPLS stacks,
/// IPv4/IPv6 (options, extension headers), fragment reassembly, UDP and TCP (SPEC §2.2). Stateful only for
/// reassembly.
///
/// Everything that is not UDP or TCP over IP is counted by reason in `counters` and reported as `.skipped`.
/// Tunnels (GRE/ERSPAN, IP-in-IP, VXLAN, GTP-U) are skipped as `.tunnel`, never decoded into.
public struct PacketDecoder: Sendable {
    /// Bounds on work and memory for hostile or unusual input.
    public struct Limits: Sendable, Hashable {
        /// Most 802.1Q/802.1ad tags (and, separately, MPLS labels) read before giving up.
        public var maxVLANDepth: Int
        /// Most IPv6 extension headers walked per packet.
        public var maxExtensionHeaders: Int
        /// Most datagrams held for reassembly at once.
        public var maxPendingDatagrams: Int
        /// Most fragment bytes held at once.
        public var maxPendingBytes: Int
        /// Most fragments per datagram.
        public var maxFragmentsPerDatagram: Int
        /// Capture-time nanoseconds after which an incomplete datagram is dropped (Linux uses 30 s).
        public var fragmentTimeout: Int64

        public init(
            maxVLANDepth: Int = 8,
            maxExtensionHeaders: Int = 16,
            maxPendingDatagrams: Int = 1_024,
            maxPendingBytes: Int = 16 << 20,
            maxFragmentsPerDatagram: Int = 256,
            fragmentTimeout: Int64 = 30_000_000_000
        ) {
            self.maxVLANDepth = maxVLANDepth
            self.maxExtensionHeaders = maxExtensionHeaders
            self.maxPendingDatagrams = maxPendingDatagrams
            self.maxPendingBytes = maxPendingBytes
            self.maxFragmentsPerDatagram = maxFragmentsPerDatagram
            self.fragmentTimeout = fragmentTimeout
        }
    }

    /// What the decoder has seen so far.
    public struct Counters: Sendable, Hashable {
        public var frames = 0
        public var datagrams = 0
        /// Datagrams put back together from fragments (included in `datagrams`).
        public var reassembled = 0
        /// Datagrams whose captured bytes end before their UDP length (included in `datagrams`).
        public var truncatedDatagrams = 0
        public var fragments = 0
        /// TCP segments decoded (their use is the stream reassembler's business).
        public var segments = 0
        /// Frames skipped, by reason; held datagrams that expire or are evicted count under
        /// `.fragmentTimeout` / `.fragmentLimit`.
        public var skipped: [SkipReason: Int] = [:]

        public init() {}

        public var totalSkipped: Int { skipped.values.reduce(0, +) }
    }

    public let limits: Limits
    public internal(set) var counters = Counters()
    var reassembler: FragmentReassembler

    public init(limits: Limits = Limits()) {
        self.limits = limits
        reassembler = FragmentReassembler(
            maxDatagrams: limits.maxPendingDatagrams,
            maxHeldBytes: limits.maxPendingBytes,
            maxPiecesPerDatagram: limits.maxFragmentsPerDatagram,
            timeout: limits.fragmentTimeout
        )
    }

    /// Datagrams currently held for reassembly.
    public var pendingDatagrams: Int { reassembler.pendingCount }

    /// Decodes one frame.
    public mutating func decode(_ frame: LinkFrame) -> PacketOutcome {
        counters.frames += 1
        let expiredBefore = reassembler.expired
        let evictedBefore = reassembler.evicted
        reassembler.expire(now: frame.timestamp)
        let outcome = decodeLink(frame)
        countReassemblerDrops(expiredBefore: expiredBefore, evictedBefore: evictedBefore)
        switch outcome {
        case .datagram(let datagram):
            counters.datagrams += 1
            if datagram.isTruncated { counters.truncatedDatagrams += 1 }
        case .segment:
            counters.segments += 1
        case .pending:
            break
        case .skipped(let reason):
            counters.skipped[reason, default: 0] += 1
        }
        return outcome
    }

    /// Counts a frame skipped after decoding (a TCP segment that carried no SIP).
    mutating func countSkipped(_ reason: SkipReason) {
        counters.skipped[reason, default: 0] += 1
    }

    /// End of capture: datagrams still missing fragments are dropped and counted as `.fragmentTimeout`.
    public mutating func finish() {
        let expiredBefore = reassembler.expired
        _ = reassembler.flush()
        countReassemblerDrops(expiredBefore: expiredBefore, evictedBefore: reassembler.evicted)
    }

    private mutating func countReassemblerDrops(expiredBefore: Int, evictedBefore: Int) {
        if reassembler.expired > expiredBefore {
            counters.skipped[.fragmentTimeout, default: 0] += reassembler.expired - expiredBefore
        }
        if reassembler.evicted > evictedBefore {
            counters.skipped[.fragmentLimit, default: 0] += reassembler.evicted - evictedBefore
        }
    }
}
