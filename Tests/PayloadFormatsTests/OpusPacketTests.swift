import AudioCodecs
import PayloadFormats
import TestSupport
import Testing

@Suite("RFC 7587 Opus payloads (RFC 6716 §3 framing)")
struct OpusPacketTests {
    static let opus = Depacketizer(codec: .opus(OpusFormat()))!

    static func frame(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return Packetizer.randomFrame(bytes: count, generator: &generator)
    }

    // Proves the frame duration of every TOC configuration (RFC 6716 Table 2) on the 48 kHz clock (RFC 7587 §4.1):
    // SILK 10/20/40/60 ms, hybrid 10/20 ms, CELT 2.5/5/10/20 ms; and that the packet is one frame for libopus.
    @Test func durationsOfEveryConfiguration() throws {
        let silk = [480, 960, 1920, 2880]
        let hybrid = [480, 960]
        let celt = [120, 240, 480, 960]
        for configuration in 0..<32 {
            let expected =
                configuration < 12
                ? silk[configuration % 4] : configuration < 16 ? hybrid[configuration % 2] : celt[configuration % 4]
            let packet = Packetizer.opus(configuration: configuration, frames: [Self.frame(40)])
            let result = try Self.opus.frames(of: packet)
            #expect(result.frames == [CodecFrame(kind: .speech, bytes: packet, sampleCount: expected)])
            #expect(result.duration == PayloadDuration(ticks: expected, fitsCodec: true))
        }
    }

    // Proves the four frame count codes (§3.2): code 1 (two equal frames), code 2 (two sizes, one- and two-byte
    // lengths), code 3 CBR and VBR, with padding of more than 254 bytes (§3.2.5).
    @Test(arguments: [
        ([40, 40], 0, false), ([10, 300], 0, false), ([300, 10], 0, false), ([20, 20, 20], 0, false),
        ([5, 260, 0, 17], 0, false), ([30, 30], 300, false), ([12], 0, true), ([0, 0, 0], 3, false),
    ])
    func frameCountCodes(sizes: [Int], padding: Int, code3: Bool) throws {
        let frames = sizes.enumerated().map { Self.frame($1, seed: UInt64($0)) }
        // Configuration 19: CELT wideband 20 ms.
        let packet = Packetizer.opus(configuration: 19, stereo: true, frames: frames, padding: padding, code3: code3)
        let result = try Self.opus.frames(of: packet)
        let empty = sizes.allSatisfy { $0 == 0 }
        #expect(result.duration == PayloadDuration(ticks: 960 * sizes.count, fitsCodec: true))
        #expect(
            result.frames == [
                CodecFrame(kind: empty ? .noData : .speech, bytes: packet, sampleCount: 960 * sizes.count)
            ]
        )
    }

    // Proves a TOC byte alone (a 0-byte frame: DTX, §3.2.1) is "no data" of its duration: the decoder conceals or
    // continues its comfort noise.
    @Test func discontinuousTransmission() throws {
        let result = try Self.opus.frames(of: [UInt8(1 << 3)])
        #expect(result.frames == [CodecFrame(kind: .noData, bytes: [8], sampleCount: 960)])
    }

    // Proves packets breaking RFC 6716 §3.4 but with a known duration are damaged frames of that duration: R2 (a frame
    // over 1275 bytes), R3 (code 1 with an odd frame total), R4 (code 2 length past the end), R6 (CBR not a multiple,
    // padding past the end), R7 (VBR lengths past the end).
    static let celt20: UInt8 = 19 << 3
    static let invalidPackets: [(String, [UInt8], Int)] = [
        ("R2", [celt20] + [UInt8](repeating: 1, count: 1276), 960),
        ("R3", [celt20 | 1, 1, 2, 3], 1920),
        ("R4", [celt20 | 2, 200, 1, 2], 1920),
        ("R4 two-byte length cut", [celt20 | 2, 253], 1920),
        ("R6 not a multiple", [celt20 | 3, 3, 1, 2, 3, 4], 2880),
        ("R6 padding past end", [celt20 | 3, 0x42, 50, 1, 2], 1920),
        ("R6 padding count cut", [celt20 | 3, 0x42, 255], 1920),
        ("R7", [celt20 | 3, 0x83, 10, 10, 1, 2, 3], 2880),
    ]

    @Test(arguments: invalidPackets)
    func invalidPacketsWithADuration(rule: String, packet: [UInt8], ticks: Int) throws {
        let result = try Self.opus.frames(of: packet)
        #expect(result.frames == [CodecFrame(kind: .damaged, bytes: [], sampleCount: ticks)], "\(rule)")
        #expect(result.duration == PayloadDuration(ticks: ticks, fitsCodec: false), "\(rule)")
        #expect(try Self.opus.duration(of: packet) == result.duration)
    }

    // Proves packets that give no duration are errors to count: empty (R1), code 3 without its frame count byte,
    // with no frame, or with more than 120 ms (R5: 7 × 20 ms; 49 × 2.5 ms).
    static let packetsWithoutDuration: [([UInt8], PayloadFormatError.Code)] = [
        ([], .emptyPayload), ([celt20 | 3], .truncatedHeader), ([celt20 | 3, 0], .invalidOpusPacket),
        ([celt20 | 3, 7], .invalidOpusPacket), ([16 << 3 | 3, 49], .invalidOpusPacket),
    ]

    @Test(arguments: packetsWithoutDuration)
    func packetsWithoutADuration(packet: [UInt8], code: PayloadFormatError.Code) {
        #expect(performing: { try Self.opus.frames(of: packet) }, throws: { ($0 as? PayloadFormatError)?.code == code })
    }

    // Proves Opus frames count their samples at the rate the decoder is run at (libopus: 8 to 48 kHz), while the
    // duration stays in 48 kHz ticks; other rates are refused.
    @Test(arguments: [(8000, 160), (12000, 240), (16000, 320), (24000, 480), (48000, 960)])
    func decodingRate(rate: Int, samples: Int) throws {
        let depacketizer = try #require(Depacketizer(codec: .opus(OpusFormat()), opusSampleRate: rate))
        let result = try depacketizer.frames(of: Packetizer.opus(configuration: 19, frames: [Self.frame(30)]))
        #expect(result.frames.map(\.sampleCount) == [samples] && result.duration.ticks == 960)
        #expect(depacketizer.sampleRate == rate)
        #expect(Depacketizer(codec: .opus(OpusFormat()), opusSampleRate: 44100) == nil)
        #expect(Depacketizer(codec: .pcmu, opusSampleRate: rate)?.sampleRate == 8000)
    }

    // Proves the longest legal packets are accepted: 120 ms as 6 × 20 ms and as 48 × 2.5 ms (R5's bound).
    @Test func longestPackets() throws {
        let six = Packetizer.opus(configuration: 19, frames: Array(repeating: Self.frame(3), count: 6))
        #expect(try Self.opus.duration(of: six) == PayloadDuration(ticks: 5760, fitsCodec: true))
        let many = Packetizer.opus(configuration: 16, frames: Array(repeating: Self.frame(2), count: 48))
        #expect(try Self.opus.duration(of: many) == PayloadDuration(ticks: 5760, fitsCodec: true))
    }
}
