/// A SIP message framed out of a TCP byte stream (RFC 3261 §18.3: by Content-Length), as the timeline takes it.
public struct SIPStreamMessage: Sendable {
    /// Capture time of the segment that completed the message.
    public var timestamp: Int64
    public var packetNumber: Int
    public var source: Endpoint
    public var destination: Endpoint
    /// The whole message: start line, headers, blank line and body.
    public var bytes: [UInt8]

    public init(timestamp: Int64, packetNumber: Int, source: Endpoint, destination: Endpoint, bytes: [UInt8]) {
        self.timestamp = timestamp
        self.packetNumber = packetNumber
        self.source = source
        self.destination = destination
        self.bytes = bytes
    }
}
