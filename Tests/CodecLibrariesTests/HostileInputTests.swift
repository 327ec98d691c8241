import AMRCodec
import AudioCodecs
import G729Codec
import GSMCodec
import OpusCodec
import SpeexCodec
import TestSupport
import Testing

/// One library decoder as the hostile-input tests drive it.
struct HostileCase: CustomTestStringConvertible, Sendable {
    var name: String
    /// A frame's duration, given as each frame's sample count.
    var frameSamples: Int
    /// Frame sizes tried: every size from 0 to a little past the largest valid frame.
    var sizes: ClosedRange<Int>
    var makeDecoder: @Sendable () -> any AudioDecoder
    /// The output lengths allowed for one frame holding `bytes`, given `sampleCount`.
    var allowedCounts: @Sendable (_ bytes: [UInt8], _ sampleCount: Int) -> Set<Int>

    var testDescription: String { name }

    static func fixed(
        _ name: String,
        frameSamples: Int,
        sizes: ClosedRange<Int>,
        _ make: @escaping @Sendable () -> any AudioDecoder
    )
        -> HostileCase
    {
        HostileCase(name: name, frameSamples: frameSamples, sizes: sizes, makeDecoder: make) { _, sampleCount in
            // A whole frame for a decodable one, the given duration for one concealed.
            [frameSamples, sampleCount > 0 ? sampleCount : frameSamples]
        }
    }

    static let all: [HostileCase] =
        [
            .fixed("G.729", frameSamples: 80, sizes: 0...14) { G729Decoder() },
            .fixed("AMR", frameSamples: 160, sizes: 0...36) { AMRNBDecoder() },
            .fixed("AMR-WB", frameSamples: 320, sizes: 0...66) { AMRWBDecoder() },
            .fixed("GSM", frameSamples: 160, sizes: 0...37) { GSMDecoder() },
            HostileCase(
                name: "Opus",
                frameSamples: 960,
                sizes: 0...300,
                makeDecoder: { try! OpusDecoder(sampleRate: 48000) }
            ) {
                bytes,
                sampleCount in
                // A packet libopus accepts gives its TOC's duration; one it rejects the given duration, or without one
                // the last packet's: some multiple of 2.5 ms up to 120 ms.
                sampleCount > 0
                    ? [OpusLibrary.sampleCount(ofPacket: bytes) ?? sampleCount, sampleCount]
                    : Set((1...48).map { $0 * 120 })
            },
        ]
        + SpeexBand.allCases.map { band in
            HostileCase(
                name: "Speex \(band)",
                frameSamples: band.frameSamples,
                sizes: 0...300,
                makeDecoder: { SpeexDecoder(band: band) }
            ) { _, sampleCount in
                // The given duration exactly, or, without one, 1 to 50 whole frames.
                sampleCount > 0
                    ? [sampleCount]
                    : Set((1...SpeexDecoder.maximumFramesPerPayload).map { $0 * band.frameSamples })
            }
        }
}

@Suite("Codec libraries: hostile input")
struct HostileInputTests {
    static let kinds: [CodecFrame.Kind] = [.speech, .silenceDescriptor, .damaged, .noData]

    /// Byte patterns of `size` bytes: four seeded random ones, all zeros, all ones.
    static func patterns(size: Int) -> [[UInt8]] {
        (1...4).map { CodecTest.randomBytes(size, seed: UInt64(size * 16 + $0)) }
            + [[UInt8](repeating: 0, count: size), [UInt8](repeating: 0xFF, count: size)]
    }

    // Proves every frame size and random byte pattern, of every kind, through one long-lived decoder (so that bad
    // state accumulates), neither crashes nor overruns and always gives the allowed length; then a valid stream
    // still decodes to its length.
    @Test(arguments: HostileCase.all)
    func everySizeAndPatternIsSafe(_ hostile: HostileCase) {
        var decoder = hostile.makeDecoder()
        var problems: [String] = []
        for size in hostile.sizes {
            for bytes in Self.patterns(size: size) {
                for kind in Self.kinds {
                    for sampleCount in [hostile.frameSamples, 0] {
                        var output: [Int16] = []
                        decoder.decode(
                            CodecFrame(kind: kind, bytes: bytes, sampleCount: sampleCount),
                            appendingTo: &output
                        )
                        let allowed = hostile.allowedCounts(bytes, sampleCount)
                        if !allowed.contains(output.count) {
                            problems.append("\(kind) \(size) bytes \(bytes.prefix(4)): \(output.count) samples")
                        }
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        var output: [Int16] = []
        let concealed = decoder.conceal(count: 1234, next: nil, appendingTo: &output)
        #expect(output.count == (concealed ? 1234 : 0))
    }

    // Proves enormous and random-length payloads are bounded too (an RTP payload can be 64 KiB).
    @Test(arguments: HostileCase.all)
    func largePayloadsAreBounded(_ hostile: HostileCase) {
        var decoder = hostile.makeDecoder()
        for (index, size) in [1500, 9000, 65535].enumerated() {
            for kind in Self.kinds {
                var output: [Int16] = []
                let bytes = CodecTest.randomBytes(size, seed: UInt64(index))
                decoder.decode(
                    CodecFrame(kind: kind, bytes: bytes, sampleCount: hostile.frameSamples),
                    appendingTo: &output
                )
                #expect(
                    hostile.allowedCounts(bytes, hostile.frameSamples).contains(output.count),
                    "\(kind) \(size) bytes"
                )
            }
        }
    }
}
