public import Capture

extension PacketBuilder {
    /// A TCP segment (RFC 9293 §3.1): a 20-byte header (no options, window 65,535) with its checksum over the
    /// IPv4 or IPv6 pseudo-header, then the payload.
    public static func tcp(
        source: Endpoint,
        destination: Endpoint,
        sequence: UInt32,
        acknowledgement: UInt32 = 0,
        flags: TCPSegment.Flags,
        payload: [UInt8]
    ) -> [UInt8] {
        var segment = be16(source.port) + be16(destination.port) + be32(sequence) + be32(acknowledgement)
        segment += [5 << 4, flags.rawValue] + be16(0xFFFF) + [0, 0] + [0, 0]
        segment += payload
        var pseudo = source.address.bytes + destination.address.bytes
        let length = segment.count
        pseudo += source.address.isIPv6 ? be32(UInt32(length)) + [0, 0, 0, 6] : [0, 6] + be16(UInt16(length))
        let checksum = internetChecksum(pseudo + segment)
        segment[16] = UInt8(checksum >> 8)
        segment[17] = UInt8(checksum & 0xFF)
        return segment
    }

    /// A complete IP packet holding a TCP segment, IPv4 or IPv6 after the source address.
    public static func tcpPacket(
        source: Endpoint,
        destination: Endpoint,
        sequence: UInt32,
        acknowledgement: UInt32 = 0,
        flags: TCPSegment.Flags,
        payload: [UInt8]
    ) -> [UInt8] {
        let segment = tcp(
            source: source,
            destination: destination,
            sequence: sequence,
            acknowledgement: acknowledgement,
            flags: flags,
            payload: payload
        )
        if source.address.isIPv6 {
            return ipv6(source: source.address, destination: destination.address, nextHeader: 6, payload: segment)
        }
        return ipv4(source: source.address, destination: destination.address, protocolNumber: 6, payload: segment)
    }
}

/// One direction of a TCP connection written segment by segment, for SIP-over-TCP captures: it keeps the
/// sequence numbers, and the test says how the bytes are cut, in which order the segments go, and which are sent
/// twice.
///
/// ```swift
/// var stream = TCPStreamWriter(source: a, destination: b, initialSequence: 1000)
/// stream.connect(into: &writer, at: t)                            // SYN
/// stream.send(invite, cutInto: [300, 488], at: t + 1_000_000, into: &writer)
/// ```
public struct TCPStreamWriter: Sendable {
    public let source: Endpoint
    public let destination: Endpoint
    /// The sequence number of the next byte to send.
    public private(set) var nextSequence: UInt32

    public init(source: Endpoint, destination: Endpoint, initialSequence: UInt32) {
        self.source = source
        self.destination = destination
        nextSequence = initialSequence
    }

    /// The SYN, which takes one sequence number.
    public mutating func connect(into writer: inout CaptureWriter, at timestamp: Int64) {
        writer.addTCP(
            timestamp: timestamp,
            source: source,
            destination: destination,
            sequence: nextSequence,
            flags: .syn,
            payload: []
        )
        nextSequence &+= 1
    }

    /// The segments `bytes` make when cut into pieces of `sizes` (the rest in one more), not yet written.
    public mutating func segments(_ bytes: [UInt8], cutInto sizes: [Int] = []) -> [(sequence: UInt32, payload: [UInt8])]
    {
        var out: [(sequence: UInt32, payload: [UInt8])] = []
        var offset = 0
        for size in sizes + [bytes.count] where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            out.append((nextSequence &+ UInt32(offset), Array(bytes[offset..<end])))
            offset = end
        }
        nextSequence &+= UInt32(bytes.count)
        return out
    }

    /// Writes `bytes` as segments cut into `sizes`, in order, 1 ms apart from `timestamp`.
    public mutating func send(
        _ bytes: [UInt8],
        cutInto sizes: [Int] = [],
        at timestamp: Int64,
        into writer: inout CaptureWriter
    ) {
        for (index, segment) in segments(bytes, cutInto: sizes).enumerated() {
            write(segment, at: timestamp + Int64(index) * 1_000_000, into: &writer)
        }
    }

    /// Writes one segment (as `segments` made it) with PSH and ACK set.
    public func write(
        _ segment: (sequence: UInt32, payload: [UInt8]),
        at timestamp: Int64,
        into writer: inout CaptureWriter
    ) {
        writer.addTCP(
            timestamp: timestamp,
            source: source,
            destination: destination,
            sequence: segment.sequence,
            flags: [.psh, .ack],
            payload: segment.payload
        )
    }
}
