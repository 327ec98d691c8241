/// One UDP datagram out of a capture, after link-layer decoding and IP reassembly.
public struct UDPDatagram: Sendable {
    /// Capture time in nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// The 1-based number of the capture record that completed this datagram (as Wireshark numbers frames).
    public var packetNumber: Int
    public var source: Endpoint
    public var destination: Endpoint
    /// The UDP payload. For a snaplen-truncated packet, only the captured part (see `isTruncated`).
    public var payload: [UInt8]
    /// True when the capture holds less of the datagram than was sent (`caplen < len`).
    public var isTruncated: Bool

    public init(
        timestamp: Int64,
        packetNumber: Int,
        source: Endpoint,
        destination: Endpoint,
        payload: [UInt8],
        isTruncated: Bool = false
    ) {
        self.timestamp = timestamp
        self.packetNumber = packetNumber
        self.source = source
        self.destination = destination
        self.payload = payload
        self.isTruncated = isTruncated
    }
}
