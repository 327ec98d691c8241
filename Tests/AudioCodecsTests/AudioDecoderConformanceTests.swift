import AudioCodecs
import TestSupport
import Testing

@Suite("AudioDecoder conformances of G.711, G.722 and L16")
struct AudioDecoderConformanceTests {
    // Proves the G.711 decoders, as AudioDecoders, decode all 256 codes exactly as the G711 tables do, and make a
    // damaged or empty frame silence of its length.
    @Test(arguments: [G711Decoder.Law.muLaw, .aLaw])
    func g711(law: G711Decoder.Law) {
        let codes = (0...255).map(UInt8.init)
        var decoder: any AudioDecoder = G711Decoder(law: law)
        var output: [Int16] = []
        decoder.decode(CodecFrame(kind: .speech, bytes: codes, sampleCount: 256), appendingTo: &output)
        #expect(output == (law == .muLaw ? G711.decodeMuLaw(codes) : G711.decodeALaw(codes)))
        decoder.decode(CodecFrame(kind: .damaged, bytes: [], sampleCount: 160), appendingTo: &output)
        decoder.decode(CodecFrame(kind: .noData, bytes: [], sampleCount: 80), appendingTo: &output)
        #expect(output.count == 256 + 240 && output[256...].allSatisfy { $0 == 0 })
        #expect(decoder.sampleRate == 8000)
        #expect(decoder.conceal(count: 160, next: nil, appendingTo: &output) == false && output.count == 496)
    }

    // Proves G.722 as an AudioDecoder gives the G722Decoder's samples (16 kHz, two per byte), keeps its state from
    // frame to frame, and makes a damaged frame silence of its length.
    @Test func g722() {
        var generator = SplitMix64(seed: 722)
        let bytes = (0..<320).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var reference = G722Decoder()
        let expected = reference.decode(bytes)
        var decoder: any AudioDecoder = G722Decoder()
        var output: [Int16] = []
        decoder.decode(CodecFrame(kind: .speech, bytes: Array(bytes[0..<160]), sampleCount: 320), appendingTo: &output)
        decoder.decode(CodecFrame(kind: .speech, bytes: Array(bytes[160...]), sampleCount: 320), appendingTo: &output)
        #expect(output == expected)
        decoder.decode(CodecFrame(kind: .damaged, bytes: [], sampleCount: 320), appendingTo: &output)
        #expect(output.count == 960 && output[640...].allSatisfy { $0 == 0 })
        #expect(decoder.sampleRate == 16000)
    }

    // Proves L16 decoding (RFC 3551 §4.5.11): network byte order, a trailing partial sample ignored, channels mixed to
    // their mean rounded to nearest (halves away from zero), with no overflow at full scale.
    @Test func l16() {
        let mono = L16Decoder(sampleRate: 44100)
        #expect(mono.decode([0x12, 0x34, 0xFF, 0xFE, 0x80, 0x00, 0x7F]) == [0x1234, -2, -32768])
        let stereo = L16Decoder(sampleRate: 8000, channels: 2)
        #expect(
            stereo.decode([0x7F, 0xFF, 0x7F, 0xFF, 0x80, 0x00, 0x80, 0x00, 0x00, 0x01, 0x00, 0x02]) == [
                32767, -32768, 2,
            ]
        )
        let three = L16Decoder(sampleRate: 8000, channels: 3)
        // (1 + 1 + 2) / 3 = 1.33 → 1; (−1 − 1 − 2) / 3 → −1; (−1 + 0 + 0) / 3 → 0.
        #expect(
            three.decode([0, 1, 0, 1, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0, 0, 0, 0]) == [1, -1, 0]
        )
        var decoder: any AudioDecoder = L16Decoder(sampleRate: 16000, channels: 2)
        var output: [Int16] = []
        decoder.decode(CodecFrame(kind: .speech, bytes: [0, 10, 0, 20], sampleCount: 1), appendingTo: &output)
        #expect(output == [15] && decoder.sampleRate == 16000)
    }
}
