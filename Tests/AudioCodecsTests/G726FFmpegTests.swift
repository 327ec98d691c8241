import AudioCodecs
import Foundation
import TestSupport
import Testing

/// G.726 against an independent decoder: ffmpeg 5.1's `g726` (AAL2 order, most significant bit first) and `g726le`
/// (RFC 3551 order) decoders, sample for sample.
///
/// ffmpeg is not bit-exact with ITU-T G.726: ``G726ReferenceModel/Deviations`` names its four departures, each
/// against the clause it departs from. These tests prove that ffmpeg's output is exactly the Recommendation with
/// those four changes (so no other difference exists), that each of them is needed to explain it, and that our
/// decoder is the Recommendation without them.
@Suite("G.726 against ffmpeg", .enabled(if: FFmpegG726.isAvailable))
struct G726FFmpegTests {
    /// One bitstream to compare on.
    struct Stream: Sendable, CustomStringConvertible {
        var name: String
        var rate: G726Rate
        var packing: G726Packing
        var bytes: [UInt8]
        var description: String { "\(name) \(rate) \(packing)" }
    }

    /// The first second of the speech-like signal.
    static let speech = Array(G726Tests.speech[0..<8000])

    /// Random payloads (every block driven to its limits), speech coded by our encoder, and speech coded by
    /// ffmpeg's own encoder, at every rate and in both packings.
    static func streams() throws -> [Stream] {
        var streams: [Stream] = []
        for rate in G726Rate.allCases {
            for packing in G726Packing.allCases {
                let random = G726Tests.randomBytes(4000, seed: UInt64(rate.rawValue))
                var encoder = G726Encoder(rate: rate)
                streams.append(Stream(name: "random", rate: rate, packing: packing, bytes: random))
                streams.append(
                    Stream(
                        name: "speech (our encoder)",
                        rate: rate,
                        packing: packing,
                        bytes: encoder.encodePacked(Self.speech, packing: packing)
                    )
                )
                let theirs = try FFmpegG726.encode(Self.speech, rate: rate, packing: packing)
                streams.append(Stream(name: "speech (ffmpeg's encoder)", rate: rate, packing: packing, bytes: theirs))
            }
        }
        return streams
    }

    /// A stream and ffmpeg's decoding of it.
    struct Comparison: Sendable {
        var stream: Stream
        var ffmpeg: [Int16]
    }

    /// The streams, each decoded by ffmpeg once for all the tests of the suite.
    static let comparisons = Result {
        try streams().map {
            Comparison(stream: $0, ffmpeg: try FFmpegG726.decode($0.bytes, rate: $0.rate, packing: $0.packing))
        }
    }

    static func model(_ stream: Stream, _ deviations: G726ReferenceModel.Deviations) -> [Int16] {
        var model = G726ReferenceModel(bits: stream.rate.bitsPerCodeword, deviations: deviations)
        return stream.packing.unpack(stream.bytes, bitsPerCodeword: stream.rate.bitsPerCodeword).map {
            model.decode(Int($0))
        }
    }

    // Proves ffmpeg's decoders are exactly ITU-T G.726 with the four named deviations (all rates, both packings,
    // random and speech bitstreams), and that our decoder is exactly G.726: every sample where the two differ is
    // explained by those deviations and no other cause.
    @Test func ffmpegIsG726WithTheNamedDeviations() throws {
        var differing: [String] = []
        for comparison in try Self.comparisons.get() {
            let (stream, theirs) = (comparison.stream, comparison.ffmpeg)
            var decoder = G726Decoder(rate: stream.rate)
            let ours = decoder.decode(packed: stream.bytes, packing: stream.packing)
            #expect(theirs == Self.model(stream, .ffmpeg), "ffmpeg departs otherwise on \(stream)")
            #expect(ours == Self.model(stream, []), "our decoder departs from the Recommendation on \(stream)")
            #expect(ours.count == theirs.count)
            let count = zip(ours, theirs).filter { $0 != $1 }.count
            differing.append("\(stream): \(count) of \(ours.count)")
        }
        // For the record (swift test prints it): how far ffmpeg is from G.726 on each stream.
        print("G.726 samples where ffmpeg differs from ITU-T G.726:\n  " + differing.joined(separator: "\n  "))
    }

    // Proves each deviation is needed: without any one of them, the model no longer reproduces ffmpeg on some stream
    // (the MIX rounding everywhere, the 40 kbit/s leak on every 40 kbit/s stream, the word lengths and the output
    // wrap on random streams, where the predictor and SR reach their limits).
    @Test(arguments: G726ReferenceModel.Deviations.each)
    func eachDeviationIsNeeded(deviation: G726ReferenceModel.Deviations) throws {
        let unexplained = try Self.comparisons.get().filter { comparison in
            Self.model(comparison.stream, G726ReferenceModel.Deviations.ffmpeg.subtracting(deviation))
                != comparison.ffmpeg
        }
        #expect(!unexplained.isEmpty, "\(deviation) explains no difference")
    }

    // Proves the same on real speech from an independent encoder: the eight dialogs of sip-rtp-g726.pcap
    // (G726-16…40 in RFC 3551 packing, AAL2-G726-16…40 in AAL2 packing, by their SDP), each stream's payloads
    // concatenated (their first 3 s): ffmpeg is G.726 with the named deviations, ours is G.726.
    @Test(.enabled(if: TestData.shouldRun))
    func realCaptureStreamsMatch() throws {
        var ours: [String: [Int16]] = [:]
        var theirs: [String: [Int16]] = [:]
        for (name, format, bytes) in try Self.captureStreams() {
            let named = Stream(name: name, rate: format.rate, packing: format.packing, bytes: bytes)
            theirs[name] = try FFmpegG726.decode(bytes, rate: format.rate, packing: format.packing)
            var decoder = G726Decoder(rate: format.rate)
            ours[name] = decoder.decode(packed: bytes, packing: format.packing)
            #expect(theirs[name] == Self.model(named, .ffmpeg), "\(named)")
            #expect(ours[name] == Self.model(named, []), "\(named)")
        }
        #expect(ours.count == 8, "streams checked: \(ours.keys.sorted())")
    }

    // Proves the 40 kbit/s leak deviation matters on real speech: the eight dialogs carry one recording, and our
    // 40 kbit/s decode agrees with the 32 kbit/s one (correlation ≥ 0.99), while ffmpeg's 40 kbit/s decode of the same
    // payloads strays from it: the capture's encoder follows G.726, not ffmpeg.
    @Test(.enabled(if: TestData.shouldRun))
    func fortyKilobitLeakMattersOnRealSpeech() throws {
        var ours: [String: [Int16]] = [:]
        var theirs: [String: [Int16]] = [:]
        for (name, format, bytes) in try Self.captureStreams() where format.packing == .rfc3551 {
            theirs[name] = try FFmpegG726.decode(bytes, rate: format.rate, packing: format.packing)
            var decoder = G726Decoder(rate: format.rate)
            ours[name] = decoder.decode(packed: bytes, packing: format.packing)
        }
        let reference = try #require(ours["G726-32"])
        let ourForty = Self.correlation(try #require(ours["G726-40"]), reference)
        let theirForty = Self.correlation(try #require(theirs["G726-40"]), reference)
        print("G726-40 against our G726-32 decode: correlation \(ourForty) (ours), \(theirForty) (ffmpeg)")
        #expect(ourForty >= 0.99 && theirForty < ourForty - 0.05)
    }

    /// The G.726 streams of sip-rtp-g726.pcap by their SDP names, each stream's payloads concatenated (its first
    /// 3 s).
    static func captureStreams() throws -> [(
        name: String, format: (rate: G726Rate, packing: G726Packing), bytes: [UInt8]
    )] {
        let capture = try CaptureRTPStreams.read("captures/wireshark-samples/sip-rtp-g726.pcap")
        return capture.streams.compactMap { stream in
            guard let first = stream.packets.first,
                let map = capture.announcement(for: stream, payloadType: first.payloadType),
                let format = Self.format(map.rtpMap.encodingName)
            else { return nil }
            let bytes = stream.packets.prefix(150).filter { $0.payloadType == first.payloadType }.flatMap(\.payload)
            return (map.rtpMap.encodingName, format, bytes)
        }
    }

    /// The normalized correlation of two signals over their common length.
    static func correlation(_ x: [Int16], _ y: [Int16]) -> Double {
        var products = 0.0
        var xx = 0.0
        var yy = 0.0
        for index in 0..<min(x.count, y.count) {
            let (a, b) = (Double(x[index]), Double(y[index]))
            products += a * b
            xx += a * a
            yy += b * b
        }
        return products / max((xx * yy).squareRoot(), 1)
    }

    /// `G726-24` → 24 kbit/s, RFC 3551; `AAL2-G726-24` → AAL2 (RFC 3551 §4.5.4).
    static func format(_ name: String) -> (rate: G726Rate, packing: G726Packing)? {
        let aal2 = name.uppercased().hasPrefix("AAL2-")
        let base = aal2 ? name.dropFirst(5) : Substring(name)
        guard base.uppercased().hasPrefix("G726-"), let kbps = Int(base.dropFirst(5)),
            let rate = G726Rate(rawValue: kbps)
        else { return nil }
        return (rate, aal2 ? .aal2 : .rfc3551)
    }
}

/// ffmpeg's raw G.726 demuxers and codecs: `g726` for the AAL2 order, `g726le` for RFC 3551's.
enum FFmpegG726 {
    static var isAvailable: Bool {
        if Subprocess.tool("ffmpeg") != nil || TestData.isCI { return true }
        print("note: ffmpeg not installed: the G.726 comparison with ffmpeg is skipped")
        return false
    }

    static func format(_ packing: G726Packing) -> String { packing == .aal2 ? "g726" : "g726le" }

    /// Decodes packed codewords with ffmpeg to 16-bit samples.
    static func decode(_ bytes: [UInt8], rate: G726Rate, packing: G726Packing) throws -> [Int16] {
        let output = try run(
            input: bytes,
            ["-f", format(packing), "-code_size", "\(rate.bitsPerCodeword)", "-sample_rate", "8000"],
            ["-f", "s16le"]
        )
        return stride(from: 0, to: output.count - 1, by: 2).map {
            Int16(bitPattern: UInt16(output[$0]) | UInt16(output[$0 + 1]) << 8)
        }
    }

    /// Encodes 8 kHz samples with ffmpeg's encoder to packed codewords.
    static func encode(_ samples: [Int16], rate: G726Rate, packing: G726Packing) throws -> [UInt8] {
        let bytes = samples.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        return try run(
            input: bytes,
            ["-f", "s16le", "-ar", "8000", "-ac", "1"],
            ["-c:a", "adpcm_\(format(packing))", "-b:a", "\(rate.rawValue)k", "-f", format(packing)]
        )
    }

    /// Runs ffmpeg on a temporary input file (so a large output never blocks on a pipe it cannot fill).
    private static func run(input: [UInt8], _ inputOptions: [String], _ outputOptions: [String]) throws -> [UInt8] {
        guard let ffmpeg = Subprocess.tool("ffmpeg") else { throw MissingTool(name: "ffmpeg") }
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("input").path
        try Data(input).write(to: URL(fileURLWithPath: path))
        let outcome = try Subprocess.run(
            ffmpeg,
            ["-hide_banner", "-loglevel", "error"] + inputOptions + ["-i", path] + outputOptions + ["-"]
        )
        guard outcome.status == 0 else { throw FFmpegFailure(message: outcome.stderr) }
        return outcome.stdout
    }
}

/// ffmpeg refused its input.
struct FFmpegFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "ffmpeg failed: \(message)" }
}
