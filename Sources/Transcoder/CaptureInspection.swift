import CallTimeline
import Capture

/// `rtp2mp3 inspect`: everything found in a capture (streams, calls, legs, codecs, loss, jitter, gaps, quality,
/// talk time, warnings) as JSON. Each call is rendered as a transcode renders it (pass 2, without encoding), so
/// that its legs say what the report of its transcode would say.
public struct CaptureInspection: Encodable, Sendable {
    struct CallEntry: Encodable, Sendable {
        var number: Int
        var recordedByDefault: Bool
        var sipCallId: String?
        var start: String
        var durationSeconds: Double
        var sampleRate: Int
        var channelReason: String
        /// Seconds both parties talked at once; nil when the call was not rendered.
        var doubleTalkSeconds: Double?
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

    /// The inspection of `contents`; `renderings` holds what pass 2 found of each call rendered, by call number
    /// (a call without one shows pass 1's view: no gaps, no quality).
    public init(
        _ contents: CaptureContents,
        eTag: String? = nil,
        renderings: [Int: RecordingEncoder.Rendering] = [:]
    ) {
        let summary = contents.timeline.summary
        input = TranscodeReport.Input(contents, eTag: eTag)
        let longest = summary.longestCall?.number
        calls = summary.calls.map { found in
            let rendering = renderings[found.number]
            let call = rendering?.call ?? found
            return CallEntry(
                number: call.number,
                recordedByDefault: call.number == longest,
                sipCallId: call.sipCallID,
                start: Timestamp.rfc3339(nanoseconds: call.start),
                durationSeconds: TranscodeReport.round(call.durationSeconds, 3),
                sampleRate: call.naturalSampleRate,
                channelReason: call.channelReason,
                doubleTalkSeconds: rendering.map { TranscodeReport.round($0.analysis.doubleTalkSeconds, 2) },
                legs: call.legs.map {
                    TranscodeReport.legInfo(
                        $0,
                        call: call,
                        streams: summary.streams,
                        mono: false,
                        analysis: rendering?.analysis.leg($0.side)
                    )
                }
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
