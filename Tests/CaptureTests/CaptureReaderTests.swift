import Capture
import TestSupport
import Testing

@Suite("CaptureReader round trips")
struct CaptureReaderTests {
    /// Proves pcap in both byte orders and both time resolutions reads back exactly what was written:
    /// format detection, timestamps (µs or ns), link type, data, lengths, packet numbers and offsets.
    @Test(
        "pcap round trip",
        arguments: [(false, false), (false, true), (true, false), (true, true)]
    )
    func pcapRoundTrip(nanoseconds: Bool, bigEndian: Bool) throws {
        var writer = CaptureWriter(format: .pcap(nanoseconds: nanoseconds, bigEndian: bigEndian), linkType: .ethernet)
        let base: Int64 = 1_700_000_000_123_456_789
        for index in 0..<5 {
            writer.addUDP(
                timestamp: base + Int64(index) * 20_000_000,
                source: alice,
                destination: bob,
                payload: rtpPayload(sequence: UInt16(index))
            )
        }
        let result = try readCapture(writer.finish())
        #expect(result.reader.format == .pcap(nanoseconds: nanoseconds, bigEndian: bigEndian))
        #expect(result.frames.count == 5)
        #expect(result.frames.map(\.packetNumber) == [1, 2, 3, 4, 5])
        #expect(result.frames.first?.byteOffset == 24)
        for (index, frame) in result.frames.enumerated() {
            let written = base + Int64(index) * 20_000_000
            #expect(frame.timestamp == (nanoseconds ? written : written / 1_000 * 1_000))
            #expect(frame.linkType == .ethernet)
            #expect(!frame.isTruncated)
        }
        let datagrams = decodeDatagrams(result.frames)
        #expect(datagrams.map(\.payload) == (0..<5).map { rtpPayload(sequence: UInt16($0)) })
        #expect(datagrams.allSatisfy { $0.source == alice && $0.destination == bob })
        #expect(result.reader.warnings.isEmpty)
    }

    /// Proves pcapng with two sections of opposite byte order, several interfaces of different link types and
    /// timestamp resolutions (10^-9, 2^-20, 10^-3 with if_tsoffset), and EPB, SPB and OPB blocks.
    @Test("pcapng: sections, interfaces, resolutions, EPB/SPB/OPB")
    func pcapngRoundTrip() throws {
        let base: Int64 = 1_700_000_000_000_000_000
        var writer = CaptureWriter(format: .pcapng(bigEndian: true), linkType: .ethernet, resolution: .decimal(9))
        let cooked = writer.addInterface(.init(linkType: .linuxCooked2, resolution: .binary(20)))
        let raw = writer.addInterface(.init(linkType: .raw, resolution: .decimal(3), offsetSeconds: 1_000))
        writer.addUDP(timestamp: base + 1, source: alice, destination: bob, payload: rtpPayload(sequence: 1))
        writer.addUDP(
            timestamp: base + 1_048_576_000,
            source: alice,
            destination: bob,
            payload: rtpPayload(sequence: 2),
            interface: cooked
        )
        writer.addUDP(
            timestamp: base + 5_000_000,
            source: alice6,
            destination: bob6,
            payload: rtpPayload(sequence: 3),
            interface: raw,
            block: .obsolete
        )
        writer.addUDP(
            timestamp: base,
            source: bob,
            destination: alice,
            payload: rtpPayload(sequence: 4),
            block: .simple
        )
        writer.startSection(bigEndian: false)
        writer.addInterface(.init(linkType: .null))
        writer.addUDP(timestamp: base + 7_000, source: bob6, destination: alice6, payload: rtpPayload(sequence: 5))
        let result = try readCapture(writer.finish(), name: "multi.pcapng")
        #expect(result.reader.format == .pcapng(bigEndian: true))
        #expect(result.frames.map(\.linkType) == [.ethernet, .linuxCooked2, .raw, .ethernet, .null])
        #expect(result.frames.map(\.interfaceIndex) == [0, cooked, raw, 0, 0])
        #expect(result.frames[0].timestamp == base + 1)
        // 2^-20 s units: 1.048576 s is exactly 1,099,511 units... of which the writer floors the fraction.
        #expect(abs(result.frames[1].timestamp - (base + 1_048_576_000)) < 1_000)
        #expect(result.frames[2].timestamp == base + 5_000_000)
        // A simple packet block has no timestamp: it takes the previous packet's.
        #expect(result.frames[3].timestamp == result.frames[2].timestamp)
        #expect(result.frames[4].timestamp == base + 7_000)
        let datagrams = decodeDatagrams(result.frames)
        #expect(datagrams.map(\.payload) == (1...5).map { rtpPayload(sequence: UInt16($0)) })
        #expect(datagrams[2].source == alice6)
    }

    /// Proves rtpdump records become UDP datagrams to the header's address (where rtpdump received them;
    /// RTCP on port + 1) from 0.0.0.0:0, with millisecond offsets added to the start time.
    @Test("rtpdump round trip")
    func rtpdumpRoundTrip() throws {
        let recorder = Endpoint(address: IPAddress("203.0.113.5")!, port: 5004)
        var writer = CaptureWriter(format: .rtpdump(address: recorder))
        let start: Int64 = 1_700_000_000_250_000_000
        for index in 0..<3 {
            writer.addUDP(
                timestamp: start + Int64(index) * 20_000_000,
                source: alice,
                destination: bob,
                payload: rtpPayload(sequence: UInt16(index))
            )
        }
        let report: [UInt8] = [0x80, 201, 0, 1, 0xCA, 0xFE, 0xF0, 0x0D]
        writer.addUDP(timestamp: start + 100_000_000, source: alice, destination: bob, payload: report)
        let result = try readCapture(writer.finish(), name: "call.rtp")
        #expect(result.reader.format == .rtpdump)
        #expect(result.frames.map(\.timestamp) == [start, start + 20_000_000, start + 40_000_000, start + 100_000_000])
        let datagrams = decodeDatagrams(result.frames)
        #expect(datagrams.count == 4)
        #expect(datagrams[0].destination == recorder)
        #expect(datagrams[0].source == Endpoint(address: IPAddress(ipv4: 0), port: 0))
        #expect(datagrams[3].destination == Endpoint(address: recorder.address, port: 5005))
        #expect(PayloadClassifier.classify(datagrams[0]).category == .rtp)
        #expect(PayloadClassifier.classify(datagrams[3]).category == .rtcp)
        #expect(datagrams[0].payload == rtpPayload(sequence: 0))
    }

    /// Proves the pure reader refuses a gzip-compressed capture with an error that says it is inflated first
    /// (the Transcoder's feed inflates it with zlib before the reader; see TranscoderTests' CompressedCaptureTests).
    @Test("a gzip-compressed capture is refused, naming what to do")
    func gzipRefused() {
        let (_, error) = readOutcome(GzipWriter.compress(sampleCaptures()[0]), name: "x.pcap.gz")
        #expect(error?.code == .notACapture)
        #expect(error?.byteOffset == 0)
        #expect(error?.description.contains("a gzip-compressed capture is inflated first") == true)
    }

    /// Proves chunked feeding (1 byte, 7 bytes, 64 KiB at a time) yields identical frames.
    @Test("chunk sizes do not change the frames", arguments: [1, 7, 65_536])
    func chunking(chunkSize: Int) throws {
        for plain in sampleCaptures() {
            let expected = try readCapture(plain, chunkSize: plain.count).frames.map(FrameSummary.init)
            #expect(try readCapture(plain, chunkSize: chunkSize).frames.map(FrameSummary.init) == expected)
        }
    }

    /// Proves the same on a real capture (the pcapng with VLANs) and a real pcap, in 7-byte chunks.
    @Test("chunking a real capture", .enabled(if: TestData.shouldRun))
    func chunkingRealCapture() throws {
        for path in ["ndpi/vlan_qinq_gtp_rtp_false_positives.pcapng", "asterisk-testsuite/dtmf_2833_1_noend.pcap"] {
            let bytes = try TestData.bytes("captures/" + path)
            let whole = try readCapture(bytes, chunkSize: bytes.count).frames.map(FrameSummary.init)
            #expect(try readCapture(bytes, chunkSize: 7).frames.map(FrameSummary.init) == whole)
            #expect(try readCapture(bytes, chunkSize: 1).frames.map(FrameSummary.init) == whole)
        }
    }

    /// Proves snaplen truncation (caplen < len) is kept: the frame is marked, and the datagram is flagged
    /// truncated with the captured part of its payload.
    @Test("snaplen-truncated packets are flagged")
    func snaplenTruncation() throws {
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false), snapLength: 96)
        writer.addUDP(timestamp: 0, source: alice, destination: bob, payload: rtpPayload(sequence: 9))
        let result = try readCapture(writer.finish())
        let frame = try #require(result.frames.first)
        #expect(frame.capturedLength == 96)
        #expect(frame.originalLength == 14 + 20 + 8 + 172)
        #expect(frame.isTruncated)
        let datagram = try #require(decodeDatagrams(result.frames).first)
        #expect(datagram.isTruncated)
        #expect(datagram.payload == Array(rtpPayload(sequence: 9).prefix(96 - 42)))
    }

    /// Proves a datagram's frames keep their byte offsets, so errors downstream can point into the file.
    @Test("byte offsets point at records")
    func byteOffsets() throws {
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false))
        writer.addUDP(timestamp: 0, source: alice, destination: bob, payload: [1, 2, 3, 4, 5])
        writer.addUDP(timestamp: 0, source: alice, destination: bob, payload: [1, 2, 3])
        let result = try readCapture(writer.finish())
        #expect(result.frames.map(\.byteOffset) == [24, 24 + 16 + 47])
        #expect(result.reader.bytesConsumed == 24 + 16 + 47 + 16 + 45)
    }
}

/// Small captures of every container, for chunking tests.
func sampleCaptures() -> [[UInt8]] {
    var captures = [[UInt8]]()
    for format in [CaptureWriter.Format.pcap(nanoseconds: true, bigEndian: false), .pcapng(bigEndian: true)] {
        var writer = CaptureWriter(format: format, linkType: .ethernet)
        for index in 0..<40 {
            writer.addUDP(
                timestamp: 1_000_000_000 * Int64(index),
                source: index % 2 == 0 ? alice : bob,
                destination: index % 2 == 0 ? bob : alice,
                payload: rtpPayload(sequence: UInt16(index)),
                vlanTags: index % 3 == 0 ? [.customer(100)] : []
            )
        }
        captures.append(writer.finish())
    }
    var dump = CaptureWriter(format: .rtpdump(address: alice))
    for index in 0..<10 {
        dump.addUDP(
            timestamp: Int64(index) * 20_000_000,
            source: alice,
            destination: bob,
            payload: rtpPayload(sequence: 1)
        )
    }
    captures.append(dump.finish())
    return captures
}

@Suite("CaptureReader details")
struct CaptureReaderDetailTests {
    /// Proves unknown and non-packet pcapng blocks (name resolution, interface statistics, a custom block) are
    /// skipped without counting as packets.
    @Test("unknown pcapng blocks are skipped")
    func unknownBlocks() throws {
        var writer = CaptureWriter(format: .pcapng(bigEndian: false))
        writer.addUDP(timestamp: 0, source: alice, destination: bob, payload: [1])
        for type: UInt32 in [4, 5, 0x0000_0BAD, 0x4000_0BAD] {
            writer.appendRaw(le32(type) + le32(16) + le32(0) + le32(16))
        }
        writer.addUDP(timestamp: 0, source: alice, destination: bob, payload: [2])
        let result = try readCapture(writer.finish())
        #expect(result.frames.map(\.packetNumber) == [1, 2])
        #expect(decodeDatagrams(result.frames).map(\.payload) == [[1], [2]])
    }

    /// Proves the NULL link type's family is read in either byte order (it is the capturing host's order).
    @Test("NULL family in both byte orders")
    func nullByteOrders() throws {
        let packet = PacketBuilder.udpPacket(source: alice6, destination: bob6, payload: [3])
        var decoder = PacketDecoder()
        for bigEndian in [false, true] {
            let data = PacketBuilder.null(packet, family: 10, bigEndian: bigEndian)
            #expect(datagram(decoder.decode(frame(data, .null)))?.payload == [3])
        }
    }

    /// Proves the error description format: input, what, expected, found, byte and packet.
    @Test("error description")
    func errorDescription() {
        let error = CaptureError(
            .oversizedRecord,
            input: "call.pcap",
            expected: "at most 262144 bytes",
            found: "4294967280 bytes",
            byteOffset: 87,
            packetNumber: 2
        )
        #expect(
            error.description
                == "call.pcap: oversized record: expected at most 262144 bytes, found 4294967280 bytes at byte 87 (packet 2)"
        )
        #expect(CaptureWarning(error).description == error.description)
    }

    /// Proves an empty input and a too-short input are errors at finish, and that appending after finish is refused.
    @Test("empty and tiny inputs")
    func emptyInputs() throws {
        var empty = CaptureReader(name: "empty")
        #expect(throws: CaptureError.self) { try empty.finish() }
        var tiny = CaptureReader(name: "tiny")
        try tiny.append([0xD4, 0xC3])
        #expect(throws: CaptureError.self) { try tiny.finish() }
        var done = CaptureReader(name: "done")
        try done.append(sampleCaptures()[0])
        try done.finish()
        #expect(throws: CaptureError.self) { try done.append([1]) }
    }

    /// Proves the pcap link-type field's upper bits (FCS information) do not change the link type.
    @Test("pcap FCS bits in the link-type field")
    func fcsBits() throws {
        var bytes = sampleCaptures()[0]
        bytes[23] = 0x10 | 0x20  // F bit and an FCS length, big end of the little-endian field
        #expect(try readCapture(bytes).frames.first?.linkType == .ethernet)
    }
}

@Suite("DatagramReader")
struct DatagramReaderTests {
    /// Proves the combined reader yields the same datagrams as reader + decoder, chunking included.
    @Test("same datagrams as reader + decoder")
    func sameDatagrams() throws {
        for plain in sampleCaptures() {
            let expected = decodeDatagrams(try readCapture(plain).frames).map(\.payload)
            var datagrams = DatagramReader(name: "x")
            var payloads = [[UInt8]]()
            var offset = 0
            while offset < plain.count {
                try datagrams.append(Array(plain[offset..<min(plain.count, offset + 100)]))
                while let datagram = try datagrams.next() { payloads.append(datagram.payload) }
                offset += 100
            }
            try datagrams.finish()
            while let datagram = try datagrams.next() { payloads.append(datagram.payload) }
            datagrams.close()
            #expect(payloads == expected)
        }
    }
}

@Suite("Writer → reader → decoder round trips per link type")
struct LinkTypeRoundTripTests {
    /// Proves, for every link type in pcap and pcapng, that IPv4 (with options, and fragmented out of order),
    /// IPv6 (with extension headers, and fragmented), and on Ethernet VLAN/QinQ-tagged frames, all come back as
    /// the datagrams written.
    @Test(
        "every link type",
        arguments: PacketDecoderTests.linkTypes,
        [CaptureWriter.Format.pcap(nanoseconds: true, bigEndian: true), .pcapng(bigEndian: false)]
    )
    func roundTrip(linkType: LinkType, format: CaptureWriter.Format) throws {
        var writer = CaptureWriter(format: format, linkType: linkType)
        let tags: [PacketBuilder.VLANTag] = linkType == .ethernet ? [.service(200), .customer(20)] : []
        let big = (0..<2_000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        writer.addUDP(
            timestamp: 1,
            source: alice,
            destination: bob,
            payload: [1],
            vlanTags: tags,
            ipv4Options: [1, 1, 1, 1]
        )
        writer.addUDP(
            timestamp: 2,
            source: alice6,
            destination: bob6,
            payload: [2],
            vlanTags: tags,
            ipv6ExtensionHeaders: [.hopByHop(options: []), .destinationOptions(options: [1, 2, 0, 0])]
        )
        writer.addUDPFragments(
            timestamp: 3,
            source: bob,
            destination: alice,
            payload: big,
            count: 3,
            order: [2, 0, 1],
            vlanTags: tags
        )
        writer.addUDPFragments(
            timestamp: 4,
            source: bob6,
            destination: alice6,
            payload: big,
            count: 2,
            order: [1, 0],
            vlanTags: tags,
            ipv6ExtensionHeaders: [.routing(type: 4, segmentsLeft: 0, data: [])]
        )
        let result = try readCapture(writer.finish())
        #expect(result.frames.count == 7)
        #expect(result.frames.allSatisfy { $0.linkType == linkType })
        var decoder = PacketDecoder()
        let datagrams = decodeDatagrams(result.frames, decoder: &decoder)
        #expect(datagrams.map(\.payload) == [[1], [2], big, big])
        #expect(datagrams.map(\.source) == [alice, alice6, bob, bob6])
        #expect(decoder.counters.reassembled == 2)
        #expect(decoder.counters.totalSkipped == 0)
    }
}
