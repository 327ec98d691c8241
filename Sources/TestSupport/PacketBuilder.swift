public import Capture

/// Builds link-layer frames, IP packets and UDP datagrams byte by byte, for tests and synthetic captures.
/// Every field not given takes a plausible default; checksums are computed (IPv4 header, UDP).
public enum PacketBuilder {
    /// An 802.1Q (TPID 0x8100) or 802.1ad (0x88A8) tag.
    public struct VLANTag: Sendable, Hashable {
        public var tpid: UInt16
        public var identifier: UInt16
        public var priority: UInt8

        public init(tpid: UInt16 = 0x8100, identifier: UInt16, priority: UInt8 = 0) {
            self.tpid = tpid
            self.identifier = identifier
            self.priority = priority
        }

        /// An 802.1ad service tag (the outer tag of QinQ).
        public static func service(_ identifier: UInt16) -> VLANTag { VLANTag(tpid: 0x88A8, identifier: identifier) }
        /// An 802.1Q customer tag.
        public static func customer(_ identifier: UInt16) -> VLANTag { VLANTag(tpid: 0x8100, identifier: identifier) }
    }

    /// An IPv6 extension header (RFC 8200 §4).
    public enum IPv6ExtensionHeader: Sendable, Hashable {
        /// Hop-by-hop options (0): option TLVs, padded to 8 octets with PadN.
        case hopByHop(options: [UInt8])
        /// Destination options (60).
        case destinationOptions(options: [UInt8])
        /// Routing (43): type, segments left, type-specific data (padded to 8 octets).
        case routing(type: UInt8, segmentsLeft: UInt8, data: [UInt8])
        /// Fragment (44).
        case fragment(offset: Int, more: Bool, identification: UInt32)

        public var protocolNumber: UInt8 {
            switch self {
            case .hopByHop: 0
            case .destinationOptions: 60
            case .routing: 43
            case .fragment: 44
            }
        }

        /// The header bytes with `next` as its Next Header.
        public func bytes(next: UInt8) -> [UInt8] {
            switch self {
            case .hopByHop(let options), .destinationOptions(let options):
                var body = options
                let padding = (8 - (2 + body.count) % 8) % 8
                if padding == 1 { body.append(0) }  // Pad1
                if padding >= 2 { body += [1, UInt8(padding - 2)] + [UInt8](repeating: 0, count: padding - 2) }  // PadN
                return [next, UInt8((2 + body.count) / 8 - 1)] + body
            case .routing(let type, let segmentsLeft, let data):
                var body = data
                body += [UInt8](repeating: 0, count: (8 - (4 + body.count) % 8) % 8)
                return [next, UInt8((4 + body.count) / 8 - 1), type, segmentsLeft] + body
            case .fragment(let offset, let more, let identification):
                let field = UInt16(offset & 0xFFF8) | (more ? 1 : 0)
                return [next, 0] + be16(field) + be32(identification)
            }
        }
    }

    // MARK: Link layers

    /// Ethernet II with optional VLAN tags (outermost first).
    public static func ethernet(
        _ payload: [UInt8],
        etherType: UInt16,
        vlanTags: [VLANTag] = [],
        source: [UInt8] = [0x02, 0, 0, 0, 0, 0x01],
        destination: [UInt8] = [0x02, 0, 0, 0, 0, 0x02]
    ) -> [UInt8] {
        var frame = destination + source
        for tag in vlanTags {
            frame += be16(tag.tpid)
            frame += be16(UInt16(tag.priority & 7) << 13 | tag.identifier & 0x0FFF)
        }
        return frame + be16(etherType) + payload
    }

    /// Linux cooked capture v1 (LINKTYPE_LINUX_SLL): packet type 0 (to us), ARPHRD_ETHER, 6-byte address.
    public static func linuxCooked(_ payload: [UInt8], protocolType: UInt16, packetType: UInt16 = 0) -> [UInt8] {
        be16(packetType) + be16(1) + be16(6) + [0x02, 0, 0, 0, 0, 0x01, 0, 0] + be16(protocolType) + payload
    }

    /// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2).
    public static func linuxCooked2(_ payload: [UInt8], protocolType: UInt16, interfaceIndex: UInt32 = 2) -> [UInt8] {
        be16(protocolType) + [0, 0] + be32(interfaceIndex) + be16(1) + [0, 6] + [0x02, 0, 0, 0, 0, 0x01, 0, 0] + payload
    }

    /// BSD loopback: the address family as 4 bytes in the given byte order (NULL: host order; LOOP: big).
    public static func null(_ payload: [UInt8], family: UInt32, bigEndian: Bool = false) -> [UInt8] {
        (bigEndian ? be32(family) : le32(family)) + payload
    }

    /// Wraps an IP packet for a link type (Ethernet with VLAN tags, cooked v1/v2, raw, NULL/LOOP).
    public static func frame(ipPacket: [UInt8], linkType: LinkType, vlanTags: [VLANTag] = []) -> [UInt8] {
        let isIPv6 = (ipPacket.first ?? 0) >> 4 == 6
        let etherType: UInt16 = isIPv6 ? 0x86DD : 0x0800
        switch linkType {
        case .ethernet: return ethernet(ipPacket, etherType: etherType, vlanTags: vlanTags)
        case .linuxCooked: return linuxCooked(ipPacket, protocolType: etherType)
        case .linuxCooked2: return linuxCooked2(ipPacket, protocolType: etherType)
        case .null: return null(ipPacket, family: isIPv6 ? 30 : 2)
        case .loop: return null(ipPacket, family: isIPv6 ? 24 : 2, bigEndian: true)
        default: return ipPacket  // raw, ipv4, ipv6, 12, 14
        }
    }

    // MARK: IP and UDP

    /// An IPv4 packet (RFC 791) with header checksum; `options` are padded to 4 octets with End-of-Options.
    public static func ipv4(
        source: IPAddress,
        destination: IPAddress,
        protocolNumber: UInt8 = 17,
        payload: [UInt8],
        identification: UInt16 = 0x1234,
        options: [UInt8] = [],
        ttl: UInt8 = 64,
        dontFragment: Bool = false,
        moreFragments: Bool = false,
        fragmentOffset: Int = 0
    ) -> [UInt8] {
        var paddedOptions = options
        paddedOptions += [UInt8](repeating: 0, count: (4 - options.count % 4) % 4)
        let headerLength = 20 + paddedOptions.count
        let flags: UInt16 = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0)
        var header: [UInt8] = [0x40 | UInt8(headerLength / 4), 0]
        header += be16(UInt16(headerLength + payload.count))
        header += be16(identification)
        header += be16(flags | UInt16(fragmentOffset / 8))
        header += [ttl, protocolNumber, 0, 0]
        header += source.bytes + destination.bytes + paddedOptions
        let checksum = internetChecksum(header)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xFF)
        return header + payload
    }

    /// An IPv6 packet (RFC 8200) with extension headers chained in the given order before `nextHeader`.
    public static func ipv6(
        source: IPAddress,
        destination: IPAddress,
        nextHeader: UInt8 = 17,
        payload: [UInt8],
        extensionHeaders: [IPv6ExtensionHeader] = [],
        hopLimit: UInt8 = 64,
        flowLabel: UInt32 = 0
    ) -> [UInt8] {
        var chain = [UInt8]()
        for (index, header) in extensionHeaders.enumerated() {
            let next = index + 1 < extensionHeaders.count ? extensionHeaders[index + 1].protocolNumber : nextHeader
            chain += header.bytes(next: next)
        }
        let first = extensionHeaders.first?.protocolNumber ?? nextHeader
        var packet = be32(6 << 28 | flowLabel & 0xFFFFF)
        packet += be16(UInt16(chain.count + payload.count))
        packet += [first, hopLimit]
        return packet + source.bytes + destination.bytes + chain + payload
    }

    /// A UDP datagram (RFC 768) with its checksum over the IPv4 or IPv6 pseudo-header.
    public static func udp(source: Endpoint, destination: Endpoint, payload: [UInt8]) -> [UInt8] {
        let length = 8 + payload.count
        var datagram = be16(source.port) + be16(destination.port) + be16(UInt16(truncatingIfNeeded: length)) + [0, 0]
        datagram += payload
        var pseudo = source.address.bytes + destination.address.bytes
        pseudo += source.address.isIPv6 ? be32(UInt32(length)) + [0, 0, 0, 17] : [0, 17] + be16(UInt16(length))
        var checksum = internetChecksum(pseudo + datagram)
        if checksum == 0 { checksum = 0xFFFF }  // RFC 768: 0 means "no checksum"
        datagram[6] = UInt8(checksum >> 8)
        datagram[7] = UInt8(checksum & 0xFF)
        return datagram
    }

    /// A complete IP packet holding a UDP datagram, IPv4 or IPv6 after the source address.
    public static func udpPacket(
        source: Endpoint,
        destination: Endpoint,
        payload: [UInt8],
        ipv4Options: [UInt8] = [],
        ipv6ExtensionHeaders: [IPv6ExtensionHeader] = [],
        identification: UInt16 = 0x1234
    ) -> [UInt8] {
        let segment = udp(source: source, destination: destination, payload: payload)
        if source.address.isIPv6 {
            return ipv6(
                source: source.address,
                destination: destination.address,
                payload: segment,
                extensionHeaders: ipv6ExtensionHeaders
            )
        }
        return ipv4(
            source: source.address,
            destination: destination.address,
            payload: segment,
            identification: identification,
            options: ipv4Options
        )
    }

    /// Splits a UDP datagram into `count` IP fragments (each but the last a multiple of 8 octets), IPv4
    /// (RFC 791) or IPv6 (RFC 8200 §4.5, with `ipv6ExtensionHeaders` as the unfragmentable part).
    public static func udpFragments(
        source: Endpoint,
        destination: Endpoint,
        payload: [UInt8],
        count: Int,
        identification: UInt32 = 0x1234,
        ipv6ExtensionHeaders: [IPv6ExtensionHeader] = []
    ) -> [[UInt8]] {
        let segment = udp(source: source, destination: destination, payload: payload)
        let pieceSize = max(8, (segment.count / max(1, count) + 7) / 8 * 8)
        var fragments = [[UInt8]]()
        var offset = 0
        while offset < segment.count {
            let end = min(segment.count, offset + pieceSize)
            let more = end < segment.count
            let piece = Array(segment[offset..<end])
            if source.address.isIPv6 {
                fragments.append(
                    ipv6(
                        source: source.address,
                        destination: destination.address,
                        payload: piece,
                        extensionHeaders: ipv6ExtensionHeaders
                            + [.fragment(offset: offset, more: more, identification: identification)]
                    )
                )
            } else {
                fragments.append(
                    ipv4(
                        source: source.address,
                        destination: destination.address,
                        payload: piece,
                        identification: UInt16(truncatingIfNeeded: identification),
                        moreFragments: more,
                        fragmentOffset: offset
                    )
                )
            }
            offset = end
        }
        return fragments
    }

    /// The RFC 1071 one's-complement sum.
    public static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { be32(value).reversed() }
}
