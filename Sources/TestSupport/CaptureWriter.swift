public import Capture

/// Writes captures in memory: pcap (µs/ns, either byte order), pcapng (several sections and interfaces,
/// if_tsresol/if_tsoffset, EPB/SPB/OPB), and rtpdump; compress the result with `GzipWriter`.
///
/// ```swift
/// var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false), linkType: .ethernet)
/// writer.addUDP(timestamp: ns, source: a, destination: b, payload: rtp)   // link + IP + UDP
/// let bytes = writer.finish()
/// ```
public struct CaptureWriter: Sendable {
    public enum Format: Sendable, Hashable {
        case pcap(nanoseconds: Bool, bigEndian: Bool)
        case pcapng(bigEndian: Bool)
        /// rtpdump with the header naming `address`: where rtpdump received the packets (records become
        /// datagrams from 0.0.0.0:0 to `address`, RTCP to port + 1; sources given to `addUDP` are not stored).
        case rtpdump(address: Endpoint)
    }

    /// pcapng timestamp resolution (if_tsresol): 10^-n or 2^-n seconds.
    public enum TimestampResolution: Sendable, Hashable {
        case decimal(Int)
        case binary(Int)

        var optionByte: UInt8 {
            switch self {
            case .decimal(let exponent): UInt8(exponent)
            case .binary(let exponent): 0x80 | UInt8(exponent)
            }
        }
    }

    /// pcapng packet block kinds.
    public enum PacketBlock: Sendable, Hashable {
        case enhanced
        /// Simple packet block: interface 0, no timestamp.
        case simple
        /// Obsolete packet block (type 2).
        case obsolete
    }

    public struct Interface: Sendable, Hashable {
        public var linkType: LinkType
        public var snapLength: Int
        public var resolution: TimestampResolution
        public var offsetSeconds: Int64

        public init(
            linkType: LinkType,
            snapLength: Int = 262_144,
            resolution: TimestampResolution = .decimal(6),
            offsetSeconds: Int64 = 0
        ) {
            self.linkType = linkType
            self.snapLength = snapLength
            self.resolution = resolution
            self.offsetSeconds = offsetSeconds
        }
    }

    public let format: Format
    public private(set) var interfaces: [Interface] = []
    private var output: [UInt8] = []
    private var bigEndian: Bool
    private var rtpdumpStart: Int64?
    private var rtpdumpRecords: [UInt8] = []

    /// For pcap, `linkType` and `snapLength` go in the file header; for pcapng they describe interface 0 of
    /// the first section (add more with `addInterface`, more sections with `startSection`).
    public init(
        format: Format,
        linkType: LinkType = .ethernet,
        snapLength: Int = 262_144,
        resolution: TimestampResolution = .decimal(6)
    ) {
        self.format = format
        switch format {
        case .pcap(let nanoseconds, let bigEndian):
            self.bigEndian = bigEndian
            interfaces = [Interface(linkType: linkType, snapLength: snapLength)]
            output += u32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4)
            output += u16(2) + u16(4) + u32(0) + u32(0) + u32(UInt32(snapLength)) + u32(linkType.rawValue)
        case .pcapng(let bigEndian):
            self.bigEndian = bigEndian
            startSection(bigEndian: bigEndian)
            addInterface(Interface(linkType: linkType, snapLength: snapLength, resolution: resolution))
        case .rtpdump:
            bigEndian = true
            interfaces = [Interface(linkType: .ipv4)]
        }
    }

    /// Starts a new pcapng section (a new SHB; interfaces start again from 0).
    public mutating func startSection(bigEndian: Bool) {
        self.bigEndian = bigEndian
        interfaces = []
        // SHB: byte-order magic, version 1.0, section length -1 (unknown).
        block(0x0A0D_0D0A, body: u32(0x1A2B_3C4D) + u16(1) + u16(0) + u32(0xFFFF_FFFF) + u32(0xFFFF_FFFF))
    }

    /// Adds a pcapng interface description; returns its index in the current section.
    @discardableResult
    public mutating func addInterface(_ interface: Interface) -> Int {
        var body = u16(UInt16(interface.linkType.rawValue)) + u16(0) + u32(UInt32(interface.snapLength))
        if interface.resolution != .decimal(6) {
            body += option(9, [interface.resolution.optionByte])
        }
        if interface.offsetSeconds != 0 {
            body += option(14, u64(UInt64(bitPattern: interface.offsetSeconds)))
        }
        if body.count > 8 { body += u32(0) }  // opt_endofopt
        block(1, body: body)
        interfaces.append(interface)
        return interfaces.count - 1
    }

    /// Adds a link-layer frame. Frames longer than the snaplen are cut (caplen < len).
    public mutating func addFrame(
        _ data: [UInt8],
        timestamp: Int64,
        interface: Int = 0,
        originalLength: Int? = nil,
        block kind: PacketBlock = .enhanced
    ) {
        let snapLength = interfaces[interface].snapLength
        let captured = snapLength > 0 && data.count > snapLength ? Array(data[0..<snapLength]) : data
        let original = originalLength ?? data.count
        switch format {
        case .pcap(let nanoseconds, _):
            let seconds = timestamp / 1_000_000_000
            let fraction = timestamp % 1_000_000_000 / (nanoseconds ? 1 : 1_000)
            output += u32(UInt32(truncatingIfNeeded: seconds)) + u32(UInt32(fraction))
            output += u32(UInt32(captured.count)) + u32(UInt32(original)) + captured
        case .pcapng:
            let units = self.units(timestamp, interfaces[interface])
            let padded = captured + [UInt8](repeating: 0, count: (4 - captured.count % 4) % 4)
            switch kind {
            case .enhanced:
                block(
                    6,
                    body: u32(UInt32(interface)) + u32(UInt32(units >> 32)) + u32(UInt32(units & 0xFFFF_FFFF))
                        + u32(UInt32(captured.count)) + u32(UInt32(original)) + padded
                )
            case .obsolete:
                block(
                    2,
                    body: u16(UInt16(interface)) + u16(0) + u32(UInt32(units >> 32)) + u32(UInt32(units & 0xFFFF_FFFF))
                        + u32(UInt32(captured.count)) + u32(UInt32(original)) + padded
                )
            case .simple:
                block(3, body: u32(UInt32(original)) + padded)
            }
        case .rtpdump:
            // The frame must be an IPv4/UDP packet (as `addUDP` builds); the record keeps the UDP payload.
            addRTPDumpRecord(payload: Array(data.dropFirst(28)), timestamp: timestamp, isRTCP: nil)
        }
    }

    /// Adds an IP packet wrapped in the interface's link layer.
    public mutating func addIPPacket(
        _ packet: [UInt8],
        timestamp: Int64,
        interface: Int = 0,
        vlanTags: [PacketBuilder.VLANTag] = [],
        block kind: PacketBlock = .enhanced
    ) {
        let frame = PacketBuilder.frame(ipPacket: packet, linkType: interfaces[interface].linkType, vlanTags: vlanTags)
        addFrame(frame, timestamp: timestamp, interface: interface, block: kind)
    }

    /// Adds a UDP datagram with its IP header (v4 or v6 after the source address) and link layer.
    public mutating func addUDP(
        timestamp: Int64,
        source: Endpoint,
        destination: Endpoint,
        payload: [UInt8],
        interface: Int = 0,
        vlanTags: [PacketBuilder.VLANTag] = [],
        ipv4Options: [UInt8] = [],
        ipv6ExtensionHeaders: [PacketBuilder.IPv6ExtensionHeader] = [],
        identification: UInt16 = 0x1234,
        block kind: PacketBlock = .enhanced
    ) {
        if case .rtpdump = format {
            addRTPDumpRecord(payload: payload, timestamp: timestamp, isRTCP: nil)
            return
        }
        let packet = PacketBuilder.udpPacket(
            source: source,
            destination: destination,
            payload: payload,
            ipv4Options: ipv4Options,
            ipv6ExtensionHeaders: ipv6ExtensionHeaders,
            identification: identification
        )
        addIPPacket(packet, timestamp: timestamp, interface: interface, vlanTags: vlanTags, block: kind)
    }

    /// Adds a TCP segment with its IP header (v4 or v6 after the source address) and link layer.
    public mutating func addTCP(
        timestamp: Int64,
        source: Endpoint,
        destination: Endpoint,
        sequence: UInt32,
        acknowledgement: UInt32 = 0,
        flags: TCPSegment.Flags,
        payload: [UInt8],
        interface: Int = 0
    ) {
        let packet = PacketBuilder.tcpPacket(
            source: source,
            destination: destination,
            sequence: sequence,
            acknowledgement: acknowledgement,
            flags: flags,
            payload: payload
        )
        addIPPacket(packet, timestamp: timestamp, interface: interface)
    }

    /// Adds an RTP packet in a UDP datagram (a shorthand for `addUDP` with `packet.bytes()`).
    public mutating func addRTP(
        timestamp: Int64,
        source: Endpoint,
        destination: Endpoint,
        packet: RTPPacketBuilder,
        interface: Int = 0,
        vlanTags: [PacketBuilder.VLANTag] = []
    ) {
        addUDP(
            timestamp: timestamp,
            source: source,
            destination: destination,
            payload: packet.bytes(),
            interface: interface,
            vlanTags: vlanTags
        )
    }

    /// Adds a UDP datagram as `count` IP fragments, in `order` (a permutation of fragment indexes; default in
    /// order), one frame each, `spacing` nanoseconds apart.
    public mutating func addUDPFragments(
        timestamp: Int64,
        source: Endpoint,
        destination: Endpoint,
        payload: [UInt8],
        count: Int,
        order: [Int]? = nil,
        identification: UInt32 = 0x1234,
        spacing: Int64 = 1_000,
        interface: Int = 0,
        vlanTags: [PacketBuilder.VLANTag] = [],
        ipv6ExtensionHeaders: [PacketBuilder.IPv6ExtensionHeader] = []
    ) {
        let fragments = PacketBuilder.udpFragments(
            source: source,
            destination: destination,
            payload: payload,
            count: count,
            identification: identification,
            ipv6ExtensionHeaders: ipv6ExtensionHeaders
        )
        for (position, index) in (order ?? Array(fragments.indices)).enumerated() where index < fragments.count {
            addIPPacket(
                fragments[index],
                timestamp: timestamp + Int64(position) * spacing,
                interface: interface,
                vlanTags: vlanTags
            )
        }
    }

    /// Adds an rtpdump record (RD_packet_t): RTCP (plen 0) when `isRTCP`, or when nil and the packet type is
    /// 200–211.
    public mutating func addRTPDumpRecord(payload: [UInt8], timestamp: Int64, isRTCP: Bool?) {
        let start = rtpdumpStart ?? timestamp / 1_000 * 1_000
        rtpdumpStart = start
        let rtcp = isRTCP ?? (payload.count >= 2 && (200...211).contains(payload[1]))
        let offset = UInt32(truncatingIfNeeded: (timestamp - start) / 1_000_000)
        rtpdumpRecords += PacketBuilder.be16(UInt16(8 + payload.count))
        rtpdumpRecords += PacketBuilder.be16(rtcp ? 0 : UInt16(payload.count))
        rtpdumpRecords += PacketBuilder.be32(offset) + payload
    }

    /// Appends raw bytes (for hostile-input tests).
    public mutating func appendRaw(_ bytes: [UInt8]) { output += bytes }

    /// The capture file.
    public func finish() -> [UInt8] {
        guard case .rtpdump(let address) = format else { return output }
        let start = rtpdumpStart ?? 0
        var file = Array("#!rtpplay1.0 \(address.address)/\(address.port)\n".utf8)
        file += PacketBuilder.be32(UInt32(truncatingIfNeeded: start / 1_000_000_000))
        file += PacketBuilder.be32(UInt32(start % 1_000_000_000 / 1_000))
        file += PacketBuilder.be32(address.address.ipv4Value ?? 0) + PacketBuilder.be16(address.port) + [0, 0]
        return file + rtpdumpRecords
    }

    /// Nanoseconds to interface units.
    private func units(_ timestamp: Int64, _ interface: Interface) -> UInt64 {
        let nanoseconds = timestamp - interface.offsetSeconds * 1_000_000_000
        switch interface.resolution {
        case .decimal(let exponent):
            var value = UInt64(nanoseconds)
            if exponent <= 9 {
                for _ in 0..<(9 - exponent) { value /= 10 }
            } else {
                for _ in 0..<(exponent - 9) { value *= 10 }
            }
            return value
        case .binary(let exponent):
            // seconds << n + fraction × 2^n / 10^9
            let seconds = UInt64(nanoseconds / 1_000_000_000)
            let fraction = UInt64(nanoseconds % 1_000_000_000)
            return seconds << UInt64(exponent) + (fraction << UInt64(exponent)) / 1_000_000_000
        }
    }

    private mutating func block(_ type: UInt32, body: [UInt8]) {
        let length = UInt32(12 + body.count)
        output += u32(type) + u32(length) + body + u32(length)
    }

    private func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
        u16(code) + u16(UInt16(value.count)) + value + [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
    }

    private func u16(_ value: UInt16) -> [UInt8] { bigEndian ? PacketBuilder.be16(value) : PacketBuilder.le16(value) }
    private func u32(_ value: UInt32) -> [UInt8] { bigEndian ? PacketBuilder.be32(value) : PacketBuilder.le32(value) }
    private func u64(_ value: UInt64) -> [UInt8] {
        bigEndian
            ? u32(UInt32(value >> 32)) + u32(UInt32(value & 0xFFFF_FFFF))
            : u32(UInt32(value & 0xFFFF_FFFF)) + u32(UInt32(value >> 32))
    }
}
