/// SIP over TCP (RFC 3261 §18.3), found by content on any port: each direction of a TCP connection whose bytes
/// start with a SIP start line is put back in sequence-number order (retransmissions dropped, segments that
/// arrive early held), and cut into messages by Content-Length, several per segment or one across several.
///
/// Memory is bounded per flow (one message, and a window of early segments) and in total (the oldest flows are
/// given up first); bytes that never arrive (a capture gap, a snaplen cut) make the flow look for the next start
/// line rather than misframe.
///
/// ```swift
/// var sip = SIPStreamReassembler()
/// let (messages, isSIP) = sip.add(segment)   // for every TCP segment, in capture order
/// ```
public struct SIPStreamReassembler: Sendable {
    public struct Limits: Sendable, Hashable {
        /// The largest message kept; larger ones are skipped and counted (64 KiB: what one UDP datagram holds).
        public var maxMessageBytes: Int
        /// Early (out-of-order) segments held per flow, and their bytes, before the gap before them is given up.
        public var maxHeldSegmentsPerFlow: Int
        public var maxHeldBytesPerFlow: Int
        /// Flows followed at once, and bytes held over all of them.
        public var maxFlows: Int
        public var maxTotalBytes: Int

        public init(
            maxMessageBytes: Int = 65_536,
            maxHeldSegmentsPerFlow: Int = 64,
            maxHeldBytesPerFlow: Int = 65_536,
            maxFlows: Int = 1_024,
            maxTotalBytes: Int = 16 << 20
        ) {
            self.maxMessageBytes = maxMessageBytes
            self.maxHeldSegmentsPerFlow = maxHeldSegmentsPerFlow
            self.maxHeldBytesPerFlow = maxHeldBytesPerFlow
            self.maxFlows = maxFlows
            self.maxTotalBytes = maxTotalBytes
        }
    }

    public struct Counters: Sendable, Hashable {
        public var messages = 0
        /// Segments whose bytes had all been seen already.
        public var retransmissions = 0
        /// Times a flow lost its framing (bytes never captured, garbage, a memory bound) and looked for the next
        /// start line.
        public var resynchronizations = 0
        public var oversizedMessages = 0
        /// Flows given up to stay within `maxFlows` or `maxTotalBytes`.
        public var evictedFlows = 0

        public init() {}
    }

    public let limits: Limits
    public private(set) var counters = Counters()
    private var flows: [FlowKey: SIPStreamFlow] = [:]
    /// Flows in order of creation, for eviction (entries of flows already gone are skipped).
    private var creation: [(key: FlowKey, id: Int)] = []
    private var creationHead = 0
    private var nextID = 0
    private var heldBytes = 0

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Flows followed now, and the bytes they hold.
    public var flowCount: Int { flows.count }
    public var heldByteCount: Int { heldBytes }

    /// Takes the next TCP segment of the capture: returns the SIP messages it completes, in order, and whether
    /// it belongs to a SIP flow (the others are TCP we do not read).
    public mutating func add(_ segment: TCPSegment) -> (messages: [SIPStreamMessage], isSIP: Bool) {
        let key = FlowKey(source: segment.source, destination: segment.destination)
        if segment.flags.contains(.rst) {
            guard let flow = flows.removeValue(forKey: key) else { return ([], false) }
            heldBytes -= flow.heldBytes
            return ([], flow.state == .sip)
        }
        // A SYN that is not a retransmission of the current one opens a new connection on the same addresses.
        if segment.flags.contains(.syn), let flow = flows[key], !flow.isOpened(by: segment) {
            flows[key] = nil
            heldBytes -= flow.heldBytes
        }
        if flows[key] == nil {
            guard let flow = SIPStreamFlow(starting: segment, id: nextID) else { return ([], false) }
            makeRoom(forFlows: 1)
            flows[key] = flow
            creation.append((key, nextID))
            nextID += 1
        }
        guard var flow = flows.removeValue(forKey: key) else { return ([], false) }
        let before = flow.heldBytes
        var messages: [SIPStreamMessage] = []
        flow.take(segment, limits: limits, counters: &counters, into: &messages)
        heldBytes += flow.heldBytes - before
        let isSIP = flow.state == .sip
        if flow.state == .notSIP || flow.finished {
            heldBytes -= flow.heldBytes
        } else {
            flows[key] = flow
        }
        makeRoom(forFlows: 0)
        return (messages, isSIP)
    }

    /// Gives up the oldest flows until one more (or none) fits in `maxFlows` and the held bytes in
    /// `maxTotalBytes`.
    private mutating func makeRoom(forFlows extra: Int) {
        while flows.count + extra > limits.maxFlows || heldBytes > limits.maxTotalBytes,
            creationHead < creation.count
        {
            let (key, id) = creation[creationHead]
            creationHead += 1
            if let flow = flows[key], flow.id == id {
                flows[key] = nil
                heldBytes -= flow.heldBytes
                counters.evictedFlows += 1
            }
        }
        // Entries of flows that ended on their own pile up too: keep the list within twice the flow bound.
        if creation.count - creationHead > 2 * limits.maxFlows + 64 {
            creation = creation[creationHead...].filter { flows[$0.key]?.id == $0.id }
            creationHead = 0
        }
    }
}

/// One direction of a TCP connection.
struct FlowKey: Hashable, Sendable {
    var source: Endpoint
    var destination: Endpoint
}
