public import Capture

/// One RTP packet as the timeline sees it: where and when it was captured, and its RFC 3550 header fields.
///
/// The timeline does not parse bytes; the capture layer does, and hands over these values (see
/// `CallTimelineBuilder.add(_:)`), so the timeline can be tested with packets stated in code.
public struct MediaPacket: Sendable {
    /// Capture time, nanoseconds since the Unix epoch.
    public var arrival: Int64
    /// The capture record number (1-based), for messages.
    public var packetNumber: Int
    public var source: Endpoint
    public var destination: Endpoint
    public var ssrc: UInt32
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var payloadType: UInt8
    public var marker: Bool
    /// The payload with RTP padding removed.
    public var payload: [UInt8]

    public init(
        arrival: Int64,
        packetNumber: Int,
        source: Endpoint,
        destination: Endpoint,
        ssrc: UInt32,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        payloadType: UInt8,
        marker: Bool,
        payload: [UInt8]
    ) {
        self.arrival = arrival
        self.packetNumber = packetNumber
        self.source = source
        self.destination = destination
        self.ssrc = ssrc
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.payloadType = payloadType
        self.marker = marker
        self.payload = payload
    }
}

/// A stream's identity (SPEC §3.1): the 5-tuple (UDP implied) and the SSRC. The same SSRC on two 5-tuples
/// (a media relay) is two streams.
public struct StreamKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var source: Endpoint
    public var destination: Endpoint
    public var ssrc: UInt32

    public init(source: Endpoint, destination: Endpoint, ssrc: UInt32) {
        self.source = source
        self.destination = destination
        self.ssrc = ssrc
    }

    public var description: String { "\(source) → \(destination) SSRC \(SSRCFormat.hex(ssrc))" }

    public static func < (lhs: StreamKey, rhs: StreamKey) -> Bool {
        (lhs.source, lhs.destination, lhs.ssrc) < (rhs.source, rhs.destination, rhs.ssrc)
    }
}

/// SSRCs are shown as tools show them: `0x` and eight hex digits.
public enum SSRCFormat {
    public static func hex(_ ssrc: UInt32) -> String {
        let digits = String(ssrc, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
