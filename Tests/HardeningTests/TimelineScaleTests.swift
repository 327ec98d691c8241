import CallTimeline
import Capture
import TestSupport
import Testing
import Transcoder

/// Thousands of RTP streams through the timeline analysis (streams → segments → legs → calls): the work must
/// grow with the number of streams, not with its square, and the outcome must stay sensible. The counts are
/// asserted; the figures are printed.
@Suite("Timeline at scale")
struct TimelineScaleTests {
    static let streams = 20_000

    /// One PCMU packet per stream, 20 ms apart; `distinctPorts` gives each its own 5-tuple (else only the
    /// SSRC changes, as in a sender that restarts for every packet).
    static func capture(distinctPorts: Bool) -> [UInt8] {
        var writer = CaptureWriter(format: .pcap(nanoseconds: true, bigEndian: false))
        let payload = [UInt8](repeating: 0xFF, count: 160)
        for index in 0..<streams {
            let source = Endpoint(
                address: Hardening.alice.address,
                port: distinctPorts ? UInt16(10_000 + index % 50_000) : Hardening.alice.port
            )
            let rtp = RTPPacketBytes.make(
                payloadType: 0,
                marker: false,
                sequence: UInt16(truncatingIfNeeded: index),
                timestamp: UInt32(index) * 160,
                ssrc: UInt32(0x1000_0000 + index),
                payload: payload
            )
            writer.addUDP(
                timestamp: 1_000_000_000 + Int64(index) * 20_000_000,
                source: source,
                destination: Hardening.bob,
                payload: rtp
            )
        }
        return writer.finish()
    }

    // Proves 20,000 one-packet SSRCs on one 5-tuple become 20,000 streams and one call whose leg is made of
    // them in order (400 s of audio), and the analysis finishes (it went quadratic before, see the commit); and
    // that pass 2, which decides at every packet, renders the 400 s without visiting every stream per packet.
    @Test("20,000 SSRCs on one 5-tuple")
    func oneTuple() throws {
        let capture = Self.capture(distinctPorts: false)
        let contents = try Hardening.ingest(capture).get()
        #expect(contents.timeline.summary.streams.count == Self.streams)
        let call = try contents.selectCall(nil)
        var settings = TranscodeSettings()
        settings.format = .wav
        let result = try RecordingEncoder.encode(
            contents: contents,
            call: call,
            source: MemorySource(bytes: capture, name: "ssrcs.pcap"),
            settings: settings
        )
        #expect(abs(result.recording.durationSeconds - 400) < 0.1)
        #expect(result.call.legs.count == 1)
        print(
            "20,000 SSRCs, one 5-tuple: \(contents.timeline.summary.calls.count) call(s), "
                + "\(call.durationSeconds) s; peak RSS \(Hardening.peakMemoryMiB()) MiB"
        )
    }

    // Proves 20,000 one-packet streams from 20,000 source ports give 20,000 streams and a clean result
    // (calls by endpoint pair), without the pairing of streams into legs and calls going quadratic.
    @Test("20,000 streams on 20,000 5-tuples")
    func manyTuples() throws {
        let contents = try Hardening.ingest(Self.capture(distinctPorts: true)).get()
        #expect(contents.timeline.summary.streams.count == Self.streams)
        _ = try contents.selectCall(nil)
        print(
            "20,000 5-tuples: \(contents.timeline.summary.calls.count) call(s); "
                + "peak RSS \(Hardening.peakMemoryMiB()) MiB"
        )
    }
}
