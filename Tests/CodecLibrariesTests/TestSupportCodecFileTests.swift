import Foundation
import TestSupport
import Testing

/// The TestSupport pieces the codec tests rely on, checked against independent tools and known answers.
@Suite("TestSupport: Ogg writer and signal comparison")
struct TestSupportCodecFileTests {
    // Proves the Ogg CRC is RFC 3533's: every page of an Ogg file written by FFmpeg's own muxer carries the CRC our
    // function computes over the page with the CRC field zeroed.
    @Test(.enabled(if: CodecTest.hasFFmpeg)) func oggCRCMatchesFFmpegsPages() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rtp2mp3-crc-\(UUID().uuidString).ogg")
        defer { try? FileManager.default.removeItem(at: url) }
        let outcome = try Subprocess.run(
            try #require(Subprocess.tool("ffmpeg")),
            [
                "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "flac", "-f", "ogg",
                url.path,
            ]
        )
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let bytes = [UInt8](try Data(contentsOf: url))
        var offset = 0
        var pages = 0
        while offset + 27 <= bytes.count {
            #expect(Array(bytes[offset..<(offset + 4)]) == Array("OggS".utf8))
            let segments = Int(bytes[offset + 26])
            let length = 27 + segments + bytes[(offset + 27)..<(offset + 27 + segments)].reduce(0) { $0 + Int($1) }
            var page = Array(bytes[offset..<(offset + length)])
            let stored = page[22..<26].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
            page.replaceSubrange(22..<26, with: [0, 0, 0, 0])
            #expect(OggWriter.crc32(page) == stored, "page \(pages)")
            offset += length
            pages += 1
        }
        #expect(offset == bytes.count && pages >= 3)
    }

    // Proves the lag search finds a known shift: a noise signal delayed by 3 samples correlates 1 at lag 3.
    @Test func comparisonFindsAKnownLag() {
        let reference = Signals.noiseBursts(amplitude: 8000, burst: 4000, count: 8000)
        let delayed = [Int16](repeating: 0, count: 3) + reference.dropLast(3)
        let comparison = SignalComparison(reference: reference, actual: delayed, maximumLag: 10)
        #expect(comparison.bestLag == 3)
        #expect(comparison.correlationAtBestLag > 0.9999)
        #expect(comparison.correlation < 0.5)
    }
}
