import CallTimeline
import Capture

/// `rtp2mp3 inspect`: everything found in a capture (streams, calls, legs, codecs, loss, jitter, warnings) as
/// JSON, without decoding or encoding audio.
public struct CaptureInspection: Encodable, Sendable {
    struct CallEntry: Encodable, Sendable {
        var number: Int
        var recordedByDefault: Bool
        var sipCallId: String?
        var start: String
        var durationSeconds: Double
        var sampleRate: Int
        var channelReason: String
        var legs: [TranscodeReport.LegInfo]
    }

    struct Dialog: Encodable, Sendable {
        var callId: String
        var caller: String
        var callerMedia: [String]
        var calleeMedia: [String]
    }

    var input: TranscodeReport.Input
    var calls: [CallEntry]
    var streams: [TranscodeReport.Stream]
    var sipMessages: Int
    var sipDialogs: [Dialog]
    var nonAudioPackets: [String: Int]
    var warnings: [String]

    public init(_ contents: CaptureContents, eTag: String? = nil) {
        let summary = contents.timeline.summary
        input = TranscodeReport.Input(contents, eTag: eTag)
        let longest = summary.longestCall?.number
        calls = summary.calls.map { call in
            CallEntry(
                number: call.number,
                recordedByDefault: call.number == longest,
                sipCallId: call.sipCallID,
                start: Timestamp.rfc3339(nanoseconds: call.start),
                durationSeconds: TranscodeReport.round(call.durationSeconds, 3),
                sampleRate: call.naturalSampleRate,
                channelReason: call.channelReason,
                legs: call.legs.map { TranscodeReport.legInfo($0, call: call, streams: summary.streams, mono: false) }
            )
        }
        let labels = TranscodeReport.legLabels(summary)
        streams = summary.streams.enumerated().map { TranscodeReport.stream($1, leg: labels[$0]) }
        sipMessages = summary.sipMessages
        sipDialogs = summary.sipDialogs.map {
            Dialog(
                callId: $0.callID,
                caller: "\($0.caller)",
                callerMedia: $0.callerMedia.map(\.description),
                calleeMedia: $0.calleeMedia.map(\.description)
            )
        }
        nonAudioPackets = summary.nonAudio
        warnings = summary.warnings
    }

    public func json() -> [UInt8] { JSONText.encode(self) }
}
