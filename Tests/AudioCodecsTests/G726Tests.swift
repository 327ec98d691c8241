import AudioCodecs
import TestSupport
import Testing

@Suite("G.726 ADPCM")
struct G726Tests {
    /// A speech-like test signal (a vowel with a pitch contour and syllable envelope), 2 s at 8 kHz.
    static let speech = Signals.vowel(count: 16000, sampleRate: 8000)

    /// `count` random bytes, seeded.
    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    // Proves the bit orders of RFC 3551 §4.5.4: at 32 kbit/s the first codeword is the low nibble of the first octet
    // (G726-32) or its high nibble (AAL2-G726-32); at 24 kbit/s eight codewords fill three octets from bit 0 up,
    // or from bit 7 down.
    @Test func packingFollowsRFC3551AndAAL2Orders() {
        #expect(G726Packing.rfc3551.pack([1, 2, 3, 4], bitsPerCodeword: 4) == [0x21, 0x43])
        #expect(G726Packing.aal2.pack([1, 2, 3, 4], bitsPerCodeword: 4) == [0x12, 0x34])
        // Codewords 0…7 at 3 bits: little-endian bit string 000 100 010 110 001 101 011 111 (first code lowest).
        #expect(G726Packing.rfc3551.pack([0, 1, 2, 3, 4, 5, 6, 7], bitsPerCodeword: 3) == [0x88, 0xC6, 0xFA])
        #expect(G726Packing.aal2.pack([0, 1, 2, 3, 4, 5, 6, 7], bitsPerCodeword: 3) == [0x05, 0x39, 0x77])
        // 16 kbit/s: four 2-bit codewords per octet.
        #expect(G726Packing.rfc3551.pack([1, 2, 3, 0], bitsPerCodeword: 2) == [0b00_11_10_01])
        #expect(G726Packing.aal2.pack([1, 2, 3, 0], bitsPerCodeword: 2) == [0b01_10_11_00])
    }

    // Proves unpacking inverts packing for every codeword size and both orders, and that repacking converts.
    @Test(arguments: G726Rate.allCases)
    func packingRoundTrips(rate: G726Rate) {
        let bits = rate.bitsPerCodeword
        var generator = SplitMix64(seed: UInt64(bits))
        let codes = (0..<160).map { _ in UInt8(truncatingIfNeeded: generator.next()) & UInt8((1 << bits) - 1) }
        for packing in G726Packing.allCases {
            let bytes = packing.pack(codes, bitsPerCodeword: bits)
            #expect(bytes.count == 160 * bits / 8)
            #expect(packing.unpack(bytes, bitsPerCodeword: bits) == codes)
        }
        let aal2 = G726Packing.aal2.pack(codes, bitsPerCodeword: bits)
        let converted = aal2.withUnsafeBytes { G726Packing.aal2.repack($0, bitsPerCodeword: bits, to: .rfc3551) }
        #expect(converted == G726Packing.rfc3551.pack(codes, bitsPerCodeword: bits))
    }

    // Proves the decoder equals a second, plain writing of the Recommendation's blocks (G726ReferenceModel with no
    // deviation) sample for sample, on random codewords (which drive every block to its limits) and on speech.
    @Test(arguments: G726Rate.allCases)
    func decoderMatchesReferenceModel(rate: G726Rate) {
        let bits = rate.bitsPerCodeword
        var encoder = G726Encoder(rate: rate)
        let streams = [
            G726Packing.rfc3551.unpack(Self.randomBytes(6000, seed: 7 + UInt64(bits)), bitsPerCodeword: bits),
            encoder.encode(Self.speech),
        ]
        for codes in streams {
            var decoder = G726Decoder(rate: rate)
            var model = G726ReferenceModel(bits: bits)
            let mismatches = codes.filter { decoder.decode($0) != model.decode(Int($0)) }.count
            #expect(mismatches == 0, "\(mismatches) of \(codes.count) samples differ at \(rate)")
        }
    }

    // Proves the encoder codes speech at the quality each rate is known for (G.726's SNR on speech grows about
    // 6 dB per bit per sample) and that its decoder tracks it: what it decodes is what it encoded, not noise.
    @Test(arguments: [(G726Rate.kbps16, 9.0), (.kbps24, 15.0), (.kbps32, 21.0), (.kbps40, 26.0)])
    func encoderRoundTripHasTheRateSNR(rate: G726Rate, minimum: Double) {
        var encoder = G726Encoder(rate: rate)
        var decoder = G726Decoder(rate: rate)
        var output: [Int16] = []
        decoder.decode(codewords: encoder.encode(Self.speech), appendingTo: &output)
        // Past the first 20 ms, while the scale factor converges from its reset value.
        let snr = Signals.snr(reference: Self.speech, actual: output, range: 160..<Self.speech.count)
        #expect(snr >= minimum, "SNR \(snr) dB at \(rate)")
    }

    // Proves decoding packet by packet keeps the state across calls: the same samples as one call.
    @Test func blockwiseDecodingIsSeamless() {
        var encoder = G726Encoder(rate: .kbps32)
        let packed = encoder.encodePacked(Self.speech)
        var whole = G726Decoder(rate: .kbps32)
        let expected = whole.decode(packed: packed)
        var decoder = G726Decoder(rate: .kbps32)
        var output: [Int16] = []
        for start in stride(from: 0, to: packed.count, by: 80) {
            Array(packed[start..<min(start + 80, packed.count)]).withUnsafeBytes {
                decoder.decode(packed: $0, appendingTo: &output)
            }
        }
        #expect(output == expected)
    }

    // Proves the AudioDecoder conformance: a speech frame decodes its RFC 3551-packed codewords; a damaged frame is
    // silence of its length and leaves the state alone (the next frame decodes as if it had not been there);
    // there is no concealment of G.726's own.
    @Test func audioDecoderConformance() {
        var encoder = G726Encoder(rate: .kbps24)
        let packed = encoder.encodePacked(Array(Self.speech[0..<320]))
        let first = Array(packed[0..<60])
        let second = Array(packed[60..<120])
        var reference = G726Decoder(rate: .kbps24)
        let expected = reference.decode(packed: first) + reference.decode(packed: second)

        var decoder: any AudioDecoder = G726Decoder(rate: .kbps24)
        var output: [Int16] = []
        decoder.decode(CodecFrame(kind: .speech, bytes: first, sampleCount: 160), appendingTo: &output)
        decoder.decode(CodecFrame(kind: .damaged, bytes: [], sampleCount: 160), appendingTo: &output)
        decoder.decode(CodecFrame(kind: .speech, bytes: second, sampleCount: 160), appendingTo: &output)
        #expect(decoder.sampleRate == 8000)
        #expect(output.count == 480)
        #expect(Array(output[0..<160]) == Array(expected[0..<160]))
        #expect(output[160..<320].allSatisfy { $0 == 0 })
        #expect(Array(output[320...]) == Array(expected[160...]))
        #expect(decoder.conceal(count: 80, next: nil, appendingTo: &output) == false)
        #expect(output.count == 480)
    }
}
