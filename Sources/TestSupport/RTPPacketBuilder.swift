/// Builds an RTP packet (RFC 3550 §5.1) with every header feature: CSRCs, a header extension (raw, or RFC 8285
/// one-/two-byte elements), padding, marker.
public struct RTPPacketBuilder: Sendable, Hashable {
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var marker: Bool
    public var csrcs: [UInt32]
    /// Profile-defined extension: (profile, data padded to 4 octets). Use `oneByteExtension`/`twoByteExtension`.
    public var headerExtension: (profile: UInt16, data: [UInt8])? {
        get { extensionProfile.map { ($0, extensionData) } }
        set {
            extensionProfile = newValue?.profile
            extensionData = newValue?.data ?? []
        }
    }
    /// Padding octets to append (the last holds the count), 0 for none.
    public var paddingLength: Int
    public var payload: [UInt8]

    private var extensionProfile: UInt16?
    private var extensionData: [UInt8] = []

    public init(
        payloadType: UInt8 = 0,
        sequenceNumber: UInt16 = 1,
        timestamp: UInt32 = 0,
        ssrc: UInt32 = 0x1234_5678,
        marker: Bool = false,
        csrcs: [UInt32] = [],
        paddingLength: Int = 0,
        payload: [UInt8] = []
    ) {
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.marker = marker
        self.csrcs = csrcs
        self.paddingLength = paddingLength
        self.payload = payload
    }

    /// Sets an RFC 8285 §4.2 one-byte extension (IDs 1–14, 1–16 data bytes each).
    public mutating func oneByteExtension(_ elements: [(id: UInt8, data: [UInt8])]) {
        var data = [UInt8]()
        for element in elements { data += [element.id << 4 | UInt8(element.data.count - 1)] + element.data }
        headerExtension = (0xBEDE, data)
    }

    /// Sets an RFC 8285 §4.3 two-byte extension (IDs 1–255, 0–255 data bytes each).
    public mutating func twoByteExtension(_ elements: [(id: UInt8, data: [UInt8])], appBits: UInt8 = 0) {
        var data = [UInt8]()
        for element in elements { data += [element.id, UInt8(element.data.count)] + element.data }
        headerExtension = (0x1000 | UInt16(appBits & 0x0F), data)
    }

    public func bytes() -> [UInt8] {
        var first: UInt8 = 0x80 | UInt8(csrcs.count & 0x0F)
        if paddingLength > 0 { first |= 0x20 }
        if extensionProfile != nil { first |= 0x10 }
        var packet: [UInt8] = [first, (marker ? 0x80 : 0) | payloadType & 0x7F]
        packet += PacketBuilder.be16(sequenceNumber) + PacketBuilder.be32(timestamp) + PacketBuilder.be32(ssrc)
        for csrc in csrcs { packet += PacketBuilder.be32(csrc) }
        if let profile = extensionProfile {
            var data = extensionData
            data += [UInt8](repeating: 0, count: (4 - data.count % 4) % 4)
            packet += PacketBuilder.be16(profile) + PacketBuilder.be16(UInt16(data.count / 4)) + data
        }
        packet += payload
        if paddingLength > 0 {
            packet += [UInt8](repeating: 0, count: paddingLength - 1) + [UInt8(paddingLength)]
        }
        return packet
    }

    public static func == (lhs: RTPPacketBuilder, rhs: RTPPacketBuilder) -> Bool { lhs.bytes() == rhs.bytes() }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes()) }
}
