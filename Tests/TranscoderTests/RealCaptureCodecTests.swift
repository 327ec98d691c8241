import AudioCodecs
import CallTimeline
import Foundation
import PayloadFormats
import TestSupport
import Testing
import Transcoder

/// The real captures of the codecs beyond G.711 and G.722 (../shared/testdata README rows `sip-rtp-g729a`,
/// `sip-rtp-opus`, `sip-rtp-gsm`, `sip-rtp-speex`, `sip-rtp-g726`, `nesfit-codecs/*`) through the whole pipeline:
/// the call's rate, duration and legs as the README says, each segment's codec and frame census, and each leg's
/// audio against ffmpeg decoding the same frames (an independent decoder), at the leg's place in the recording.
@Suite("Real captures: every codec through the pipeline", .enabled(if: TestData.shouldRun && FFmpegTool.isAvailable))
struct RealCaptureCodecTests {
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var call: Int?
        /// The codec of every segment, as the report names it, and its format parameters.
        var codec: String
        var format: String?
        var sampleRate: Int
        var seconds: Double
        /// Each leg's start in the recording, in seconds.
        var legOffsets: [Double]
        /// The least correlation with ffmpeg's decoding of the same frames.
        var correlation = 0.99
        var description: String { file + (call.map { " call \($0)" } ?? "") }
    }

    static let cases: [Case] =
        [
            // G.729 one way, PT 18; RTP 0.026–8.505 s.
            Case(
                file: "wireshark-samples/sip-rtp-g729a.pcap",
                codec: "G729",
                format: "Annex B",
                sampleRate: 8000,
                seconds: 8.5,
                legOffsets: [0]
            ),
            // G.729 annexb=no both ways between two desk phones.
            Case(
                file: "nesfit-codecs/codecs2-g729r8.pcap",
                codec: "G729",
                format: "without Annex B",
                sampleRate: 8000,
                seconds: 27.96,
                legOffsets: [0, 0.004]
            ),
            // Opus opus/48000/2 on PT 99: recorded at 16 kHz (SPEC §3.8), libopus decoding at 16 kHz; ffmpeg decodes at
            // 48 kHz and resamples.
            Case(
                file: "wireshark-samples/sip-rtp-opus.pcap",
                codec: "opus",
                format: "mono sender",
                sampleRate: 16000,
                seconds: 8.48,
                legOffsets: [0],
                correlation: 0.98
            ),
            Case(
                file: "wireshark-samples/sip-rtp-gsm.pcap",
                codec: "GSM",
                sampleRate: 8000,
                seconds: 8.48,
                legOffsets: [0]
            ),
            // AMR-WB 23.85 octet-aligned; the callee's audio starts before the 200 OK, the caller is silent.
            Case(
                file: "nesfit-codecs/codecs3-amr-wb.pcap",
                codec: "AMR-WB",
                format: "octet-aligned",
                sampleRate: 16000,
                seconds: 7.93,
                legOffsets: [1.505, 0],
                correlation: 0.98
            ),
        ]
        // Speex at its three rates, one call each; 32 kHz recorded at 16 kHz.
        + [(1, "narrowband", 8000), (2, "wideband", 16000), (3, "ultra-wideband", 16000)].map { call, band, rate in
            Case(
                file: "wireshark-samples/sip-rtp-speex.pcap",
                call: call,
                codec: "speex",
                format: band,
                sampleRate: rate,
                seconds: 8.48,
                legOffsets: [0],
                correlation: 0.97
            )
        }
        // G.726 at four rates in both packings, one call each. ffmpeg departs from ITU-T G.726 (AudioCodecsTests'
        // G726FFmpegTests name how); at 40 kbit/s it strays from the capture's encoder.
        + ["G726-16", "G726-24", "G726-32", "G726-40", "AAL2-G726-16", "AAL2-G726-24", "AAL2-G726-32", "AAL2-G726-40"]
        .enumerated().map { index, name in
            Case(
                file: "wireshark-samples/sip-rtp-g726.pcap",
                call: index + 1,
                codec: name,
                format: nil,
                sampleRate: 8000,
                seconds: 8.48,
                legOffsets: [0],
                correlation: 0.99
            )
        }

    // Proves each capture records as its README row says, with each leg's audio what ffmpeg hears in its frames.
    @Test(arguments: cases)
    func recording(_ expected: Case) throws {
        var settings = TranscodeSettings()
        settings.format = .wav
        settings.callNumber = expected.call
        let path = try TestData.url("captures/" + expected.file).path
        let result = try TwoSteps.transcode(FileSource(path: path, name: expected.file), settings: settings)
        let call = result.call
        #expect(result.recording.sampleRate == expected.sampleRate)
        #expect(abs(call.durationSeconds - expected.seconds) <= 0.06, "\(call.durationSeconds) s")
        #expect(call.legs.count == expected.legOffsets.count)
        let streams = try CaptureRTPStreams.read("captures/" + expected.file)
        for (index, leg) in call.legs.enumerated() {
            let segment = try #require(leg.segments.first)
            #expect(leg.segments.allSatisfy { $0.codec.description == expected.codec })
            if let format = expected.format { #expect(segment.codec.formatDescription?.hasSuffix(format) == true) }
            let offset = Double(segment.start - call.start) / 1e9
            if index < expected.legOffsets.count {
                #expect(abs(offset - expected.legOffsets[index]) <= 0.01, "leg \(leg.label) at \(offset) s")
            }
            // Clean captures: every frame is speech, nothing damaged, nothing concealed.
            #expect(segment.frames.speech > 300 && segment.frames.damaged == 0, "\(segment.frames)")
            #expect(leg.concealedMilliseconds == 0)
            let stream = try #require(
                streams.streams.first { $0.ssrc == segment.ssrc && $0.source == leg.source },
                "no stream for leg \(leg.label)"
            )
            let packets = stream.packets.filter { $0.payloadType == segment.payloadType }
            let reference = try Self.ffmpeg(packets.map(\.payload), codec: segment.codec, rate: expected.sampleRate)
            let channel = Self.channel(result.recording.bytes, index: leg.side.channel)
            let start = Int((offset * Double(expected.sampleRate)).rounded())
            let ours = Array(channel[min(start, channel.count)...].prefix(reference.count))
            let comparison = SignalComparison(reference: reference, actual: ours, maximumLag: expected.sampleRate / 500)
            print("figure: \(expected) leg \(leg.label) (\(segment.codec)) vs ffmpeg: \(comparison)")
            if case .g726(let format) = segment.codec, format.rate == .kbps40 {
                // ffmpeg's 40 kbit/s decoder departs from ITU-T G.726 (G726FFmpegTests); the codec core is held to
                // the Recommendation there, and here the pipeline to the codec core called directly.
                var decoder = G726Decoder(rate: format.rate)
                let direct = decoder.decode(packed: packets.flatMap(\.payload), packing: format.packing)
                #expect(SignalComparison(reference: direct, actual: ours).maximumDifference == 0)
                continue
            }
            if comparison.referenceLevelDBFS < -50 {
                // A silent leg (the AMR-WB caller): silent here too.
                #expect(abs(comparison.levelDifferenceDB) < 6, "\(comparison)")
                continue
            }
            #expect(comparison.correlationAtBestLag >= expected.correlation, "\(comparison)")
            #expect(abs(comparison.levelDifferenceDB) < 1, "\(comparison)")
        }
    }

    /// ffmpeg's decoding of a stream's payloads (in sequence order), cut into frames by `Depacketizer`, at `rate`.
    static func ffmpeg(_ payloads: [[UInt8]], codec: Codec, rate: Int) throws -> [Int16] {
        let depacketizer = try #require(Depacketizer(codec: codec))
        let cut = try payloads.map { try depacketizer.frames(of: $0) }
        let frames = cut.flatMap(\.frames).map(\.bytes)
        let file: [UInt8]
        var input: [String] = []
        var decoder: String?
        let suffix: String
        switch codec {
        case .g729:
            (file, suffix, input) = (CodecStreamFile.raw(frames), ".g729", ["-f", "g729"])
        case .gsm:
            (file, suffix, input) = (CodecStreamFile.raw(frames), ".gsm", ["-f", "gsm"])
        case .amrWideband, .amr:
            let wideband = codec.sampleRate == 16000
            (file, suffix, input) = (CodecStreamFile.amr(frames, wideband: wideband), ".amr", ["-f", "amr"])
        case .opus:
            let samples = cut.map { $0.duration.ticks }
            (file, suffix, decoder) = (
                CodecStreamFile.oggOpus(payloads, packetSamples: samples, channels: 2), ".opus", "libopus"
            )
        case .speex(let format):
            let (mode, frame) =
                switch format.band {
                case .narrowband: (0, 160)
                case .wideband: (1, 320)
                case .ultraWideband: (2, 640)
                }
            file = CodecStreamFile.oggSpeex(
                payloads,
                sampleRate: codec.sampleRate,
                mode: mode,
                frameSamples: frame,
                framesPerPacket: 1
            )
            (suffix, decoder) = (".spx", "libspeex")
        case .g726(let format):
            file = payloads.flatMap { $0 }
            suffix = ".g726"
            input = [
                "-f", format.packing == .aal2 ? "g726" : "g726le", "-code_size", "\(format.rate.bitsPerCodeword)",
                "-sample_rate", "8000",
            ]
        default:
            Issue.record("no ffmpeg reference for \(codec)")
            return []
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + suffix).path
        try Data(file).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try DecodedAudio.ffmpeg(path, inputOptions: input, decoder: decoder, outputSampleRate: rate).mono
    }

    /// One channel of a 16-bit stereo WAV file's samples.
    static func channel(_ wav: [UInt8], index: Int) -> [Int16] {
        var offset = 12
        while offset + 8 <= wav.count {
            let id = String(decoding: wav[offset..<(offset + 4)], as: UTF8.self)
            let size =
                Int(wav[offset + 4]) | Int(wav[offset + 5]) << 8 | Int(wav[offset + 6]) << 16
                | Int(wav[offset + 7]) << 24
            if id == "data" { break }
            offset += 8 + size
        }
        var samples: [Int16] = []
        var position = offset + 8 + 2 * index
        while position + 1 < wav.count {
            samples.append(Int16(bitPattern: UInt16(wav[position]) | UInt16(wav[position + 1]) << 8))
            position += 4
        }
        return samples
    }
}

/// Whether ffmpeg and ffprobe are there (the comparisons with ffmpeg are skipped without them).
enum FFmpegTool {
    static let isAvailable = Subprocess.tool("ffmpeg") != nil && Subprocess.tool("ffprobe") != nil
}
