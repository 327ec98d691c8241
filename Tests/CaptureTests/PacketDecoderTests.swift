import Capture
import TestSupport
import Testing

func frame(_ data: [UInt8], _ linkType: LinkType = .ethernet, at timestamp: Int64 = 0, number: Int = 1) -> LinkFrame {
    LinkFrame(
        timestamp: timestamp,
        linkType: linkType,
        data: data,
        originalLength: data.count,
        packetNumber: number,
        byteOffset: 0
    )
}

func datagram(_ outcome: PacketOutcome) -> UDPDatagram? {
    if case .datagram(let datagram) = outcome { return datagram }
    return nil
}

func skipReason(_ outcome: PacketOutcome) -> SkipReason? {
    if case .skipped(let reason) = outcome { return reason }
    return nil
}

@Suite("PacketDecoder")
struct PacketDecoderTests {
    static let linkTypes: [LinkType] = [
        .ethernet, .linuxCooked, .linuxCooked2, .raw, .rawBSD, .rawOpenBSD, .null, .loop,
    ]

    /// Proves every supported link type carries IPv4 and IPv6 UDP through to the same datagram.
    @Test("link types", arguments: linkTypes, [false, true])
    func eachLinkType(linkType: LinkType, ipv6: Bool) throws {
        let (source, destination) = ipv6 ? (alice6, bob6) : (alice, bob)
        let payload = rtpPayload(sequence: 42)
        let packet = PacketBuilder.udpPacket(source: source, destination: destination, payload: payload)
        var decoder = PacketDecoder()
        let result = try #require(
            datagram(decoder.decode(frame(PacketBuilder.frame(ipPacket: packet, linkType: linkType), linkType)))
        )
        #expect(result.source == source)
        #expect(result.destination == destination)
        #expect(result.payload == payload)
        #expect(!result.isTruncated)
    }

    /// Proves LINKTYPE_IPV4 and LINKTYPE_IPV6 (228, 229) decode their own version.
    @Test("raw IPv4 and IPv6 link types")
    func rawVersionedLinkTypes() throws {
        var decoder = PacketDecoder()
        let v4 = PacketBuilder.udpPacket(source: alice, destination: bob, payload: [1, 2, 3])
        let v6 = PacketBuilder.udpPacket(source: alice6, destination: bob6, payload: [4, 5, 6])
        #expect(datagram(decoder.decode(frame(v4, .ipv4)))?.payload == [1, 2, 3])
        #expect(datagram(decoder.decode(frame(v6, .ipv6)))?.payload == [4, 5, 6])
        #expect(skipReason(decoder.decode(frame(v6, .ipv4))) == .malformedIP)
    }

    /// Proves 802.1Q, 802.1ad+802.1Q (QinQ) and a triple stack with the old 0x9100 TPID all decode, and that a
    /// stack deeper than the limit is skipped.
    @Test("VLAN and QinQ stacks")
    func vlanStacks() throws {
        let packet = PacketBuilder.udpPacket(source: alice, destination: bob, payload: [9, 9])
        let stacks: [[PacketBuilder.VLANTag]] = [
            [.customer(10)], [.service(100), .customer(10)], [VLANTag9100(), .service(100), .customer(10)],
        ]
        var decoder = PacketDecoder()
        for stack in stacks {
            let data = PacketBuilder.frame(ipPacket: packet, linkType: .ethernet, vlanTags: stack)
            #expect(datagram(decoder.decode(frame(data)))?.payload == [9, 9])
        }
        let deep = PacketBuilder.frame(
            ipPacket: packet,
            linkType: .ethernet,
            vlanTags: Array(repeating: .customer(1), count: 9)
        )
        #expect(skipReason(decoder.decode(frame(deep))) == .tooManyTags)
    }

    private func VLANTag9100() -> PacketBuilder.VLANTag { PacketBuilder.VLANTag(tpid: 0x9100, identifier: 7) }

    /// Proves IPv4 options (Record Route, RFC 791 §3.1) move the UDP header without confusing the decoder.
    @Test("IPv4 options")
    func ipv4Options() throws {
        let recordRoute: [UInt8] = [7, 11, 4] + [UInt8](repeating: 0, count: 8) + [1]  // RR + NOP, 12 bytes
        let packet = PacketBuilder.udpPacket(
            source: alice,
            destination: bob,
            payload: [7, 7, 7],
            ipv4Options: recordRoute
        )
        #expect(packet[0] == 0x48)
        var decoder = PacketDecoder()
        #expect(datagram(decoder.decode(frame(packet, .raw)))?.payload == [7, 7, 7])
    }

    /// Proves IPv6 hop-by-hop, routing and destination options headers are walked to UDP, and that a chain
    /// longer than the limit is refused.
    @Test("IPv6 extension headers")
    func ipv6ExtensionHeaders() throws {
        let headers: [PacketBuilder.IPv6ExtensionHeader] = [
            .hopByHop(options: [5, 2, 0, 0]),  // Router Alert
            .routing(type: 4, segmentsLeft: 0, data: [UInt8](repeating: 0xAB, count: 20)),
            .destinationOptions(options: []),
        ]
        let packet = PacketBuilder.udpPacket(
            source: alice6,
            destination: bob6,
            payload: [1, 2],
            ipv6ExtensionHeaders: headers
        )
        var decoder = PacketDecoder()
        #expect(datagram(decoder.decode(frame(packet, .raw)))?.payload == [1, 2])
        let tooMany = PacketBuilder.udpPacket(
            source: alice6,
            destination: bob6,
            payload: [1],
            ipv6ExtensionHeaders: Array(repeating: .destinationOptions(options: []), count: 17)
        )
        #expect(skipReason(decoder.decode(frame(tooMany, .raw))) == .malformedExtensionHeaders)
    }

    /// Proves IPv4 and IPv6 reassembly in order, reversed, and shuffled, with the datagram completed by the
    /// last fragment's frame (its timestamp and packet number), and nothing left held.
    @Test(
        "fragment reassembly",
        arguments: [false, true],
        [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]]
    )
    func reassembly(ipv6: Bool, order: [Int]) throws {
        let (source, destination) = ipv6 ? (alice6, bob6) : (alice, bob)
        let payload = (0..<1_200).map { UInt8(truncatingIfNeeded: $0) }
        var writer = CaptureWriter(format: .pcap(nanoseconds: true, bigEndian: false), linkType: .ethernet)
        writer.addUDPFragments(
            timestamp: 5_000,
            source: source,
            destination: destination,
            payload: payload,
            count: 4,
            order: order,
            vlanTags: [.customer(3)]
        )
        let result = try readCapture(writer.finish())
        #expect(result.frames.count == 4)
        var decoder = PacketDecoder()
        let outcomes = result.frames.map { decoder.decode($0) }
        #expect(outcomes.dropLast().allSatisfy { if case .pending = $0 { true } else { false } })
        let complete = try #require(datagram(outcomes.last!))
        #expect(complete.payload == payload)
        #expect(complete.source == source)
        #expect(complete.packetNumber == 4)
        #expect(complete.timestamp == 5_000 + 3_000)
        #expect(decoder.counters.reassembled == 1)
        #expect(decoder.counters.fragments == 4)
        #expect(decoder.pendingDatagrams == 0)
    }

    /// Proves IPv6 fragments with an unfragmentable hop-by-hop header before the fragment header reassemble.
    @Test("IPv6 fragments after a hop-by-hop header")
    func ipv6FragmentsWithExtensions() throws {
        let payload = [UInt8](repeating: 0x5A, count: 300)
        let fragments = PacketBuilder.udpFragments(
            source: alice6,
            destination: bob6,
            payload: payload,
            count: 3,
            ipv6ExtensionHeaders: [.hopByHop(options: [])]
        )
        var decoder = PacketDecoder()
        let outcomes = fragments.map { decoder.decode(frame($0, .raw)) }
        #expect(datagram(outcomes.last!)?.payload == payload)
    }

    /// Proves an exact duplicate fragment is ignored, but an overlapping one with different data drops the
    /// datagram (RFC 5722).
    @Test("duplicate and overlapping fragments")
    func overlaps() throws {
        let payload = [UInt8](repeating: 1, count: 400)
        let fragments = PacketBuilder.udpFragments(source: alice, destination: bob, payload: payload, count: 2)
        var decoder = PacketDecoder()
        _ = decoder.decode(frame(fragments[0], .raw))
        #expect({ if case .pending = decoder.decode(frame(fragments[0], .raw)) { true } else { false } }())
        #expect(datagram(decoder.decode(frame(fragments[1], .raw)))?.payload == payload)
        // Now an overlap: the same first fragment, then one starting 8 bytes in with other bytes.
        var altered = fragments[0]
        altered[altered.count - 1] ^= 0xFF
        let shifted = PacketBuilder.ipv4(
            source: alice.address,
            destination: bob.address,
            payload: [UInt8](repeating: 9, count: 16),
            moreFragments: true,
            fragmentOffset: 8
        )
        _ = decoder.decode(frame(altered, .raw))
        #expect(skipReason(decoder.decode(frame(shifted, .raw))) == .fragmentOverlap)
        #expect(decoder.pendingDatagrams == 0)
    }

    /// Proves incomplete datagrams expire after the timeout in capture time, and the memory bound evicts the
    /// oldest; both are counted.
    @Test("fragment timeout and memory bound")
    func fragmentBounds() throws {
        var decoder = PacketDecoder(limits: .init(maxPendingDatagrams: 2, fragmentTimeout: 1_000_000_000))
        for identification in 0..<3 {
            let first = PacketBuilder.udpFragments(
                source: alice,
                destination: bob,
                payload: [UInt8](repeating: 2, count: 100),
                count: 2,
                identification: UInt32(identification)
            )[0]
            _ = decoder.decode(frame(first, .raw, at: 0))
        }
        #expect(decoder.pendingDatagrams == 2)
        #expect(decoder.counters.skipped[.fragmentLimit] == 1)
        let unrelated = PacketBuilder.udpPacket(source: alice, destination: bob, payload: [1])
        _ = decoder.decode(frame(unrelated, .raw, at: 5_000_000_000))
        #expect(decoder.pendingDatagrams == 0)
        #expect(decoder.counters.skipped[.fragmentTimeout] == 2)
    }

    /// Proves a fragment cut by the snaplen is not reassembled (its bytes are missing) but skipped.
    @Test("truncated fragment")
    func truncatedFragment() {
        let first = PacketBuilder.udpFragments(
            source: alice,
            destination: bob,
            payload: [UInt8](repeating: 3, count: 200),
            count: 2
        )[0]
        var decoder = PacketDecoder()
        var cut = frame(Array(first.prefix(60)), .raw)
        cut.originalLength = first.count
        #expect(skipReason(decoder.decode(cut)) == .truncatedFragment)
    }

    /// Proves non-UDP traffic is skipped with its reason: TCP with no valid header, ICMP, GRE (tunnel), ARP
    /// (non-IP), VXLAN.
    @Test("skip reasons")
    func skipReasons() {
        var decoder = PacketDecoder()
        func ip(_ proto: UInt8) -> [UInt8] {
            PacketBuilder.frame(
                ipPacket: PacketBuilder.ipv4(
                    source: alice.address,
                    destination: bob.address,
                    protocolNumber: proto,
                    payload: [UInt8](repeating: 0, count: 20)
                ),
                linkType: .ethernet
            )
        }
        #expect(skipReason(decoder.decode(frame(ip(6)))) == .malformedTCP)  // data offset 0
        #expect(skipReason(decoder.decode(frame(ip(1)))) == .icmp)
        #expect(skipReason(decoder.decode(frame(ip(47)))) == .tunnel)
        #expect(skipReason(decoder.decode(frame(ip(132)))) == .otherProtocol)
        #expect(
            skipReason(
                decoder.decode(frame(PacketBuilder.ethernet([UInt8](repeating: 0, count: 28), etherType: 0x0806)))
            ) == .nonIP
        )
        let vxlan = PacketBuilder.udpPacket(
            source: alice,
            destination: Endpoint(address: bob.address, port: 4789),
            payload: [0x08, 0, 0, 0, 0, 0, 1, 0] + rtpPayload(sequence: 1)
        )
        #expect(skipReason(decoder.decode(frame(vxlan, .raw))) == .tunnel)
        #expect(skipReason(decoder.decode(frame([1, 2, 3], LinkType(rawValue: 147)))) == .unsupportedLinkType)
        #expect(decoder.counters.totalSkipped == 7)
        #expect(decoder.counters.skipped[.malformedTCP] == 1)
    }

    /// Proves UDP length checks: beyond the IP payload is malformed; shorter than captured data trims the
    /// trailer (Ethernet padding) instead of reading it as payload.
    @Test("UDP length field")
    func udpLength() throws {
        var decoder = PacketDecoder()
        var packet = PacketBuilder.udpPacket(source: alice, destination: bob, payload: [1, 2, 3, 4])
        packet[20 + 5] = 200  // UDP length 200 > IP payload 12
        #expect(skipReason(decoder.decode(frame(packet, .raw))) == .malformedUDP)
        let padded =
            PacketBuilder.frame(
                ipPacket: PacketBuilder.udpPacket(source: alice, destination: bob, payload: [1]),
                linkType: .ethernet
            ) + [0, 0, 0, 0, 0, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF]
        #expect(datagram(decoder.decode(frame(padded)))?.payload == [1])
    }

    /// Proves MPLS label stacks and PPPoE sessions lead to IP.
    @Test("MPLS and PPPoE")
    func mplsAndPPPoE() {
        let packet = PacketBuilder.udpPacket(source: alice, destination: bob, payload: [4, 2])
        var decoder = PacketDecoder()
        let mpls = PacketBuilder.ethernet([0, 0x10, 0x00, 64, 0, 0x20, 0x01, 64] + packet, etherType: 0x8847)
        #expect(datagram(decoder.decode(frame(mpls)))?.payload == [4, 2])
        let length = UInt16(packet.count + 2)
        let pppoe = PacketBuilder.ethernet(
            [0x11, 0, 0, 1, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0x21] + packet,
            etherType: 0x8864
        )
        #expect(datagram(decoder.decode(frame(pppoe)))?.payload == [4, 2])
    }
}
