import AudioCodecs
import PayloadFormats
import TestSupport
import Testing

@Suite("RFC 3551 payloads: G.711, G.722, G.726, G.729, GSM, L16")
struct RFC3551PayloadTests {
    static func depacketizer(_ codec: Codec) -> Depacketizer { Depacketizer(codec: codec)! }

    // Proves G.711 and G.722 payloads are one frame of all their bytes: one tick per byte, and two 16 kHz samples per
    // G.722 byte (RFC 3551 §4.5.2, §4.5.14).
    @Test func sampleCodecs() throws {
        let payload = [UInt8](repeating: 0xD5, count: 160)
        let pcma = try Self.depacketizer(.pcma).frames(of: payload)
        #expect(pcma.frames == [CodecFrame(kind: .speech, bytes: payload, sampleCount: 160)])
        #expect(pcma.duration == PayloadDuration(ticks: 160, fitsCodec: true))
        let g722 = try Self.depacketizer(.g722).frames(of: payload)
        #expect(g722.frames == [CodecFrame(kind: .speech, bytes: payload, sampleCount: 320)])
        #expect(g722.duration.ticks == 160)
        #expect(try Self.depacketizer(.pcmu).frames(of: [UInt8]()).frames.isEmpty)
    }

    // Proves G.726 payloads become codewords in RFC 3551 order whatever their packing (the AAL2 order is repacked),
    // at every rate; and that a size that is not a whole number of codewords (24 and 40 kbit/s need groups of 3 and
    // 5 octets) is one damaged frame of the codewords it holds.
    @Test(arguments: G726Rate.allCases)
    func g726BothPackings(rate: G726Rate) throws {
        var generator = SplitMix64(seed: UInt64(rate.rawValue))
        let codes = (0..<160).map { _ in
            UInt8(truncatingIfNeeded: generator.next()) & UInt8((1 << rate.bitsPerCodeword) - 1)
        }
        let expected = G726Packing.rfc3551.pack(codes, bitsPerCodeword: rate.bitsPerCodeword)
        for packing in G726Packing.allCases {
            let format = G726Format(rate: rate, packing: packing)
            let payload = Packetizer.g726(codewords: codes, format: format)
            let result = try Self.depacketizer(.g726(format)).frames(of: payload)
            #expect(result.frames == [CodecFrame(kind: .speech, bytes: expected, sampleCount: 160)])
            #expect(result.duration == PayloadDuration(ticks: 160, fitsCodec: true))
        }
        if rate == .kbps24 || rate == .kbps40 {
            let short = try Self.depacketizer(.g726(G726Format(rate: rate))).frames(of: Array(expected.dropLast()))
            let ticks = (expected.count - 1) * 8 / rate.bitsPerCodeword
            #expect(short.frames == [CodecFrame(kind: .damaged, bytes: [], sampleCount: ticks)])
            #expect(short.duration == PayloadDuration(ticks: ticks, fitsCodec: false))
        }
    }

    // Proves G.729 payloads of several 10-byte frames and a trailing 2-byte SID (RFC 3551 §4.5.6), each 10 ms.
    @Test func g729FramesAndSID() throws {
        var generator = SplitMix64(seed: 729)
        let frames = (0..<3).map { _ in Packetizer.randomFrame(bytes: 10, generator: &generator) }
        let sid: [UInt8] = [0x9A, 0x40]
        let result = try Self.depacketizer(.g729(G729Format())).frames(of: Packetizer.g729(frames: frames, sid: sid))
        #expect(result.frames.map(\.kind) == [.speech, .speech, .speech, .silenceDescriptor])
        #expect(result.frames.map(\.bytes) == frames + [sid])
        #expect(result.frames.allSatisfy { $0.sampleCount == 80 })
        #expect(result.duration == PayloadDuration(ticks: 320, fitsCodec: true))
        let sidOnly = try Self.depacketizer(.g729(G729Format())).frames(of: sid)
        #expect(sidOnly.frames == [CodecFrame(kind: .silenceDescriptor, bytes: sid, sampleCount: 80)])
    }

    // Proves a G.729 payload of a size no frame layout gives (not 10n or 10n + 2) is damaged frames of its rounded
    // length in frames, at least one: counted and concealed, never decoded.
    @Test(arguments: [(1, 1), (5, 1), (11, 1), (15, 2), (21, 2), (27, 3)])
    func g729BadSizes(size: Int, frames: Int) throws {
        let result = try Self.depacketizer(.g729(G729Format())).frames(of: [UInt8](repeating: 7, count: size))
        #expect(
            result.frames == Array(repeating: CodecFrame(kind: .damaged, bytes: [], sampleCount: 80), count: frames)
        )
        #expect(result.duration == PayloadDuration(ticks: 80 * frames, fitsCodec: false))
    }

    // Proves GSM payloads of 33-byte frames with the 0xD signature (RFC 3551 §4.5.8), a frame without it damaged, a
    // size that is not a multiple of 33 damaged throughout.
    @Test func gsmFrames() throws {
        var generator = SplitMix64(seed: 610)
        let good = (0..<2).map { _ in Packetizer.randomGSMFrame(generator: &generator) }
        var bad = Packetizer.randomGSMFrame(generator: &generator)
        bad[0] = 0x20
        let gsm = Self.depacketizer(.gsm)
        let result = try gsm.frames(of: Packetizer.gsm(frames: [good[0], bad, good[1]]))
        #expect(result.frames.map(\.kind) == [.speech, .damaged, .speech])
        #expect(result.frames[0].bytes == good[0])
        #expect(result.duration == PayloadDuration(ticks: 480, fitsCodec: false))
        #expect(try gsm.duration(of: Packetizer.gsm(frames: good)) == PayloadDuration(ticks: 320, fitsCodec: true))
        let truncated = try gsm.frames(of: Array(Packetizer.gsm(frames: good).dropLast(3)))
        #expect(truncated.frames.map(\.kind) == [.damaged, .damaged])
        #expect(truncated.duration == PayloadDuration(ticks: 320, fitsCodec: false))
    }

    // Proves L16 payloads (RFC 3551 §4.5.11): big-endian, channels interleaved, one tick per sample time; the L16
    // decoder mixes them to mono.
    @Test func l16Stereo() throws {
        let format = L16Format(clockRate: 16000, channels: 2)
        let payload = Packetizer.l16(samples: [1000, 3000, -2, -5, 32767, 32767])
        let result = try Self.depacketizer(.l16(format)).frames(of: payload)
        #expect(result.frames == [CodecFrame(kind: .speech, bytes: payload, sampleCount: 3)])
        #expect(result.duration == PayloadDuration(ticks: 3, fitsCodec: true))
        var decoder = L16Decoder(sampleRate: 16000, channels: 2)
        var output: [Int16] = []
        decoder.decode(result.frames[0], appendingTo: &output)
        // Means rounded to nearest, halves away from zero: (−2 − 5) / 2 = −3.5 → −4.
        #expect(output == [2000, -4, 32767])
        let odd = try Self.depacketizer(.l16(format)).frames(of: Array(payload.dropLast()))
        #expect(odd.frames == [CodecFrame(kind: .damaged, bytes: [], sampleCount: 2)])
        #expect(odd.duration.fitsCodec == false)
    }
}
