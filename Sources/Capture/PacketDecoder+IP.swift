// IPv4 (RFC 791), IPv6 (RFC 8200) with extension headers, fragment reassembly, UDP (RFC 768) and TCP (RFC 9293).
extension PacketDecoder {
    private struct Addresses {
        var source: IPAddress
        var destination: IPAddress
    }

    mutating func decodeIPv4(_ frame: LinkFrame, at offset: Int) -> PacketOutcome {
        let data = frame.data
        guard data.count >= offset + 20, data[offset] >> 4 == 4 else { return .skipped(.malformedIP) }
        let headerLength = Int(data[offset] & 0x0F) * 4
        guard headerLength >= 20, data.count >= offset + headerLength else { return .skipped(.malformedIP) }
        var totalLength = Int(data.be16(offset + 2))
        // 0 is what TSO/GSO super-packets show on the sending host: the captured bytes are the packet.
        if totalLength == 0 { totalLength = data.count - offset }
        guard totalLength >= headerLength else { return .skipped(.malformedIP) }
        // Captured bytes beyond the total length are link padding or an FCS; fewer mean snaplen truncation.
        let wireEnd = offset + totalLength
        let capturedEnd = min(data.count, wireEnd)
        let truncated = wireEnd > data.count
        let identification = UInt32(data.be16(offset + 4))
        let flagsAndOffset = data.be16(offset + 6)
        let moreFragments = flagsAndOffset & 0x2000 != 0
        let fragmentOffset = Int(flagsAndOffset & 0x1FFF) * 8
        let proto = data[offset + 9]
        let addresses = Addresses(
            source: IPAddress(ipv4: data.be32(offset + 12)),
            destination: IPAddress(ipv4: data.be32(offset + 16))
        )
        let payloadStart = offset + headerLength
        if moreFragments || fragmentOffset != 0 {
            counters.fragments += 1
            // Every IPv4 fragment names its protocol: fragments of anything but UDP are skipped at once
            // (with their protocol's reason) instead of being held. TCP avoids fragmenting (RFC 9293 §3.7.1,
            // path MTU discovery), so fragmented TCP is counted as TCP, not reassembled.
            guard proto == 17 else { return .skipped(Self.skipReason(protocol: proto)) }
            guard !truncated else { return .skipped(.truncatedFragment) }
            let key = FragmentReassembler.Key(
                source: addresses.source,
                destination: addresses.destination,
                identification: identification,
                proto: proto
            )
            switch reassembler.add(
                key: key,
                offset: fragmentOffset,
                bytes: Array(data[payloadStart..<capturedEnd]),
                more: moreFragments,
                nextProtocol: proto,
                timestamp: frame.timestamp
            ) {
            case .pending: return .pending
            case .dropped(let reason): return .skipped(reason)
            case .complete(let payload, _):
                counters.reassembled += 1
                return decodeTransport(
                    proto,
                    payload,
                    start: 0,
                    capturedEnd: payload.count,
                    wireEnd: payload.count,
                    addresses,
                    frame
                )
            }
        }
        return decodeTransport(
            proto,
            data,
            start: payloadStart,
            capturedEnd: capturedEnd,
            wireEnd: wireEnd,
            addresses,
            frame
        )
    }

    mutating func decodeIPv6(_ frame: LinkFrame, at offset: Int) -> PacketOutcome {
        let data = frame.data
        guard data.count >= offset + 40, data[offset] >> 4 == 6 else { return .skipped(.malformedIP) }
        let payloadLength = Int(data.be16(offset + 4))
        // 0 means a jumbogram (RFC 2675) or a GSO super-packet: take the captured bytes.
        let wireEnd = payloadLength == 0 ? data.count : offset + 40 + payloadLength
        let addresses = Addresses(
            source: IPAddress(ipv6Bytes: data[(offset + 8)..<(offset + 24)])!,
            destination: IPAddress(ipv6Bytes: data[(offset + 24)..<(offset + 40)])!
        )
        return walkIPv6Headers(
            data,
            next: data[offset + 6],
            start: offset + 40,
            capturedEnd: min(data.count, wireEnd),
            wireEnd: wireEnd,
            addresses,
            frame,
            allowFragment: true
        )
    }

    /// Walks IPv6 extension headers (RFC 8200 §4) up to the upper-layer header.
    private mutating func walkIPv6Headers(
        _ data: [UInt8],
        next firstNext: UInt8,
        start: Int,
        capturedEnd: Int,
        wireEnd: Int,
        _ addresses: Addresses,
        _ frame: LinkFrame,
        allowFragment: Bool
    ) -> PacketOutcome {
        var next = firstNext
        var cursor = start
        var headers = 0
        while true {
            switch next {
            case 0, 43, 60, 135, 139, 140, 51:
                headers += 1
                guard headers <= limits.maxExtensionHeaders,
                    let length = Self.extensionHeaderLength(data, at: cursor, next: next, capturedEnd: capturedEnd)
                else { return .skipped(.malformedExtensionHeaders) }
                next = data[cursor]
                cursor += length
            case 44:
                headers += 1
                guard headers <= limits.maxExtensionHeaders, capturedEnd >= cursor + 8 else {
                    return .skipped(.malformedExtensionHeaders)
                }
                let header = FragmentHeader(data, at: cursor)
                cursor += 8
                if header.isAtomic {
                    // An atomic fragment (RFC 6946): the whole datagram, processed in isolation.
                    next = header.next
                    continue
                }
                guard allowFragment else { return .skipped(.malformedFragment) }
                return reassembleIPv6(
                    header,
                    data[cursor..<capturedEnd],
                    whole: capturedEnd == wireEnd,
                    addresses,
                    frame
                )
            case 59:
                return .skipped(.otherProtocol)  // No Next Header
            default:
                return decodeTransport(
                    next,
                    data,
                    start: cursor,
                    capturedEnd: capturedEnd,
                    wireEnd: wireEnd,
                    addresses,
                    frame
                )
            }
        }
    }

    /// The length of a hop-by-hop, routing, destination options, mobility, HIP or shim6 header, in 8-octet units
    /// not counting the first 8 (RFC 8200 §4.3–4.6); of AH, in 4-octet units minus 2 (RFC 4302 §2.2). Nil when
    /// the header is cut short.
    private static func extensionHeaderLength(_ data: [UInt8], at cursor: Int, next: UInt8, capturedEnd: Int) -> Int? {
        guard capturedEnd >= cursor + 2 else { return nil }
        let length = next == 51 ? (Int(data[cursor + 1]) + 2) * 4 : (Int(data[cursor + 1]) + 1) * 8
        return capturedEnd >= cursor + length ? length : nil
    }

    /// An IPv6 Fragment header (RFC 8200 §4.5): next header, reserved, offset and M flag, identification.
    private struct FragmentHeader {
        var next: UInt8
        var offset: Int
        var more: Bool
        var identification: UInt32

        /// `data` holds at least 8 bytes at `cursor`.
        init(_ data: [UInt8], at cursor: Int) {
            next = data[cursor]
            let offsetAndFlag = data.be16(cursor + 2)
            offset = Int(offsetAndFlag & 0xFFF8)
            more = offsetAndFlag & 1 != 0
            identification = data.be32(cursor + 4)
        }

        var isAtomic: Bool { offset == 0 && !more }
    }

    /// Holds an IPv6 fragment until its datagram is whole, then walks the reassembled datagram's headers (no
    /// fragment header may follow: RFC 8200 §4.5 forbids fragmenting a fragment).
    private mutating func reassembleIPv6(
        _ header: FragmentHeader,
        _ bytes: ArraySlice<UInt8>,
        whole: Bool,
        _ addresses: Addresses,
        _ frame: LinkFrame
    ) -> PacketOutcome {
        counters.fragments += 1
        guard whole else { return .skipped(.truncatedFragment) }
        let key = FragmentReassembler.Key(
            source: addresses.source,
            destination: addresses.destination,
            identification: header.identification,
            proto: 0
        )
        switch reassembler.add(
            key: key,
            offset: header.offset,
            bytes: Array(bytes),
            more: header.more,
            nextProtocol: header.next,
            timestamp: frame.timestamp
        ) {
        case .pending: return .pending
        case .dropped(let reason): return .skipped(reason)
        case .complete(let payload, let reassembledNext):
            counters.reassembled += 1
            return walkIPv6Headers(
                payload,
                next: reassembledNext,
                start: 0,
                capturedEnd: payload.count,
                wireEnd: payload.count,
                addresses,
                frame,
                allowFragment: false
            )
        }
    }

    /// Dispatches on the IP protocol number (IANA "Assigned Internet Protocol Numbers").
    private mutating func decodeTransport(
        _ proto: UInt8,
        _ data: [UInt8],
        start: Int,
        capturedEnd: Int,
        wireEnd: Int,
        _ addresses: Addresses,
        _ frame: LinkFrame
    ) -> PacketOutcome {
        switch proto {
        case 17:
            return decodeUDP(data, start: start, capturedEnd: capturedEnd, wireEnd: wireEnd, addresses, frame)
        case 6:
            return decodeTCP(data, start: start, capturedEnd: capturedEnd, wireEnd: wireEnd, addresses, frame)
        default:
            return .skipped(Self.skipReason(protocol: proto))
        }
    }

    /// Why a packet of a protocol other than UDP is skipped.
    private static func skipReason(protocol proto: UInt8) -> SkipReason {
        switch proto {
        case 6: return .tcp
        case 1, 58: return .icmp
        // IP-in-IP, IPv6-in-IPv4, GRE (and ERSPAN inside it), EtherIP, L2TPv3.
        case 4, 41, 47, 97, 115: return .tunnel
        default: return .otherProtocol
        }
    }

    /// A TCP segment (RFC 9293 §3.1): ports, sequence number, data offset, flags; options skipped. The
    /// payload ends where the IP packet does; a snaplen cut keeps what was captured and says how much was sent.
    private func decodeTCP(
        _ data: [UInt8],
        start: Int,
        capturedEnd: Int,
        wireEnd: Int,
        _ addresses: Addresses,
        _ frame: LinkFrame
    ) -> PacketOutcome {
        guard capturedEnd - start >= 20 else { return .skipped(.malformedTCP) }
        let headerLength = Int(data[start + 12] >> 4) * 4
        guard headerLength >= 20, start + headerLength <= capturedEnd, start + headerLength <= wireEnd else {
            return .skipped(.malformedTCP)
        }
        let payloadStart = start + headerLength
        return .segment(
            TCPSegment(
                timestamp: frame.timestamp,
                packetNumber: frame.packetNumber,
                source: Endpoint(address: addresses.source, port: data.be16(start)),
                destination: Endpoint(address: addresses.destination, port: data.be16(start + 2)),
                sequenceNumber: data.be32(start + 4),
                flags: TCPSegment.Flags(rawValue: data[start + 13]),
                payload: Array(data[payloadStart..<max(payloadStart, capturedEnd)]),
                payloadLength: wireEnd - payloadStart
            )
        )
    }

    private func decodeUDP(
        _ data: [UInt8],
        start: Int,
        capturedEnd: Int,
        wireEnd: Int,
        _ addresses: Addresses,
        _ frame: LinkFrame
    ) -> PacketOutcome {
        guard capturedEnd - start >= 8 else { return .skipped(.malformedUDP) }
        let sourcePort = data.be16(start)
        let destinationPort = data.be16(start + 2)
        var length = Int(data.be16(start + 4))
        // UDP length 0 occurs in IPv6 jumbograms (RFC 2675 §4): the IP payload length rules.
        if length == 0 && addresses.source.isIPv6 { length = wireEnd - start }
        guard length >= 8, start + length <= wireEnd else { return .skipped(.malformedUDP) }
        let payloadStart = start + 8
        let payloadEnd = min(capturedEnd, start + length)
        if Self.isTunnel(data, from: payloadStart, to: payloadEnd, sourcePort, destinationPort) {
            return .skipped(.tunnel)
        }
        return .datagram(
            UDPDatagram(
                timestamp: frame.timestamp,
                packetNumber: frame.packetNumber,
                source: Endpoint(address: addresses.source, port: sourcePort),
                destination: Endpoint(address: addresses.destination, port: destinationPort),
                payload: Array(data[payloadStart..<payloadEnd]),
                isTruncated: start + length > capturedEnd
            )
        )
    }

    /// UDP tunnels a tap commonly sees: VXLAN (RFC 7348, port 4789, flags 0x08) and GTP-U G-PDUs (3GPP TS
    /// 29.281, port 2152, version 1, message type 255). Their inner packets belong to other calls.
    private static func isTunnel(
        _ data: [UInt8],
        from start: Int,
        to end: Int,
        _ sourcePort: UInt16,
        _ destinationPort: UInt16
    ) -> Bool {
        guard end - start >= 8 else { return false }
        if destinationPort == 4789 && data[start] & 0x08 != 0 { return true }
        if (destinationPort == 2152 || sourcePort == 2152) && data[start] >> 5 == 1 && data[start + 1] == 0xFF {
            return true
        }
        return false
    }
}
