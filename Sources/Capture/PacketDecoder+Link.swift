// Link layers (tcpdump.org link-layer header types) down to the IP header.
extension PacketDecoder {
    mutating func decodeLink(_ frame: LinkFrame) -> PacketOutcome {
        let data = frame.data
        switch frame.linkType {
        case .ethernet:
            guard data.count >= 14 else { return .skipped(.truncatedLinkHeader) }
            return decodeEtherType(data.be16(12), at: 14, frame)

        case .linuxCooked:
            // SLL v1: packet type, ARPHRD type, address length, 8 address bytes, protocol (16 bytes).
            guard data.count >= 16 else { return .skipped(.truncatedLinkHeader) }
            if data.be16(2) == 824 { return .skipped(.nonIP) }  // ARPHRD_NETLINK: netlink messages
            return decodeEtherType(data.be16(14), at: 16, frame)

        case .linuxCooked2:
            // SLL v2: protocol, reserved, interface index, ARPHRD type, packet type, address length, address.
            guard data.count >= 20 else { return .skipped(.truncatedLinkHeader) }
            if data.be16(8) == 824 { return .skipped(.nonIP) }
            return decodeEtherType(data.be16(0), at: 20, frame)

        case .raw, .rawBSD, .rawOpenBSD:
            guard !data.isEmpty else { return .skipped(.truncatedLinkHeader) }
            return decodeIP(frame, at: 0)

        case .ipv4:
            return decodeIPv4(frame, at: 0)

        case .ipv6:
            return decodeIPv6(frame, at: 0)

        case .null, .loop:
            // A 4-byte address family: host byte order of the capturing machine for NULL, network order for
            // LOOP. Either way a small value in one order is a huge one in the other, so read whichever is small.
            guard data.count >= 4 else { return .skipped(.truncatedLinkHeader) }
            let little = data.le32(0)
            let family = little > 0xFFFF ? data.be32(0) : little
            switch family {
            case 2: return decodeIPv4(frame, at: 4)  // AF_INET everywhere
            case 10, 23, 24, 28, 30: return decodeIPv6(frame, at: 4)  // AF_INET6: Linux, Windows, BSDs, macOS
            default: return .skipped(.nonIP)
            }

        default:
            return .skipped(.unsupportedLinkType)
        }
    }

    /// Follows an EtherType through VLAN tags, MPLS labels and PPPoE to IP.
    private mutating func decodeEtherType(_ etherType: UInt16, at start: Int, _ frame: LinkFrame) -> PacketOutcome {
        let data = frame.data
        var type = etherType
        var offset = start
        var tags = 0
        while true {
            switch type {
            case 0x8100, 0x88A8, 0x9100, 0x9200, 0x9300:
                // IEEE 802.1Q C-tag, 802.1ad S-tag, and the pre-standard QinQ TPIDs: TCI, then the next type.
                tags += 1
                guard tags <= limits.maxVLANDepth else { return .skipped(.tooManyTags) }
                guard data.count >= offset + 4 else { return .skipped(.truncatedLinkHeader) }
                type = data.be16(offset + 2)
                offset += 4
            case 0x0800:
                return decodeIPv4(frame, at: offset)
            case 0x86DD:
                return decodeIPv6(frame, at: offset)
            case 0x8847, 0x8848:
                // MPLS (RFC 3032): labels until the bottom-of-stack bit; then IP told by its version nibble.
                var labels = 0
                while true {
                    labels += 1
                    guard labels <= limits.maxVLANDepth else { return .skipped(.tooManyTags) }
                    guard data.count >= offset + 4 else { return .skipped(.truncatedLinkHeader) }
                    let bottom = data[offset + 2] & 1 != 0
                    offset += 4
                    if bottom { break }
                }
                guard data.count > offset else { return .skipped(.truncatedLinkHeader) }
                return data[offset] >> 4 == 4 || data[offset] >> 4 == 6 ? decodeIP(frame, at: offset) : .skipped(.nonIP)
            case 0x8864:
                // PPPoE session (RFC 2516): 6-byte header, then the PPP protocol (RFC 1661).
                guard data.count >= offset + 8 else { return .skipped(.truncatedLinkHeader) }
                switch data.be16(offset + 6) {
                case 0x0021: return decodeIPv4(frame, at: offset + 8)
                case 0x0057: return decodeIPv6(frame, at: offset + 8)
                default: return .skipped(.nonIP)
                }
            default:
                // Below 0x0600 it is an 802.3 length (LLC follows); otherwise ARP, LLDP, …
                return .skipped(.nonIP)
            }
        }
    }

    private mutating func decodeIP(_ frame: LinkFrame, at offset: Int) -> PacketOutcome {
        guard frame.data.count > offset else { return .skipped(.malformedIP) }
        switch frame.data[offset] >> 4 {
        case 4: return decodeIPv4(frame, at: offset)
        case 6: return decodeIPv6(frame, at: offset)
        default: return .skipped(.nonIP)
        }
    }
}
