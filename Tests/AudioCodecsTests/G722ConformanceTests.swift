import AudioCodecs
import TestSupport
import Testing

@Suite("G.722 ITU-T conformance vectors", .enabled(if: TestData.shouldRun))
struct G722ConformanceTests {
    static let speech = "g722/stl-speech-le16/"
    static let appendixII = "g722/itu-g722-appII/le16/"

    /// The G.722 byte stream of the STL full-codec test: the low bytes of codspw.cod.
    static func speechCodes() throws -> [UInt8] {
        try TestData.int16LE(speech + "codspw.cod").map { UInt8(truncatingIfNeeded: $0) }
    }

    // Proves the full decoder (receive QMF included) is bit-exact with the STL decoder in modes 1, 2, 3.
    @Test(arguments: [(G722Mode.kbps64, "outsp1.bin"), (.kbps56, "outsp2.bin"), (.kbps48, "outsp3.bin")])
    func fullDecoderMatchesSTL(mode: G722Mode, reference: String) throws {
        let codes = try Self.speechCodes()
        var decoder = G722Decoder(mode: mode)
        let output = decoder.decode(codes)
        let expected = try TestData.int16LE(Self.speech + reference)
        #expect(output.count == expected.count)
        let mismatches = zip(output, expected).filter { $0 != $1 }.count
        #expect(mismatches == 0, "\(mismatches) of \(expected.count) samples differ")
    }

    // Proves decoding in blocks (as RTP packets arrive) gives the same output as one call: 20 ms packets, and
    // sizes that are not multiples of the QMF's 8-codeword step, so runs end mid-step and the delay lines are
    // rewound inside a block.
    @Test(arguments: [[160], [1, 7, 13, 333, 80, 161]])
    func blockwiseDecodingIsSeamless(sizes: [Int]) throws {
        let codes = try Self.speechCodes()
        var whole = G722Decoder()
        let expected = whole.decode(codes)
        var decoder = G722Decoder()
        var output: [Int16] = []
        var start = 0
        var block = 0
        while start < codes.count {
            let end = min(start + sizes[block % sizes.count], codes.count)
            block += 1
            codes[start..<end].withUnsafeBytes { decoder.decode($0, appendingTo: &output) }
            start = end
        }
        #expect(output == expected)
    }

    // Proves the full encoder (transmit QMF included) reproduces the STL codewords from inpsp.bin.
    @Test func fullEncoderMatchesSTL() throws {
        let input = try TestData.int16LE(Self.speech + "inpsp.bin")
        var encoder = G722Encoder()
        let codes = encoder.encode(input)
        let expected = try Self.speechCodes()
        #expect(codes.count == expected.count)
        let mismatches = zip(codes, expected).filter { $0 != $1 }.count
        #expect(mismatches == 0, "\(mismatches) of \(expected.count) codewords differ")
    }

    // Proves the sub-band encoder (QMF bypassed) passes Appendix II configuration 1: the same input word
    // drives both bands (15-bit value left-justified in the word), words with bit 0 set are resets, and
    // the reference holds the codeword in the high byte.
    @Test(arguments: [("bt1c1.xmt", "bt2r1.cod"), ("bt1c2.xmt", "bt2r2.cod")])
    func subBandEncoderMatchesAppendixII(input: String, reference: String) throws {
        let words = try TestData.int16LE(Self.appendixII + input)
        let expected = try TestData.int16LE(Self.appendixII + reference)
        #expect(words.count == expected.count)
        var encoder = G722SubBandEncoder()
        var mismatches = 0
        var coded = 0
        for (word, reference) in zip(words, expected) {
            if word & 1 == 1 {
                encoder.reset()
                continue
            }
            let sample = word >> 1
            let code = encoder.encode(lowerBand: sample, higherBand: sample)
            if UInt16(code) << 8 != UInt16(bitPattern: reference) { mismatches += 1 }
            coded += 1
        }
        #expect(coded > 0)
        #expect(mismatches == 0, "\(mismatches) of \(coded) codewords differ")
    }

    // Proves the sub-band decoder (QMF bypassed) passes Appendix II configuration 2: lower band in modes
    // 1–3 (rc1/rc2/rc3) and higher band (rc0), outputs left-justified (value << 1), resets on bit 0.
    @Test(arguments: [
        ("bt2r1.cod", "bt3l1", "bt3h1"), ("bt2r2.cod", "bt3l2", "bt3h2"), ("bt1d3.cod", "bt3l3", "bt3h3"),
    ])
    func subBandDecoderMatchesAppendixII(input: String, lowerReference: String, higherReference: String) throws {
        let words = try TestData.int16LE(Self.appendixII + input)
        let higher = try TestData.int16LE(Self.appendixII + higherReference + ".rc0")
        for mode in G722Mode.allCases {
            let lower = try TestData.int16LE(Self.appendixII + lowerReference + ".rc\(mode.rawValue)")
            #expect(lower.count == words.count && higher.count == words.count)
            var decoder = G722SubBandDecoder(mode: mode)
            var lowerMismatches = 0
            var higherMismatches = 0
            for (index, word) in words.enumerated() {
                if word & 1 == 1 {
                    decoder.reset()
                    continue
                }
                let (rl, rh) = decoder.decode(UInt8(truncatingIfNeeded: UInt16(bitPattern: word) >> 8))
                if rl << 1 != lower[index] { lowerMismatches += 1 }
                if rh << 1 != higher[index] { higherMismatches += 1 }
            }
            #expect(lowerMismatches == 0, "\(input) mode \(mode.rawValue): \(lowerMismatches) lower-band errors")
            #expect(higherMismatches == 0, "\(input) mode \(mode.rawValue): \(higherMismatches) higher-band errors")
        }
    }
}
