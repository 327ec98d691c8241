import AudioCodecs
import PayloadFormats
import TestSupport
import Testing

@Suite("RFC 5574 Speex payloads")
struct SpeexPayloadTests {
    static func depacketizer(_ band: SpeexFormat.Band) -> Depacketizer {
        Depacketizer(codec: .speex(SpeexFormat(band: band)))!
    }

    // Proves every narrowband mode's size (the Speex manual's mode table, as libspeex 1.2.1's encoder writes it:
    // 43, 119, 160, 220, 300, 364, 492 and 79 bits for modes 1–8) by walking payloads of 1, 2 and 3 frames in that
    // mode: any error in a size would misplace the next frame's header.
    @Test(arguments: 0...8)
    func narrowbandModes(mode: Int) throws {
        var generator = SplitMix64(seed: UInt64(mode))
        for count in 1...3 {
            let payload = Packetizer.speex(
                Array(repeating: .frame(mode: mode, widebandSubModes: []), count: count),
                generator: &generator
            )
            let result = try Self.depacketizer(.narrowband).frames(of: payload)
            #expect(result.frames == [CodecFrame(kind: .speech, bytes: payload, sampleCount: 160 * count)])
            #expect(result.duration == PayloadDuration(ticks: 160 * count, fitsCodec: true))
        }
    }

    // Proves the wideband layer sizes (sub-modes 0–4: 4, 36, 112, 192, 352 bits) in wideband (one layer, 320 samples
    // per frame) and ultra-wideband (two layers, 640) payloads of several frames.
    @Test(arguments: 0...4)
    func widebandLayers(subMode: Int) throws {
        var generator = SplitMix64(seed: 100 + UInt64(subMode))
        let wideband = Packetizer.speex(
            [.frame(mode: 5, widebandSubModes: [subMode]), .frame(mode: 3, widebandSubModes: [subMode])],
            generator: &generator
        )
        #expect(try Self.depacketizer(.wideband).duration(of: wideband) == PayloadDuration(ticks: 640, fitsCodec: true))
        let ultra = Packetizer.speex(
            [.frame(mode: 4, widebandSubModes: [subMode, 1]), .frame(mode: 8, widebandSubModes: [2, subMode])],
            generator: &generator
        )
        #expect(
            try Self.depacketizer(.ultraWideband).duration(of: ultra) == PayloadDuration(ticks: 1280, fitsCodec: true)
        )
    }

    // Proves in-band requests (narrowband mode 14) are skipped, not counted as frames.
    @Test func inBandRequests() throws {
        var generator = SplitMix64(seed: 14)
        let payload = Packetizer.speex(
            [
                .inBandRequest(code: 9), .frame(mode: 3, widebandSubModes: []), .inBandRequest(code: 15),
                .frame(mode: 1, widebandSubModes: []),
            ],
            generator: &generator
        )
        #expect(
            try Self.depacketizer(.narrowband).duration(of: payload) == PayloadDuration(ticks: 320, fitsCodec: true)
        )
    }

    // Proves the terminator (mode 15) ends the payload: what follows is ignored.
    @Test func terminatorEndsThePayload() throws {
        var generator = SplitMix64(seed: 15)
        var payload = Packetizer.speex([.frame(mode: 3, widebandSubModes: [])], generator: &generator)
        // Mode 3's 160 bits end on an octet; a terminator octet (0 1111 111) and garbage follow.
        #expect(payload.count == 20)
        payload += [0x7F, 0xAB, 0xCD]
        #expect(
            try Self.depacketizer(.narrowband).duration(of: payload) == PayloadDuration(ticks: 160, fitsCodec: true)
        )
    }

    // Proves a payload whose bits break off inside a frame, or that has an invalid mode after a frame, is damaged,
    // its frames (the broken one included) counted for its duration.
    @Test func damagedPayloads() throws {
        var generator = SplitMix64(seed: 5)
        let payload = Packetizer.speex(
            Array(repeating: .frame(mode: 7, widebandSubModes: []), count: 2),
            generator: &generator
        )
        let cut = try Self.depacketizer(.narrowband).frames(of: Array(payload.prefix(70)))
        #expect(cut.frames == [CodecFrame(kind: .damaged, bytes: [], sampleCount: 320)])
        #expect(cut.duration == PayloadDuration(ticks: 320, fitsCodec: false))
        // A frame in mode 1 (43 bits), then mode 10 (invalid): 0 1010 at bit 43.
        var writer = MSBBitWriter()
        writer.write(1, bits: 5)
        writer.write(0, bits: 38)
        writer.write(10, bits: 5)
        writer.write(0, bits: 8)
        let invalid = try Self.depacketizer(.narrowband).duration(of: writer.bytes)
        #expect(invalid == PayloadDuration(ticks: 160, fitsCodec: false))
    }

    // Proves payloads with no countable frame are errors: empty, an invalid first mode, only a terminator.
    @Test(arguments: [
        ([UInt8](), PayloadFormatError.Code.emptyPayload), ([0b0_1011_000, 0], .invalidSpeexPayload),
        ([0b0_1111_111], .invalidSpeexPayload),
    ])
    func noFrames(payload: [UInt8], code: PayloadFormatError.Code) {
        #expect(
            performing: { try Self.depacketizer(.wideband).frames(of: payload) },
            throws: { ($0 as? PayloadFormatError)?.code == code }
        )
    }
}
