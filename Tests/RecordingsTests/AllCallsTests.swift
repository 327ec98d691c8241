import Capture
import Foundation
import SigV4
import TestSupport
import Testing
import Transcoder

@testable import Recordings

/// `--all-calls` / `CALLS=all` (SPEC §4, issue 19): every call of a capture to its own recording and report,
/// named `<stem>-callN` in report order, each at its own rate, all committed together.
@Suite("RecordingJob all calls")
struct AllCallsTests {
    static let start: Int64 = 1_795_946_400 * 1_000_000_000

    /// A call with SIP, both directions, `seconds` long from `start`.
    static func call(
        caller: Endpoint,
        callee: Endpoint,
        codec: SynthCodec,
        seconds: Double,
        start: Int64,
        callID: String,
        ssrcs: (UInt32, UInt32)
    ) -> CallSynthesizer {
        var a = SynthLeg(codec: codec, source: caller, destination: callee)
        a.durationSeconds = seconds
        a.ssrc = ssrcs.0
        var b = SynthLeg(codec: codec, source: callee, destination: caller)
        b.durationSeconds = seconds
        b.startMilliseconds = 40
        b.ssrc = ssrcs.1
        b.pitchHz = 220
        b.seed = 2
        var synth = CallSynthesizer(legs: [a, b])
        synth.withSIP = true
        synth.sendsBye = true
        synth.callID = callID
        synth.startTime = start
        return synth
    }

    /// Two sequential calls from one gateway port (the caller reuses 10.0.0.1:40000), to two callees: a G.722
    /// call of 6 s, then a G.711 call of 4 s.
    static let twoCalls: [UInt8] = {
        let gateway = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: 40000)
        let first = call(
            caller: gateway,
            callee: Endpoint(address: IPAddress(ipv4: 10, 0, 0, 2), port: 50000),
            codec: .g722,
            seconds: 6,
            start: start,
            callID: "first@test",
            ssrcs: (0x1111, 0x2222)
        )
        let second = call(
            caller: gateway,
            callee: Endpoint(address: IPAddress(ipv4: 10, 0, 0, 3), port: 50002),
            codec: .pcmu,
            seconds: 4,
            start: start + 7_000_000_000,
            callID: "second@test",
            ssrcs: (0x3333, 0x4444)
        )
        return CallSynthesizer.capture([first, second])
    }()

    /// Three calls over three days through one gateway port (10.0.0.1:40000), each to another remote port; the
    /// second is G.722.
    static let threeDays: [UInt8] = {
        let gateway = Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: 40000)
        let day: Int64 = 86_400_000_000_000
        let codecs: [SynthCodec] = [.pcma, .g722, .pcmu]
        let calls = codecs.enumerated().map { index, codec in
            call(
                caller: gateway,
                callee: Endpoint(address: IPAddress(ipv4: 10, 0, 0, 9), port: UInt16(50000 + 2 * index)),
                codec: codec,
                seconds: Double(3 + index),
                start: start + Int64(index) * day,
                callID: "day\(index + 1)@test",
                ssrcs: (UInt32(0x100 + index), UInt32(0x200 + index))
            )
        }
        return CallSynthesizer.capture(calls)
    }()

    static func job(in folder: RecordingJobTests.Folder, capture: [UInt8]) throws -> RecordingJob {
        try Data(capture).write(to: URL(fileURLWithPath: folder.path("call.pcap")))
        var job = RecordingJobTests.job(in: folder)
        job.settings.allCalls = true
        return job
    }

    // Proves each call of a two-call capture with a reused port gets its own recording and report, numbered as
    // in the report, at its own rate (the G.722 call at 16 kHz, the G.711 one at 8 kHz), both legs each, and
    // its own duration; and that nothing else is left.
    @Test func twoCallsOnePort() throws {
        let folder = try RecordingJobTests.Folder()
        let result = try Self.job(in: folder, capture: Self.twoCalls).run()
        #expect(
            try folder.names() == [
                "call-call1.json", "call-call1.mp3", "call-call2.json", "call-call2.mp3", "call.pcap",
            ]
        )
        #expect(result.recordings.map(\.call.number) == [1, 2])
        #expect(result.recordings.map(\.recording.sampleRate) == [16000, 8000])
        #expect(result.recordings.map(\.call.legs.count) == [2, 2])
        #expect(result.recordings.map { ($0.recording.durationSeconds * 10).rounded() / 10 } == [6.0, 4.0])
        for (index, recorded) in result.recordings.enumerated() {
            let number = index + 1
            let mp3 = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.path("call-call\(number).mp3"))))
            #expect(SHA256.hash(mp3) == recorded.recording.sha256)
            let report = try RecordingJobSafetyTests.json(folder.path("call-call\(number).json"))
            let call = report?["call"] as? [String: Any]
            #expect(call?["number"] as? Int == number)
            #expect(call?["callsInCapture"] as? Int == 2)
            #expect((report?["output"] as? [String: Any])?["name"] as? String == folder.path("call-call\(number).mp3"))
            #expect((report?["settings"] as? [String: Any])?["allCalls"] as? Bool == true)
        }
    }

    // Proves three calls days apart through one reused gateway port give three recordings, each with both legs,
    // its own length and its own rate (the G.722 one at 16 kHz).
    @Test func threeDaysOnePort() throws {
        let folder = try RecordingJobTests.Folder()
        let result = try Self.job(in: folder, capture: Self.threeDays).run()
        #expect(
            try folder.names().filter { $0.hasSuffix(".mp3") } == [
                "call-call1.mp3", "call-call2.mp3", "call-call3.mp3",
            ]
        )
        #expect(result.recordings.map(\.recording.sampleRate) == [8000, 16000, 8000])
        #expect(result.recordings.map(\.call.legs.count) == [2, 2, 2])
        #expect(result.recordings.map { ($0.recording.durationSeconds * 10).rounded() / 10 } == [3.0, 4.0, 5.0])
    }

    // Proves the real two-call capture (ndpi: PCMA pairs in merged files) records both calls, each equal in
    // bytes to the recording `--call N` makes of it.
    @Test func realCaptureSameAsEachCall() throws {
        let capture = [UInt8](
            try Data(contentsOf: TestData.url("captures/ndpi/vlan_qinq_gtp_rtp_false_positives.pcapng"))
        )
        let folder = try RecordingJobTests.Folder()
        let all = try Self.job(in: folder, capture: capture).run()
        #expect(all.recordings.count == 2)
        for recorded in all.recordings {
            // The same input path: the MP3's title tag names it.
            var job = RecordingJobTests.job(in: folder, recording: "one.mp3", report: nil)
            job.settings.callNumber = recorded.call.number
            let one = try job.run()
            #expect(one.recording.sha256 == recorded.recording.sha256)
        }
    }

    // Proves a call whose outputs cannot all be made fails before any is: the second call's name is taken by a
    // folder, so no recording of the first is left either.
    @Test func allOrNothing() throws {
        let folder = try RecordingJobTests.Folder()
        let job = try Self.job(in: folder, capture: Self.twoCalls)
        try FileManager.default.createDirectory(
            atPath: folder.path("call-call2.mp3"),
            withIntermediateDirectories: false
        )
        let error = #expect(throws: TranscodeError.self) { try job.run() }
        #expect(error?.side == .output)
        #expect(try folder.names() == ["call-call2.mp3", "call.pcap"])
    }

    // Proves the names: `-callN` before the extension, of a local path and of an S3 key.
    @Test func names() {
        let plan = OutputPlan(recording: Location("/r/call.v2.mp3"), report: Location("s3://b/r/call.json"))
        #expect(plan.forCall(2).recording == Location("/r/call.v2-call2.mp3"))
        #expect(plan.forCall(2).report == Location("s3://b/r/call-call2.json"))
        #expect(
            OutputPlan(recording: Location("/r.d/call"), report: nil).forCall(1).recording
                == Location("/r.d/call-call1")
        )
    }
}
