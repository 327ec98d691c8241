import Capture
import Gzip
import TestSupport
import Testing
import Transcoder

/// Gzip-compressed captures through the pipeline's reading (SPEC §2.1: detected by their magic bytes, never by
/// their name): the feed inflates them with zlib before the pure capture reader, a bounded piece at a time.
@Suite("Compressed captures")
struct CompressedCaptureTests {
    static let alice = Endpoint(address: IPAddress(ipv4: 0xC000_0201), port: 40000)
    static let bob = Endpoint(address: IPAddress(ipv4: 0xC633_6402), port: 50000)

    static func call(_ container: CallSynthesizer.Container, seconds: Double = 3) -> [UInt8] {
        var a = SynthLeg(codec: .pcmu, source: alice, destination: bob)
        a.durationSeconds = seconds
        var b = SynthLeg(codec: .g722, source: bob, destination: alice)
        b.ssrc = 0x2222_2222
        b.durationSeconds = seconds
        return CallSynthesizer(legs: [a, b]).capture(container: container)
    }

    static func ingest(
        _ bytes: [UInt8],
        chunkSize: Int = 4096,
        name: String = "call.gz"
    ) throws(TranscodeError)
        -> CaptureContents
    {
        var ingest = CaptureIngest(name: name)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            try ingest.append(Array(bytes[start..<end]))
            start = end
        }
        return try ingest.finish()
    }

    static func recording(_ bytes: [UInt8], chunkSize: Int) throws -> [UInt8] {
        var settings = TranscodeSettings()
        settings.format = .wav
        return try TwoSteps.transcode(
            MemorySource(bytes: bytes, name: "call", chunkSize: chunkSize),
            settings: settings
        ).recording.bytes
    }

    // Proves a compressed capture of each container (stored and fixed-Huffman deflate from the test writer, two
    // members) gives the very recording of the plain one, whatever the chunking of either pass.
    @Test(
        "compressed captures record as the plain ones",
        arguments: CallSynthesizer.Container.allCases,
        [GzipWriter.Strategy.stored(blockSize: 1_000), .fixedHuffman]
    )
    func sameRecording(container: CallSynthesizer.Container, strategy: GzipWriter.Strategy) throws {
        let plain = Self.call(container)
        let half = plain.count / 2
        let compressed =
            GzipWriter.compress(Array(plain[..<half]), strategy: strategy)
            + GzipWriter.compress(Array(plain[half...]), strategy: strategy)
        let contents = try Self.ingest(compressed, chunkSize: 333)
        #expect(contents.format.hasSuffix(", gzip"))
        #expect(contents.timeline.summary.warnings.isEmpty)
        let expected = try Self.recording(plain, chunkSize: 1 << 20)
        #expect(try Self.recording(compressed, chunkSize: 61) == expected)
        #expect(try Self.recording(compressed, chunkSize: 1 << 20) == expected)
    }

    // Proves a capture cut off inside its gzip stream, at every offset, either fails with a clear invalid-capture
    // error naming the input (nothing or too little inflated) or keeps what was inflated and says the stream was
    // cut; never a trap.
    @Test("a gzip stream cut at every offset")
    func truncatedEverywhere() throws {
        let full = GzipWriter.compress(Array(Self.call(.pcap, seconds: 0.2).prefix(400)))
        for length in 0..<full.count {
            do {
                let contents = try Self.ingest(Array(full[0..<length]), chunkSize: 5)
                let cut = contents.timeline.summary.warnings.contains { $0.contains("truncated gzip stream") }
                #expect(length == full.count || cut, "\(length)")
            } catch {
                #expect(error.code == .invalidCapture, "\(length): \(error)")
                #expect(error.description.hasPrefix("call.gz: "), "\(length): \(error)")
            }
        }
    }

    // Proves random bytes changed in compressed captures end in contents or a `TranscodeError` naming the input
    // (zlib's reason, or the reader's), never a trap.
    @Test("random byte flips in compressed captures", arguments: 0..<4)
    func flips(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for container in CallSynthesizer.Container.allCases {
            let sample = GzipWriter.compress(Self.call(container, seconds: 1))
            for _ in 0..<20 {
                var bytes = sample
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                do {
                    _ = try Self.ingest(bytes, chunkSize: 97)
                } catch {
                    #expect(error.code == .invalidCapture)
                    #expect(error.underlying is GzipError || error.underlying is CaptureError)
                }
            }
        }
    }

    // Proves bytes after the last member are a warning in the report (as gzip(1) ignores them), not an error.
    @Test("trailing data after the last member is a warning")
    func trailingData() throws {
        let contents = try Self.ingest(GzipWriter.compress(Self.call(.pcap)) + [0, 1, 2, 3])
        #expect(
            contents.timeline.summary.warnings.contains { $0.hasPrefix("call.gz: data after the last gzip member") }
        )
    }
}
