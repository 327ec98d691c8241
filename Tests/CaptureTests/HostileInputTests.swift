import Capture
import TestSupport
import Testing

/// Reads whatever the bytes give; returns the error if one was thrown.
func readOutcome(
    _ bytes: [UInt8],
    name: String = "hostile.pcap",
    chunkSize: Int = 4_096
) -> (ReadResult?, CaptureError?) {
    do {
        return (try readCapture(bytes, name: name, chunkSize: chunkSize), nil)
    } catch {
        return (nil, error)
    }
}

func le32(_ value: UInt32) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
}

@Suite("Hostile input never traps or hangs")
struct HostileInputTests {
    /// Proves every prefix of a small capture of each container either reads the whole
    /// records it holds, with a truncation warning naming the offset, or fails with a header error; never traps.
    @Test("truncated at every offset")
    func truncatedEverywhere() throws {
        for full in sampleCaptures().map({ Array($0.prefix(700)) }) {
            let complete = try readCapture(full).frames.count
            for length in 0..<full.count {
                let (result, error) = readOutcome(Array(full[0..<length]), chunkSize: 13)
                if let error {
                    #expect(
                        [.emptyInput, .notACapture, .truncatedHeader].contains(error.code),
                        "\(length): \(error)"
                    )
                    #expect(error.description.contains("hostile.pcap"))
                } else if let result {
                    #expect(result.frames.count <= complete)
                    if result.reader.bytesConsumed < length {
                        let warning = try #require(result.reader.warnings.first)
                        #expect(warning.code == .truncatedRecord)
                        #expect(warning.byteOffset == result.reader.bytesConsumed)
                    }
                }
            }
        }
    }

    /// Proves random garbage is "not a capture" at byte 0, naming the input.
    @Test("garbage is not a capture")
    func garbage() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<1_000).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
        let (_, error) = readOutcome([0x47, 0x45, 0x54, 0x20] + bytes, name: "index.html")
        #expect(error?.code == .notACapture)
        #expect(error?.byteOffset == 0)
        #expect(error?.description.hasPrefix("index.html: not a capture: expected") == true)
    }

    /// Proves a record announcing a 4 GB packet is an error naming packet and offset, not an allocation.
    @Test("a 4 GB record is refused")
    func hugeRecord() {
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false))
        writer.addUDP(timestamp: 0, source: alice, destination: bob, payload: [1, 2, 3, 4, 5])
        writer.appendRaw(le32(0) + le32(0) + le32(0xFFFF_FFF0) + le32(0xFFFF_FFF0))
        let (_, error) = readOutcome(writer.finish())
        #expect(error?.code == .oversizedRecord)
        #expect(error?.packetNumber == 2)
        #expect(error?.byteOffset == 24 + 16 + 47)
        #expect(error?.description.contains("at byte 87 (packet 2)") == true)
    }

    /// Proves a huge snaplen does not lift the absolute record bound (16 MiB by default).
    @Test("huge snaplen keeps the absolute bound")
    func hugeSnaplen() {
        let header: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0] + le32(0) + le32(0) + le32(0xFFFF_FFFF) + le32(1)
        let record = le32(0) + le32(0) + le32(200_000_000) + le32(200_000_000)
        let (_, error) = readOutcome(header + record)
        #expect(error?.code == .oversizedRecord)
    }

    /// Proves pcapng block lengths are checked: zero, below 12, not a multiple of 4, oversized, and a
    /// trailing length that disagrees all fail with the block's offset, so no block can loop the reader.
    @Test("pcapng block length sanity", arguments: [0, 8, 13, 0x7FFF_FFF0, -1])
    func pcapngBlockLengths(length: Int) {
        var writer = CaptureWriter(format: .pcapng(bigEndian: false))
        writer.addUDP(timestamp: 0, source: alice, destination: bob, payload: [1, 2, 3])
        let start = writer.finish().count
        if length >= 0 {
            writer.appendRaw(le32(6) + le32(UInt32(length)) + [UInt8](repeating: 0, count: 64))
        } else {
            writer.appendRaw(le32(0x0BAD) + le32(16) + le32(0) + le32(20))  // trailing length differs
        }
        let (_, error) = readOutcome(writer.finish())
        #expect(error?.code == (length == 0x7FFF_FFF0 ? .oversizedRecord : .badBlock), "\(String(describing: error))")
        #expect(error.map { $0.byteOffset == start + 4 || $0.byteOffset == start + 12 } == true)
    }

    /// Proves a packet on an interface that was never described is an error, not a crash.
    @Test("pcapng unknown interface")
    func unknownInterface() {
        var writer = CaptureWriter(format: .pcapng(bigEndian: false))
        writer.appendRaw(le32(6) + le32(32) + le32(7) + le32(0) + le32(0) + le32(0) + le32(0) + le32(32))
        let (_, error) = readOutcome(writer.finish())
        #expect(error?.code == .unknownInterface)
        #expect(error?.packetNumber == 1)
    }

    /// Proves zero-length packets are frames with no data, which the decoder skips as a short link header.
    @Test("zero-length packets")
    func zeroLength() throws {
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false))
        writer.addFrame([], timestamp: 0)
        writer.addFrame([], timestamp: 1_000, originalLength: 60)
        let result = try readCapture(writer.finish())
        #expect(result.frames.count == 2)
        var decoder = PacketDecoder()
        for frame in result.frames {
            guard case .skipped(.truncatedLinkHeader) = decoder.decode(frame) else {
                Issue.record("zero-length frame not skipped")
                continue
            }
        }
    }

    /// Proves an rtpdump record shorter than its own header is an error (a zero length would never advance).
    @Test("rtpdump zero-length record")
    func rtpdumpZeroRecord() {
        var writer = CaptureWriter(format: .rtpdump(address: alice))
        writer.addUDP(timestamp: 0, source: alice, destination: bob, payload: rtpPayload(sequence: 1))
        let (_, error) = readOutcome(writer.finish() + [0, 0, 0, 0, 0, 0, 0, 0], name: "x.rtp")
        #expect(error?.code == .badRecord)
        #expect(error?.packetNumber == 2)
    }

    /// Proves 65,535 VLAN tags end in `.tooManyTags` after the configured depth, quickly.
    @Test("65,535 VLAN tags")
    func manyVLANTags() {
        let tags = [PacketBuilder.VLANTag](repeating: .customer(1), count: 65_535)
        let frame = PacketBuilder.ethernet([0x45], etherType: 0x0800, vlanTags: tags)
        var decoder = PacketDecoder()
        let outcome = decoder.decode(
            LinkFrame(
                timestamp: 0,
                linkType: .ethernet,
                data: frame,
                originalLength: frame.count,
                packetNumber: 1,
                byteOffset: 0
            )
        )
        guard case .skipped(.tooManyTags) = outcome else {
            Issue.record("expected tooManyTags, got \(outcome)")
            return
        }
    }

    /// Proves random bytes after a valid pcap header never trap: each gives frames, a warning or an error.
    @Test("random records after a valid header", arguments: 0..<20)
    func randomRecords(seed: Int) {
        var state = UInt64(seed) &* 6_364_136_223_846_793_005 &+ 1
        var bytes: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0] + le32(0) + le32(0) + le32(65_535) + le32(1)
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(UInt8(truncatingIfNeeded: state >> 56) & (seed % 2 == 0 ? 0x3F : 0xFF))
        }
        let (result, _) = readOutcome(bytes)
        if let result {
            var decoder = PacketDecoder()
            for frame in result.frames {
                if case .datagram(let datagram) = decoder.decode(frame) {
                    _ = PayloadClassifier.classify(datagram)
                }
            }
        }
    }
}

@Suite("Mutated input never traps")
struct MutationTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Proves captures (pcap, pcapng, rtpdump) with random bytes changed are read, decoded,
    /// classified and parsed as RTP/SIP without a trap: each ends in frames, warnings or a `CaptureError`.
    @Test("random byte flips", arguments: 0..<6)
    func flips(seed: Int) {
        var random = SplitMix(state: UInt64(seed))
        let samples = sampleCaptures().map { Array($0.prefix(3_000)) }
        for sample in samples {
            for _ in 0..<20 {
                var bytes = sample
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
                guard let result = readOutcome(bytes, chunkSize: 97).0 else { continue }
                var decoder = PacketDecoder()
                for frame in result.frames {
                    guard case .datagram(let datagram) = decoder.decode(frame) else { continue }
                    if case .rtp(let packet) = PayloadClassifier.classify(datagram) {
                        _ = try? TelephoneEvent(parsing: packet.payload)
                        _ = try? ComfortNoise(parsing: packet.payload)
                    }
                    _ = try? SIPMessage(parsing: datagram.payload)
                }
            }
        }
    }

    /// Proves the SIP and SDP parsers survive random text and random bytes.
    @Test("random SIP and SDP text", arguments: 0..<4)
    func sipText(seed: Int) {
        var random = SplitMix(state: UInt64(seed) &+ 99)
        let alphabet = Array(
            "INVITE SIP/2.0 sip: \r\n:;=<>\"tag=v=0 c=IN IP4 IP6 m=audio a=rtpmap:96 /8000 0123456789".utf8
        )
        for _ in 0..<300 {
            let length = Int.random(in: 0..<300, using: &random)
            let text = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            for candidate in [Array("SIP/2.0 200 OK\r\n".utf8) + text, text, bytes] {
                if let message = try? SIPMessage(parsing: candidate) {
                    _ = message.sdp
                    _ = message.cseq
                    _ = message.fromTag
                }
                _ = SDPSession(parsing: candidate)
                _ = PayloadClassifier.classify(candidate)
            }
        }
    }
}
