import AudioCodecs
import TestSupport
import Testing

@Suite("G.711 µ-law and A-law")
struct G711Tests {
    // Proves every µ-law code decodes to the G.711 value and encoding the decoded value gives the code back,
    // except the negative zero 0x7F, which decodes to 0 and so encodes as the positive zero 0xFF.
    @Test func muLawCodesRoundTrip() {
        for code in 0...255 {
            let value = G711.muLawToLinear(UInt8(code))
            let expected: UInt8 = code == 0x7F ? 0xFF : UInt8(code)
            #expect(G711.encodeMuLaw(value) == expected, "µ-law code \(code)")
        }
        #expect(G711.muLawToLinear(0x00) == -32124)
        #expect(G711.muLawToLinear(0x80) == 32124)
        #expect(G711.muLawToLinear(0xFF) == 0 && G711.muLawToLinear(0x7F) == 0)
    }

    // Proves every A-law code round-trips (A-law has no zero code: ±8 are the smallest values).
    @Test func aLawCodesRoundTrip() {
        for code in 0...255 {
            #expect(G711.encodeALaw(G711.aLawToLinear(UInt8(code))) == UInt8(code), "A-law code \(code)")
        }
        #expect(G711.aLawToLinear(0xD5) == 8)
        #expect(G711.aLawToLinear(0x55) == -8)
        #expect(G711.aLawToLinear(0xAA) == 32256)
        #expect(G711.aLawToLinear(0x2A) == -32256)
    }

    // Proves all 65,536 linear inputs encode to a code whose value is within one quantization step below
    // (truncation, G.191 STL convention) and that encoding is monotonic in the input.
    @Test(arguments: [false, true])
    func everyLinearInputQuantizesSensibly(aLaw: Bool) {
        var previousValue = Int32.min
        for input in Int32(Int16.min)...Int32(Int16.max) {
            let sample = Int16(input)
            let value =
                Int32(aLaw ? G711.aLawToLinear(G711.encodeALaw(sample)) : G711.muLawToLinear(G711.encodeMuLaw(sample)))
            // The largest G.711 step is 1024 (µ-law) or 1024 (A-law) in 16-bit units; half-step error when
            // the decoder returns the interval middle, up to one step at the clipped ends.
            let step: Int32 = abs(input) >= 16384 ? 1024 : abs(input) >= 8192 ? 512 : 256
            #expect(abs(value - input) <= step || abs(input) > 32124, "input \(input) → \(value)")
            #expect(value >= previousValue, "not monotonic at \(input)")
            previousValue = value
        }
    }

    // Proves a buffer decode is the per-code decode, appended after existing samples.
    @Test func bufferDecodeAppends() {
        let codes: [UInt8] = (0...255).map { UInt8($0) }
        var samples: [Int16] = [42]
        codes.withUnsafeBytes { G711.decodeMuLaw($0, appendingTo: &samples) }
        #expect(samples.count == 257 && samples[0] == 42)
        #expect(Array(samples[1...]) == codes.map(G711.muLawToLinear))
        #expect(G711.decodeALaw(codes) == codes.map(G711.aLawToLinear))
        #expect(G711.encodeALaw(G711.decodeALaw(codes)) == codes)
    }
}

@Suite("G.711 ITU-T G.191 STL sweep vectors", .enabled(if: TestData.shouldRun))
struct G711ConformanceTests {
    static let folder = "g711/stl-sweep-le16/"

    /// The low bytes of a file holding one code per 16-bit little-endian word.
    static func codes(_ name: String) throws -> [UInt8] {
        try TestData.int16LE(folder + name).map { UInt8(truncatingIfNeeded: $0) }
    }

    // Proves decoding every code of sweep-r.u / sweep-r.a (all 256 codes occur) gives the STL decode exactly.
    @Test func decodeMatchesSTL() throws {
        let muCodes = try Self.codes("sweep-r.u")
        #expect(G711.decodeMuLaw(muCodes) == (try TestData.int16LE(Self.folder + "sweep-r.u-u")))
        let aCodes = try Self.codes("sweep-r.a")
        #expect(G711.decodeALaw(aCodes) == (try TestData.int16LE(Self.folder + "sweep-r.a-a")))
        #expect(Set(muCodes).count == 256 && Set(aCodes).count == 256)
    }

    // Proves encoding the 65,536-sample sweep gives the STL codes exactly: the STL works on 16-bit samples
    // with the G.711 value left-justified and truncates (one's complement for negatives), as we do.
    @Test func encodeMatchesSTL() throws {
        let source = try TestData.int16LE(Self.folder + "sweep.src")
        #expect(source.count == 65536)
        #expect(G711.encodeMuLaw(source) == (try Self.codes("sweep-r.u")))
        #expect(G711.encodeALaw(source) == (try Self.codes("sweep-r.a")))
    }

    // Proves the 256-entry tables equal the table derived from the STL pairs (derived/…csv).
    @Test func tablesMatchDerivedCSV() throws {
        let text = String(decoding: try TestData.bytes("g711/derived/g711_decode_tables_from_STL.csv"), as: UTF8.self)
        var rows = 0
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            guard fields.count == 4, let code = UInt8(fields[0]), let a = Int16(fields[2]), let u = Int16(fields[3])
            else { continue }
            #expect(G711.aLawToLinear(code) == a && G711.muLawToLinear(code) == u, "code \(code)")
            rows += 1
        }
        #expect(rows == 256)
    }
}
