/// One TCP segment out of a capture (RFC 9293 §3.1): what the SIP stream reassembler needs of it.
public struct TCPSegment: Sendable {
    /// The control bits of the header's 14th byte (RFC 9293 §3.1; CWR and ECE from RFC 3168).
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let fin = Flags(rawValue: 0x01)
        public static let syn = Flags(rawValue: 0x02)
        public static let rst = Flags(rawValue: 0x04)
        public static let psh = Flags(rawValue: 0x08)
        public static let ack = Flags(rawValue: 0x10)
    }

    /// Capture time in nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// The 1-based number of the capture record.
    public var packetNumber: Int
    public var source: Endpoint
    public var destination: Endpoint
    /// The sequence number of the first payload byte (of the SYN itself on a SYN segment).
    public var sequenceNumber: UInt32
    public var flags: Flags
    /// The captured payload.
    public var payload: [UInt8]
    /// The payload length on the wire: more than `payload.count` when the capture cut the packet (snaplen).
    public var payloadLength: Int

    public init(
        timestamp: Int64,
        packetNumber: Int,
        source: Endpoint,
        destination: Endpoint,
        sequenceNumber: UInt32,
        flags: Flags,
        payload: [UInt8],
        payloadLength: Int? = nil
    ) {
        self.timestamp = timestamp
        self.packetNumber = packetNumber
        self.source = source
        self.destination = destination
        self.sequenceNumber = sequenceNumber
        self.flags = flags
        self.payload = payload
        self.payloadLength = max(payloadLength ?? payload.count, payload.count)
    }
}
