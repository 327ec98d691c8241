import AMRCodec
import AudioCodecs
import Capture
import Foundation
import G729Codec
import GSMCodec
import OpusCodec
import TestSupport
import Testing

/// The RTP payloads of one payload type in a real capture, per SSRC, in sequence order (no payload format logic
/// beyond what each test does itself: that is the `PayloadFormats` module's job).
enum CapturePayloads {
    static func read(_ relativePath: String, payloadType: UInt8) throws -> [[[UInt8]]] {
        let bytes = [UInt8](try Data(contentsOf: TestData.url(relativePath)))
        var reader = DatagramReader(name: relativePath)
        var streams: [UInt32: [(sequence: Int64, payload: [UInt8])]] = [:]
        var order: [UInt32] = []
        func take(_ datagram: UDPDatagram) {
            guard case .rtp(let packet) = PayloadClassifier.classify(datagram), packet.payloadType == payloadType else {
                return
            }
            var stream = streams[packet.ssrc] ?? []
            if stream.isEmpty { order.append(packet.ssrc) }
            // RFC 3550 §A.1: unwrap the 16-bit sequence number next to the previous one.
            let sequence =
                stream.last.map {
                    $0.sequence + Int64(Int16(truncatingIfNeeded: Int64(packet.sequenceNumber) - $0.sequence))
                }
                ?? Int64(packet.sequenceNumber)
            stream.append((sequence, Array(packet.payload)))
            streams[packet.ssrc] = stream
        }
        try reader.append(bytes)
        while let datagram = try reader.next() { take(datagram) }
        try reader.finish()
        while let datagram = try reader.next() { take(datagram) }
        return order.map { ssrc in (streams[ssrc] ?? []).sorted { $0.sequence < $1.sequence }.map(\.payload) }
    }
}

/// Real captures (../shared/testdata) decoded by the library decoders and by FFmpeg from the same frames: frames
/// from real phones and softphones, not only from the libraries' own encoders.
@Suite("Codec libraries: real captures", .enabled(if: TestData.shouldRun && CodecTest.hasFFmpeg))
struct RealCaptureTests {
    // Proves G.729 from two desk phones and a softphone decodes as FFmpeg's g729 hears it (RFC 3551 §4.5.6: 10-byte
    // frames, several per packet).
    @Test(arguments: ["captures/wireshark-samples/sip-rtp-g729a.pcap", "captures/nesfit-codecs/codecs2-g729r8.pcap"])
    func g729(_ capture: String) throws {
        for payloads in try CapturePayloads.read(capture, payloadType: 18) {
            #expect(payloads.allSatisfy { $0.count % 10 == 0 }, "no SID frames in these captures")
            let frames = payloads.flatMap { payload in
                stride(from: 0, to: payload.count, by: 10).map { Array(payload[$0..<($0 + 10)]) }
            }
            let ours = CodecTest.decode(
                frames.map { CodecFrame(kind: .speech, bytes: $0, sampleCount: 80) },
                with: G729Decoder()
            )
            #expect(ours == G729Library.decode(frames))
            let reference = try CodecTest.ffmpeg(
                CodecStreamFile.raw(frames),
                suffix: ".g729",
                inputOptions: ["-f", "g729"]
            )
            let comparison = SignalComparison(reference: reference.mono, actual: ours)
            CodecTest.figure("G.729 \(capture) (\(frames.count) frames) vs ffmpeg g729", comparison)
            #expect(comparison.correlation >= 0.99, "\(comparison)")
        }
    }

    // Proves GSM 06.10 from a real capture decodes exactly as FFmpeg's gsm decoder does (RFC 3551 §4.5.8).
    @Test func gsm() throws {
        let streams = try CapturePayloads.read("captures/wireshark-samples/sip-rtp-gsm.pcap", payloadType: 3)
        #expect(!streams.isEmpty)
        for payloads in streams {
            let frames = payloads.flatMap { payload in
                stride(from: 0, to: payload.count - 32, by: 33).map { Array(payload[$0..<($0 + 33)]) }
            }
            let ours = CodecTest.decode(
                frames.map { CodecFrame(kind: .speech, bytes: $0, sampleCount: 160) },
                with: GSMDecoder()
            )
            let reference = try CodecTest.ffmpeg(
                CodecStreamFile.raw(frames),
                suffix: ".gsm",
                inputOptions: ["-f", "gsm"]
            )
            let comparison = SignalComparison(reference: reference.mono, actual: ours)
            CodecTest.figure("GSM sip-rtp-gsm (\(frames.count) frames) vs ffmpeg gsm", comparison)
            #expect(comparison.maximumDifference == 0, "\(comparison)")
        }
    }

    // Proves a real stereo Opus stream (`opus/48000/2`, RFC 7587) decodes to mono as FFmpeg's libopus wrapper hears
    // it (its two channels averaged), at 48 kHz.
    @Test func opus() throws {
        let streams = try CapturePayloads.read("captures/wireshark-samples/sip-rtp-opus.pcap", payloadType: 99)
        #expect(!streams.isEmpty)
        for packets in streams {
            let valid = packets.filter { OpusLibrary.sampleCount(ofPacket: $0) != nil }
            let decoder = try OpusDecoder(sampleRate: 48000)
            let ours = CodecTest.decode(
                valid.map { CodecFrame(kind: .speech, bytes: $0, sampleCount: 0) },
                with: decoder
            )
            let file = CodecStreamFile.oggOpus(
                valid,
                packetSamples: valid.map { OpusLibrary.sampleCount(ofPacket: $0)! },
                channels: 2
            )
            let reference = try CodecTest.ffmpeg(file, suffix: ".opus", decoder: "libopus")
            let comparison = SignalComparison(reference: reference.mono, actual: ours, maximumLag: 4)
            CodecTest.figure(
                "Opus sip-rtp-opus (\(valid.count) packets, stereo) vs ffmpeg libopus averaged",
                comparison
            )
            #expect(decoder.rejectedFrames == 0)
            #expect(comparison.correlation >= 0.99, "\(comparison)")
        }
    }

    // Proves real octet-aligned AMR-WB 23.85 (RFC 4867 §4.4: CMR, then ToC entries while F = 1, then the frames)
    // decodes as opencore called directly and as FFmpeg's amrwb hears the same frames from a storage file.
    @Test func amrWideband() throws {
        let streams = try CapturePayloads.read("captures/nesfit-codecs/codecs3-amr-wb.pcap", payloadType: 123)
        #expect(!streams.isEmpty)
        for payloads in streams {
            let frames = payloads.flatMap(Self.octetAlignedFrames)
            let speech = frames.filter { Int($0[0] >> 3) < 9 }.count
            #expect(speech > 50)
            let ours = CodecTest.decode(
                frames.map { CodecFrame(kind: .speech, bytes: $0, sampleCount: 320) },
                with: AMRWBDecoder()
            )
            #expect(ours == AMRLibrary.decodeWideband(frames))
            let reference = try CodecTest.ffmpeg(
                CodecStreamFile.amr(frames, wideband: true),
                suffix: ".awb",
                inputOptions: ["-f", "amr"]
            )
            let comparison = SignalComparison(reference: reference.mono, actual: ours)
            CodecTest.figure(
                "AMR-WB codecs3-amr-wb (\(frames.count) frames, \(speech) speech) vs ffmpeg amrwb",
                comparison
            )
            // The callee's leg is overdriven (-7 dBFS, thousands of clipped samples: FFmpeg saturates, opencore
            // once wraps to -32768 in a clipped run); the caller's is near silence (-65 dBFS), where correlation means
            // little and the two decoders stay within a few 14-bit steps.
            if comparison.referenceLevelDBFS < -50 {
                #expect(comparison.maximumDifference <= 64, "\(comparison)")
                continue
            }
            #expect(comparison.correlation >= 0.98, "\(comparison)")
        }
    }

    /// The storage-format frames of one octet-aligned AMR-WB payload (RFC 4867 §4.4.1–4.4.3), or none when it does
    /// not parse.
    static func octetAlignedFrames(_ payload: [UInt8]) -> [[UInt8]] {
        var index = 1  // CMR octet
        var tableOfContents: [UInt8] = []
        while index < payload.count {
            tableOfContents.append(payload[index])
            index += 1
            if payload[index - 1] & 0x80 == 0 { break }
        }
        var frames: [[UInt8]] = []
        for entry in tableOfContents {
            let type = Int(entry >> 3) & 0x0F
            let size = type < 10 ? [17, 23, 32, 36, 40, 46, 50, 58, 60, 5][type] : 0
            guard index + size <= payload.count else { return [] }
            frames.append([entry & 0x7C] + payload[index..<(index + size)])
            index += size
        }
        return frames
    }
}
