public import CallTimeline

/// The whole pipeline in one call (SPEC §1): capture bytes → call timeline → recording and report. The CLI and
/// the Lambda function both use it; they differ only in where the bytes come from and go to.
public enum Transcoder {
    /// The outcome of one transcode.
    public struct Result: Sendable {
        public var contents: CaptureContents
        public var call: Call
        public var recording: EncodedRecording
        public var report: TranscodeReport
    }

    /// Reads a capture with `feed` (which calls `ingest.append` for every chunk), builds the call, and encodes
    /// it. `progress` and `shouldContinue` are passed to the encoder.
    public static func transcode(
        name: String,
        settings: TranscodeSettings,
        outputName: String,
        eTag: String? = nil,
        title: String? = nil,
        feed: (inout CaptureIngest) throws(TranscodeError) -> Void,
        progress: ((Int, Int) -> Void)? = nil,
        shouldContinue: (() -> Bool)? = nil
    ) throws(TranscodeError) -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        var ingest = CaptureIngest(name: name)
        try feed(&ingest)
        let contents = try ingest.finish(options: settings.timeline)
        let call = try contents.selectCall(settings.callNumber)
        let read = clock.now
        let recording = try RecordingEncoder.encode(
            contents,
            call: call,
            settings: settings,
            title: title ?? call.sipCallID ?? name,
            progress: progress,
            shouldContinue: shouldContinue
        )
        let encoded = clock.now
        let report = TranscodeReport(
            contents: contents,
            call: call,
            recording: recording,
            outputName: outputName,
            settings: settings,
            eTag: eTag,
            timings: TranscodeReport.Timings(
                readMilliseconds: milliseconds(read - started),
                encodeMilliseconds: milliseconds(encoded - read)
            )
        )
        return Result(contents: contents, call: call, recording: recording, report: report)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return TranscodeReport.round(Double(seconds) * 1000 + Double(attoseconds) / 1e15, 1)
    }
}
