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

    /// Transcodes the capture `source` holds: pass 1 builds the calls (by reading `source`, or through
    /// `firstPass` when the caller already feeds the bytes as they arrive, e.g. while downloading), pass 2 reads
    /// `source` again and encodes the chosen call. With `outputFile`, the recording is written there (left for the
    /// caller to commit); when this throws, the file is discarded at once, not when the last reference to it goes
    /// (the encoder thread may still hold one, and a CLI exits right after an error).
    public static func transcode(
        source: some CaptureSource,
        settings: TranscodeSettings,
        outputName: String,
        eTag: String? = nil,
        title: String? = nil,
        firstPass: ((inout CaptureIngest) throws(TranscodeError) -> Void)? = nil,
        progress: ((Int, Int) -> Void)? = nil,
        shouldContinue: (() -> Bool)? = nil,
        outputFile: LocalFiles.OutputFile? = nil
    ) throws(TranscodeError) -> Result {
        // Discarded at once when anything below throws, not when the last reference goes.
        var finished = false
        defer { if !finished { outputFile?.discard() } }
        let clock = ContinuousClock()
        let started = clock.now
        var ingest = CaptureIngest(name: source.name, options: settings.timeline)
        if let firstPass {
            try firstPass(&ingest)
        } else {
            try source.read { (chunk) throws(TranscodeError) in
                if let shouldContinue, !shouldContinue() {
                    throw TranscodeError(.deadlineExceeded, input: source.name, reason: "deadline near while reading")
                }
                try ingest.append(chunk)
            }
        }
        let contents = try ingest.finish()
        let chosen = try contents.selectCall(settings.callNumber)
        let read = clock.now
        let (recording, call) = try RecordingEncoder.encode(
            contents,
            call: chosen,
            settings: settings,
            title: title ?? chosen.sipCallID ?? source.name,
            source: source,
            outputFile: outputFile,
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
        finished = true
        return Result(contents: contents, call: call, recording: recording, report: report)
    }

    /// A duration in milliseconds, to 0.1 ms, as the report's timings give it.
    public static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return TranscodeReport.round(Double(seconds) * 1000 + Double(attoseconds) / 1e15, 1)
    }
}
