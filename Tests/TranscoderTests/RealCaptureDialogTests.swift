import CallTimeline
import TestSupport
import Testing
import Transcoder

/// The real captures whose calls depend on SIP dialogs (SPEC §3.2), against their README rows as far as the
/// call split and the legs go (their audio: RealCaptureCodecTests).
@Suite("Real captures: calls by SIP dialog", .enabled(if: TestData.shouldRun))
struct RealCaptureDialogTests {
    static func read(_ relative: String) throws -> CaptureContents {
        try RealCaptureTests.read(relative, settings: TranscodeSettings())
    }

    /// sipnab/sip-over-tcp.pcap: the INVITE and 200 OK travel over TCP; read, they make the caller (the INVITE's
    /// sender, 10.33.6.100) leg A, where the first packet put the callee before. Two legs, ≈ 2.08 s of RTP.
    @Test("sip-over-tcp: the caller from the TCP dialog, two legs")
    func sipOverTCP() throws {
        let contents = try Self.read("sipnab/sip-over-tcp.pcap")
        let summary = contents.timeline.summary
        #expect(summary.sipMessages == 7)
        #expect(summary.sipDialogs.map(\.callID) == ["158936656982201062716@10.33.6.100"])
        let call = try contents.selectCall(nil)
        #expect(call.channelReason == "caller per SIP INVITE")
        #expect(call.legs.map { "\($0.source)" } == ["10.33.6.100:6000", "10.33.6.101:6050"])
        #expect(abs(call.durationSeconds - 2.08) <= 0.05, "\(call.durationSeconds) s")
        // The connection's handshake carried no SIP yet; every other segment did.
        #expect(contents.skippedFrames["tcp"] == 3)
    }

    /// wireshark-samples/sip-rtp-speex.pcap: three dialogs one after another, all naming the caller's port
    /// 10.0.2.20:6000, each callee on its own port: three calls (never one 25.7 s call), each stream attached to
    /// its own dialog by its peer, each ≈ 8.48 s of RTP.
    @Test("sip-rtp-speex: three calls, one per dialog")
    func speex() throws {
        let contents = try Self.read("wireshark-samples/sip-rtp-speex.pcap")
        let streams = contents.timeline.summary.streams
        #expect(streams.count == 3)
        #expect(Set(streams.compactMap { $0.dialog?.callID }).count == 3)
        #expect(streams.allSatisfy { $0.dialog?.peerFit == .exact && $0.dialog?.sender == .callee })
        #expect(streams.allSatisfy { abs(Double($0.lastArrival - $0.firstArrival) / 1e9 - 8.48) < 0.01 })
        // Each decodable in its own dialog's Speex band: no warning.
        #expect(contents.timeline.summary.warnings.isEmpty)
        let built = contents.timeline.summary
        #expect(built.calls.count == 3)
        #expect(Set(built.calls.compactMap(\.sipCallID)).count == 3)
        #expect(built.calls.allSatisfy { $0.legs.count == 1 && $0.legs[0].segments.count == 1 })
    }

    /// wireshark-samples/sip-rtp-g726.pcap: eight dialogs on the caller's one port, each with its own mapping of
    /// payload type 99. Each stream takes its own dialog's codec (not the last SDP's), and read as 8 kHz audio
    /// they make eight calls of ≈ 8.48 s.
    @Test("sip-rtp-g726: eight calls, each with its own dialog's codec")
    func g726() throws {
        let contents = try Self.read("wireshark-samples/sip-rtp-g726.pcap")
        let codecs = contents.timeline.summary.streams.map { $0.payloadTypes[99]?.description ?? "" }
        #expect(
            codecs == [
                "G726-16", "G726-24", "G726-32", "G726-40", "AAL2-G726-16", "AAL2-G726-24", "AAL2-G726-32",
                "AAL2-G726-40",
            ]
        )
        let built = contents.timeline.summary
        #expect(built.calls.count == 8)
        #expect(Set(built.calls.compactMap(\.sipCallID)).count == 8)
        #expect(built.calls.allSatisfy { $0.legs.count == 1 && abs($0.durationSeconds - 8.49) < 0.01 })
    }

    /// `inspect` says, per stream, which dialog it joined and why.
    @Test("inspect shows each stream's dialog and why")
    func inspectShowsDialogs() throws {
        let json = String(
            decoding: CaptureInspection(try Self.read("wireshark-samples/sip-rtp-speex.pcap")).json(),
            as: UTF8.self
        )
        #expect(json.contains("\"dialog\" : \"1-4247@10.0.2.20\""))
        #expect(
            json.contains(
                "\"dialogReason\" : \"sent by the callee: its destination is the caller's SDP media, its source is the "
                    + "callee's; SDP 0.022 s before its first packet, BYE 0.001 s after its last; chosen over 2 other "
                    + "dialogs naming that address\""
            )
        )
    }
}
