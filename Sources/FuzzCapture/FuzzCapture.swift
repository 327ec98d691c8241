import CallTimeline
import Capture
import FuzzSupport
import SecureRTP
import Transcoder

/// Fuzzes the whole read side (SPEC §2–3): container detection (pcap, pcapng, rtpdump, gzip), every link
/// type, IP/UDP with fragments, the payload classifier, SIP/SDP, and the timeline build — through
/// `CaptureIngest`, as the CLI and the Lambda use it. Each input goes in whole and again in chunks: the two
/// readings must agree (a streamed S3 body must not read differently from a file), and nothing may trap. The
/// error text must name the input once (SPEC §5: `<input>: <reason>`). Inputs of odd length are read with an SRTP
/// key for every stream besides the SDES keys of their own SDP, so the SRTP step of both passes runs on every
/// RTP datagram (SPEC §2.4).
@main
enum FuzzCapture {
    static func main() {
        FuzzDriver.run { bytes in
            let whole = ingest(bytes, chunkSize: max(1, bytes.count))
            // Chunk sizes from 1 byte up, varied by the input length so that boundaries land everywhere.
            let chunked = ingest(bytes, chunkSize: 1 + bytes.count % 97)
            // A capture broken in two places may fail on either first (a whole gzip member is checked before
            // its content is parsed, a chunked one is parsed as it inflates): both must fail, or agree.
            guard whole == chunked || (whole.failure != nil && chunked.failure != nil) else {
                fatalError("whole and chunked readings differ: \(whole) vs \(chunked)")
            }
        }
    }

    /// What a reading gave, compared between the whole and the chunked input.
    struct Outcome: Equatable, CustomStringConvertible {
        var failure: String?
        var frames = 0
        var datagrams = 0
        var streams = 0
        var calls = 0

        var description: String {
            failure.map { "error: \($0)" }
                ?? "\(frames) frames, \(datagrams) datagrams, \(streams) streams, \(calls) calls"
        }
    }

    /// A key for every stream (AES_CM_128_HMAC_SHA1_80, fixed bytes).
    static let everyStream = SRTPKeyRing([
        SRTPKeyEntry(
            material: SRTPKeyMaterial(
                suite: .aes128HMACSHA1_80,
                keys: [SRTPKeyParameter(material: SRTPMasterKey(bytes: (0..<30).map { UInt8($0 * 7 & 0xFF) }))]
            ),
            scope: .any,
            origin: .option(index: 1)
        )
    ])

    static func ingest(_ bytes: [UInt8], chunkSize: Int) -> Outcome {
        var ingest = CaptureIngest(name: "fuzz", keys: bytes.count % 2 == 1 ? everyStream : SRTPKeyRing())
        do {
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + chunkSize)
                try ingest.append(Array(bytes[start..<end]))
                start = end
            }
            let contents = try ingest.finish()
            var outcome = Outcome(
                frames: contents.frames,
                datagrams: contents.udpDatagrams,
                streams: contents.timeline.summary.streams.count,
                calls: contents.timeline.summary.calls.count
            )
            if let call = try? contents.selectCall(nil) {
                render(contents, call, bytes: bytes)
            }
            outcome.failure = nil
            return outcome
        } catch {
            let text = "\(error)"
            guard !text.hasPrefix("fuzz: fuzz:") else { fatalError("the input is named twice: \(text)") }
            return Outcome(failure: text)
        }
    }

    /// Renders the start of the call in both layouts through pass 2 (the capture read again): a fuzzed call may
    /// announce an hour of audio, and a few blocks exercise placement, concealment and resampling without
    /// making each run slow.
    static func render(_ contents: CaptureContents, _ call: Call, bytes: [UInt8]) {
        for layout in [ChannelLayout.stereo, .mono] {
            var settings = TranscodeSettings()
            settings.format = .wav
            settings.channels = layout
            settings.encoderThread = false
            var blocks = 0
            _ = try? RecordingEncoder.encode(
                contents: contents,
                call: call,
                source: MemorySource(bytes: bytes, name: "fuzz"),
                settings: settings,
                title: "fuzz",
                shouldContinue: {
                    blocks += 1
                    return blocks <= 4
                }
            )
        }
    }
}
