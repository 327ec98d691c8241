import CallTimeline
import TestSupport
import Testing
import Transcoder

/// The real captures of ../shared/testdata/captures, each against the expectations its README table states.
@Suite("Real captures through the pipeline", .enabled(if: TestData.shouldRun))
struct RealCaptureTests {
    static func read(_ relative: String, settings: TranscodeSettings = TranscodeSettings()) throws -> CaptureContents {
        let path = try TestData.url("captures/" + relative).path
        var ingest = CaptureIngest(name: relative, options: settings.timeline)
        try LocalFiles.read(path) { (chunk) throws(TranscodeError) in try ingest.append(chunk) }
        return try ingest.finish()
    }

    /// The whole pipeline (both passes, WAV output): the call as rendered, with its gap map.
    static func rendered(_ relative: String) throws -> TwoSteps.Result {
        var settings = TranscodeSettings()
        settings.format = .wav
        return try TwoSteps.transcode(
            FileSource(path: try TestData.url("captures/" + relative).path, name: relative),
            settings: settings
        )
    }

    static func call(_ relative: String) throws -> (CaptureContents, Call) {
        let contents = try read(relative)
        return (contents, try contents.selectCall(nil))
    }

    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var legs: Int
        var seconds: Double
        var tolerance: Double = 0.05
        var sampleRate = 8000
        var digits: [String] = []
        var description: String { file }
    }

    static let recordings: [Expectation] = [
        // Full SIP call, PCMU both ways; RTP runs 166.1–178.9 s into the 190 s capture.
        Expectation(file: "wireshark-samples/MagicJack_short_call.pcap", legs: 2, seconds: 12.84),
        // PCMA at 30 ms ptime both ways, RFC 2833 on PT 96 learned from SDP, 2 losses.
        Expectation(
            file: "wireshark-samples/SIP_DTMF2.pcap",
            legs: 2,
            seconds: 20.0,
            tolerance: 0.1,
            digits: ["6", "7", "8", "9", "1", "2", "3"]
        ),
        // G.722 one way: 16 kHz audio, 8000 Hz RTP clock; ≈ 8.5 s (not 4.25, not 17).
        Expectation(file: "wireshark-samples/sip-rtp-g722.pcap", legs: 1, seconds: 8.5, sampleRate: 16000),
        // Linux cooked v1, PCMA at 40 ms ptime: 826 packets of 40 ms.
        Expectation(file: "asterisk-testsuite/40msalaw.pcap", legs: 1, seconds: 33.04),
        // 800 received + 14 lost packets of 20 ms.
        Expectation(file: "asterisk-testsuite/CARRIER_G711U.pcap", legs: 1, seconds: 16.28),
        // Linux cooked v2, a 9.7 s send gap on one leg, DTMF.
        Expectation(
            file: "projectrtp/ivr_dtmf_issue_9_1_9_9_3.pcap",
            legs: 2,
            seconds: 46.3,
            tolerance: 0.1,
            digits: ["9", "1", "9", "9", "3"]
        ),
        // PCMU both ways amid ARP/NTP/SSH/TCP; RTP 4.69–11.80 s; digit 2.
        Expectation(file: "projectrtp/dtmfcapture1.pcap", legs: 2, seconds: 7.1, tolerance: 0.1, digits: ["2"]),
        // PCMA at 30 ms, no SIP: 236 packets of 30 ms.
        Expectation(file: "sipp/g711a.pcap", legs: 1, seconds: 7.08),
    ]

    /// Duration, legs, rate and DTMF of every capture with audio match its documented expectation.
    @Test("recording expectations", arguments: recordings)
    func recording(_ expectation: Expectation) throws {
        let (_, call) = try Self.call(expectation.file)
        #expect(call.legs.count == expectation.legs)
        #expect(abs(call.durationSeconds - expectation.seconds) <= expectation.tolerance, "\(call.durationSeconds) s")
        #expect(call.naturalSampleRate == expectation.sampleRate)
        let digits = call.legs.flatMap(\.dtmf).map(\.digit)
        #expect(Array(digits.prefix(expectation.digits.count)) == expectation.digits)
    }

    /// The SIP call: caller (INVITE sender) left, and both legs time-aligned over the same RTP interval.
    @Test("SIP caller goes left")
    func sipCallerLeft() throws {
        let (_, call) = try Self.call("wireshark-samples/MagicJack_short_call.pcap")
        #expect(call.channelReason == "caller per SIP INVITE")
        #expect(call.sipCallID != nil)
        #expect(call.legs[0].source.address.description == "192.168.0.10")
    }

    /// Real loss: 14 packets in two bursts are listed in the gap map and the length is kept. The long burst is
    /// 12 packets (packets 260 ms apart, so 240 ms of audio missing): silence after a concealed fade; the short
    /// one (2 packets) is concealed.
    @Test("CARRIER_G711U losses are listed")
    func carrierLosses() throws {
        let result = try Self.rendered("asterisk-testsuite/CARRIER_G711U.pcap")
        let (contents, leg) = (result.contents, result.call.legs[0])
        #expect(leg.gaps.reduce(0) { $0 + $1.lostPackets } == 14)
        #expect(leg.gaps.map(\.lostPackets) == [12, 2])
        #expect(leg.gaps.map(\.kind) == [.lost, .concealed])
        #expect(abs(leg.gaps[0].durationMilliseconds - 240) < 1)
        let stream = contents.timeline.summary.streams[leg.streamIndices[0]]
        #expect(stream.lost == 14)
    }

    /// SIP_DTMF2's two lost packets are concealed (30 ms each, under the 60 ms limit).
    @Test("SIP_DTMF2 losses are concealed")
    func sipDTMF2Concealed() throws {
        let call = try Self.rendered("wireshark-samples/SIP_DTMF2.pcap").call
        let concealed = call.legs.flatMap(\.gaps).filter { $0.kind == .concealed }
        #expect(concealed.reduce(0) { $0 + $1.lostPackets } == 2)
    }

    /// The ndpi capture merges traces with huge time jumps: PCMA pairs are found, and no call spans a jump.
    @Test("ndpi: PCMA pairs found, no call stretched across time jumps")
    func ndpiPairs() throws {
        let contents = try Self.read("ndpi/vlan_qinq_gtp_rtp_false_positives.pcapng")
        let calls = contents.timeline.summary.calls
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { $0.legs.count == 2 && $0.durationSeconds < 1 })
        #expect(calls.allSatisfy { $0.legs.allSatisfy { $0.segments.allSatisfy { $0.codec == .pcma } } })
    }

    /// Each sipp capture holds one RFC 2833 event whose end packet is sent three times: the digit, once.
    @Test(
        "sipp DTMF captures list their digit once",
        arguments: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "star", "pound"]
    )
    func sippDigit(_ name: String) throws {
        let contents = try Self.read("sipp/dtmf_2833_\(name).pcap")
        let events = contents.timeline.summary.streams.flatMap(\.dtmf)
        let digit = name == "star" ? "*" : (name == "pound" ? "#" : name)
        #expect(events.map(\.digit) == [digit])
        #expect(events.first?.ended == true)
    }

    struct Failure: Sendable, CustomStringConvertible {
        var file: String
        var code: TranscodeError.Code
        var mentions: String
        var description: String { file }
    }

    static let failures: [Failure] = [
        Failure(file: "asterisk-testsuite/dtmf_2833_1_noend.pcap", code: .noAudio, mentions: "telephone events only"),
        Failure(file: "asterisk-testsuite/ast-2016-003-fax-crash.pcap", code: .noRTP, mentions: "no RTP found"),
        Failure(file: "asterisk-testsuite/ssrc1.pcap", code: .noAudio, mentions: "unknown payload type 116"),
        Failure(file: "asterisk-testsuite/ssrc2.pcap", code: .noAudio, mentions: "unknown payload type 116"),
    ]

    /// Captures with nothing to record give a clear, typed reason naming the input (never a crash).
    @Test("captures without decodable audio fail clearly", arguments: failures)
    func failure(_ expected: Failure) throws {
        let contents = try Self.read(expected.file)
        let error = #expect(throws: TranscodeError.self) { try contents.selectCall(nil) }
        #expect(error?.code == expected.code)
        #expect(error?.description.hasPrefix(expected.file + ": ") == true)
        #expect(error?.reason.contains(expected.mentions) == true, "\(error?.reason ?? "")")
    }

    /// A dynamic payload type given by the user wins: PT 116 named as PCMU makes ssrc2.pcap decodable.
    @Test("--pt makes an unknown dynamic type decodable")
    func userPayloadType() throws {
        var settings = TranscodeSettings()
        settings.timeline.payloadTypes[116] = .pcmu
        let contents = try Self.read("asterisk-testsuite/ssrc2.pcap", settings: settings)
        #expect(contents.timeline.summary.calls.count == 1)
    }
}
