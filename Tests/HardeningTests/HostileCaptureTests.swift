import CallTimeline
import Capture
import Gzip
import TestSupport
import Testing
import Transcoder

/// Hostile captures through the whole read side (`CaptureIngest`: reader, decoder, classifier, timeline), as
/// the CLI and the Lambda read them: each gives a clear error or a clean result, and its memory stays bounded
/// (the figures are printed, never asserted; the counts and outcomes are).
@Suite("Hostile captures")
struct HostileCaptureTests {
    /// A deflate stream (RFC 1951) that writes `prefix` and a zero in a fixed-Huffman block, then `matches`
    /// back-references of 258 zero bytes in a dynamic block whose codes make each one 2 bits long (length
    /// symbol 285 and distance code 0 get 1-bit codes): about 1,000 bytes out per byte in, as real bombs do.
    static func deflateBomb(prefix: [UInt8], matches: Int) -> [UInt8] {
        var bits = BitWriter()
        bits.write(0, bits: 1)  // BFINAL 0
        bits.write(1, bits: 2)  // BTYPE 01: fixed Huffman codes (§3.2.6)
        for byte in prefix + [0] {
            // Literals 0–143: 8-bit codes 0x30 + literal; 144–255: 9-bit codes 0x190 + (literal − 144).
            if byte < 144 {
                bits.writeCode(0x30 + Int(byte), length: 8)
            } else {
                bits.writeCode(0x190 + Int(byte) - 144, length: 9)
            }
        }
        bits.writeCode(0, length: 7)  // end of block (256)
        bits.write(1, bits: 1)  // BFINAL 1
        bits.write(2, bits: 2)  // BTYPE 10: dynamic Huffman codes (§3.2.7)
        bits.write(286 - 257, bits: 5)  // HLIT: literal/length codes 0–285
        bits.write(2 - 1, bits: 5)  // HDIST: distance codes 0–1
        bits.write(18 - 4, bits: 4)  // HCLEN: code length code lengths up to symbol 1 in the §3.2.7 order
        // Code length code lengths in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1: symbol 18 gets
        // 1 bit ("0"), symbols 1 and 2 get 2 bits ("10", "11").
        for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] { bits.write(length, bits: 3) }
        // Literal/length lengths: 0 → 2, 1–255 → 0, 256 → 2, 257–284 → 0, 285 → 1; distances 0, 1 → 1.
        // Canonical codes: 285 "0", 0 "10", 256 "11"; distance 0 "0", distance 1 "1".
        bits.writeCode(0b11, length: 2)  // length 2 (literal 0)
        bits.writeCode(0, length: 1)  // 18: 11 + 127 = 138 zeros
        bits.write(127, bits: 7)
        bits.writeCode(0, length: 1)  // 18: 11 + 106 = 117 zeros (literals 1–255)
        bits.write(106, bits: 7)
        bits.writeCode(0b11, length: 2)  // length 2 (end of block)
        bits.writeCode(0, length: 1)  // 18: 11 + 17 = 28 zeros (lengths 257–284)
        bits.write(17, bits: 7)
        for _ in 0..<3 { bits.writeCode(0b10, length: 2) }  // length 1 (285, distance 0, distance 1)
        for _ in 0..<matches {
            bits.writeCode(0, length: 1)  // 285: length 258
            bits.writeCode(0, length: 1)  // distance code 0: distance 1
        }
        bits.writeCode(0b11, length: 2)  // end of block
        return bits.finish()
    }

    /// A gzip member around raw deflate data; CRC-32 and ISIZE are zero (the bomb never gets that far).
    static func gzip(deflate: [UInt8]) -> [UInt8] {
        [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255] + deflate + [UInt8](repeating: 0, count: 8)
    }

    // Proves a gzip bomb (a 20 KB file inflating to 20 MB of zero-length pcap records, ratio ~1000:1) stops
    // at the inflater's ratio limit (250:1 past 16 MiB) with an invalid-capture error naming the limit (and the
    // input once), instead of being inflated whole.
    @Test("a gzip bomb is refused at the ratio limit")
    func gzipBomb() throws {
        let bomb = Self.gzip(deflate: Self.deflateBomb(prefix: Hardening.pcapHeader(), matches: 80_000))
        #expect(bomb.count < 21_000)
        let reading = Hardening.ingest(bomb)
        let error = try #require(Hardening.failure(reading))
        #expect(error.code == .invalidCapture)
        #expect("\(error)".contains("decompression limit exceeded"))
        #expect("\(error)".contains("250 inflated bytes per compressed byte"))
        #expect((error.underlying as? GzipError)?.code == .limitExceeded)
        print("gzip bomb: \(bomb.count) bytes in; \(error); peak RSS \(Hardening.peakMemoryMiB()) MiB")
    }

    // Proves the bomb is read as intended when small: 100 two-bit matches inflate to the pcap header, a zero
    // and 25,800 zeros (24 + 1 + 25,800 bytes) — so the big one is refused for its ratio, not its syntax.
    @Test("a small bomb is a valid capture of zero-length records")
    func smallBombReads() throws {
        let small = Self.gzip(deflate: Self.deflateBomb(prefix: Hardening.pcapHeader(), matches: 100))
        var inflater = GzipInflater(name: "small")
        small.withUnsafeBytes { inflater.append($0) }
        inflater.finish()
        var output: [UInt8] = []
        // The trailer's CRC-32 and ISIZE are zero: zlib inflates everything, then refuses the member's check.
        let error = #expect(throws: GzipError.self) { try inflater.inflate(into: &output, maxOutput: 1 << 20) }
        #expect(error?.reason == "incorrect data check")
        #expect(output.count == 24 + 1 + 25_800)
        #expect(Array(output.prefix(24)) == Hardening.pcapHeader())
    }

    // Proves a pcap header announcing a 4 GiB snaplen and a record announcing a 2 GiB packet gives an
    // "oversized record" error at that record's offset — no 2 GiB allocation, no trap.
    @Test("a gigantic snaplen and packet size are refused")
    func gigantic() throws {
        let bytes =
            Hardening.pcapHeader(snapLength: 0xFFFF_FFFF)
            + Hardening.pcapRecordHeader(captured: 0x7FFF_FFF0, original: 0xFFFF_FFFF) + [1, 2, 3, 4]
        let error = try #require(Hardening.failure(Hardening.ingest(bytes)))
        #expect(error.code == .invalidCapture)
        #expect("\(error)".contains("oversized record"))
        #expect("\(error)".contains("at byte 24"))
        // SPEC §5: `<input>: <reason>`, the input named once (it was named twice before this branch).
        #expect("\(error)".hasPrefix("hostile: oversized record"))
    }

    // Proves a record whose original length is 4 GiB but whose captured part is small is read as a truncated
    // packet (caplen < len), not refused and not trusted.
    @Test("a gigantic original length with a small captured part is read")
    func giganticOriginalLength() throws {
        let frame = PacketBuilder.frame(
            ipPacket: PacketBuilder.udpPacket(source: Hardening.alice, destination: Hardening.bob, payload: [1, 2]),
            linkType: .ethernet
        )
        let bytes =
            Hardening.pcapHeader(snapLength: 0xFFFF_FFFF)
            + Hardening.pcapRecordHeader(captured: UInt32(frame.count), original: 0xFFFF_FFFF) + frame
        let reading = Hardening.ingest(bytes)
        #expect(Hardening.failure(reading)?.code != .invalidCapture)
        if case .success(let contents) = reading { #expect(contents.frames == 1) }
    }

    // Proves one million zero-length packets are each counted and skipped (16 MB of record headers, fed in
    // 64 KiB chunks), ending with "no RTP found" and the count, in memory that does not grow with the count.
    @Test("a million zero-length packets")
    func millionEmptyPackets() throws {
        let count = 1_000_000
        var bytes = Hardening.pcapHeader()
        bytes.reserveCapacity(24 + 16 * count)
        let record = Hardening.pcapRecordHeader(captured: 0, original: 0)
        for _ in 0..<count { bytes += record }
        let contents = try Hardening.ingest(bytes).get()
        #expect(contents.frames == count)
        #expect(contents.skippedFrames[SkipReason.truncatedLinkHeader.rawValue] == count)
        let error = try #require(throws: TranscodeError.self) { try contents.selectCall(nil) }
        #expect(error.code == .noRTP)
        #expect("\(error)".contains("in \(count) packets"))
        print("1M zero-length packets: \(error.reason); peak RSS \(Hardening.peakMemoryMiB()) MiB")
    }

    // Proves pcapng with 200,000 tiny unknown blocks, an interface whose 30,000 options include zero-length
    // ones and one whose length runs past the block, and 2,000 extra sections, is read to its one packet:
    // unknown blocks are skipped, option walking always advances and stops at the block's end.
    @Test("pcapng with many tiny blocks, option loops and sections")
    func pcapngBlockStorm() throws {
        var bytes = Hardening.pcapngSectionHeader
        var options: [UInt8] = []
        for index in 0..<30_000 { options += Hardening.le16(index % 2 == 0 ? 2 : 0xBEEF) + Hardening.le16(0) }
        options += Hardening.le16(1) + Hardening.le16(0xFFFF)  // a comment longer than what is left
        bytes += Hardening.pcapngBlock(1, Hardening.le16(1) + Hardening.le16(0) + Hardening.le32(65_535) + options)
        let tiny = Hardening.pcapngBlock(0x0000_0BAD, [])
        for _ in 0..<200_000 { bytes += tiny }
        for _ in 0..<2_000 {
            bytes += Hardening.pcapngSectionHeader
            bytes += Hardening.pcapngBlock(1, Hardening.le16(1) + Hardening.le16(0) + Hardening.le32(65_535))
        }
        let rtp = RTPPacketBytes.make(
            payloadType: 0,
            marker: false,
            sequence: 1,
            timestamp: 0,
            ssrc: 1,
            payload: [UInt8](repeating: 0xFF, count: 160)
        )
        let frame = PacketBuilder.frame(
            ipPacket: PacketBuilder.udpPacket(source: Hardening.alice, destination: Hardening.bob, payload: rtp),
            linkType: .ethernet
        )
        bytes += Hardening.pcapngBlock(
            6,
            Hardening.le32(0) + Hardening.le32(0) + Hardening.le32(1_000) + Hardening.le32(UInt32(frame.count))
                + Hardening.le32(UInt32(frame.count)) + frame
        )
        let reading = Hardening.ingest(bytes)
        let contents = try reading.get()
        #expect(contents.frames == 1)
        #expect(contents.timeline.summary.streams.count == 1)
        print("pcapng block storm: \(bytes.count) bytes; peak RSS \(Hardening.peakMemoryMiB()) MiB")
    }

    // Proves a frame with 65,535 stacked 802.1Q tags (262 KB of tags) is skipped as "too many tags" and the
    // capture ends with "no RTP found": the tag walk stops at its depth limit.
    @Test("65,535 VLAN tags through the pipeline")
    func vlanTags() throws {
        let tags = [PacketBuilder.VLANTag](repeating: .customer(7), count: 65_535)
        let frame = PacketBuilder.frame(
            ipPacket: PacketBuilder.udpPacket(source: Hardening.alice, destination: Hardening.bob, payload: [0x80, 0]),
            linkType: .ethernet,
            vlanTags: tags
        )
        let bytes =
            Hardening.pcapHeader(snapLength: 1 << 20)
            + Hardening.pcapRecordHeader(captured: UInt32(frame.count), original: UInt32(frame.count)) + frame
        let reading = Hardening.ingest(bytes)
        let contents = try reading.get()
        #expect(contents.frames == 1)
        #expect(contents.skippedFrames[SkipReason.tooManyTags.rawValue] == 1)
        #expect(throws: TranscodeError.self) { try contents.selectCall(nil) }
    }
}
