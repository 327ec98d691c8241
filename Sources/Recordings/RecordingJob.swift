public import CallTimeline
public import S3
public import Transcoder

/// One capture's way from where it is to its outputs: the sequence the CLI and the Lambda function share (as
/// swift-aws-lambda-runtime keeps one run loop for every handler), so an addition to it reaches both.
///
/// 1. **spool**: a local capture is read where it is; an S3 object is downloaded to a spool in
///    `temporaryDirectory` while pass 1 reads the bytes as they arrive (``SpooledSource``);
/// 2. **ingest** (pass 1, ``CaptureIngest``): the calls are built and the one to record is chosen;
/// 3. **stage**: the call is rendered and encoded (pass 2, ``RecordingEncoder``) into a staged file, the picture
///    (drawn in the same pass) and the report staged after it; every output is complete before any is put in
///    place;
/// 4. **commit**: the staged outputs are flushed, then put in place in order, the recording first: a local one
///    renamed, an S3 one uploaded from its file (multipart when large).
///
/// Nothing is left at a local output path unless the whole run succeeds, and no partial object in S3. Every
/// failure is a ``TranscodeError`` that says which side failed and keeps its cause (an `S3Error`, a
/// `CaptureError`…).
///
/// ```swift
/// var job = RecordingJob(
///     input: Location("s3://calls/c.pcap"),
///     outputs: OutputPlan(recording: Location("s3://calls/c.mp3"), report: Location("s3://calls/c.json")),
///     temporaryDirectory: "/tmp"
/// )
/// job.s3 = client
/// let result = try job.run()
/// ```
public struct RecordingJob {
    public var input: Location
    public var settings: TranscodeSettings
    public var outputs: OutputPlan
    /// Where the spool of an S3 capture and the staged files of S3 outputs go (the executables read `TMPDIR`).
    public var temporaryDirectory: String
    /// The S3 client, needed when the input or an output is in S3.
    public var s3: S3Client?
    /// The work stops with `deadlineExceeded` once this passes, between chunks, blocks and uploads, and S3
    /// requests stop at it.
    public var deadline: ContinuousClock.Instant?
    /// (frames done, frames in all) after every block of pass 2.
    public var progress: ((Int, Int) -> Void)?
    /// Told the path of every temporary file as soon as it exists (the CLI removes them when interrupted).
    public var onTemporaryFile: ((String) -> Void)?
    /// When set and the input is in S3, the SRTP key object `<capture key><suffix>` is read with the capture
    /// (the Lambda function's `SRTP_KEYS_SUFFIX`, SPEC §2.4); a missing one is no error.
    public var srtpKeyObjectSuffix: String?

    public init(
        input: Location,
        settings: TranscodeSettings = TranscodeSettings(),
        outputs: OutputPlan,
        temporaryDirectory: String
    ) {
        self.input = input
        self.settings = settings
        self.outputs = outputs
        self.temporaryDirectory = temporaryDirectory
    }

    /// What a run made.
    public struct Result: Sendable {
        public var contents: CaptureContents
        /// The recorded call, with each leg's gaps as rendering found them.
        public var call: Call
        /// Each leg's quality and talk time, as rendering measured them.
        public var analysis: CallAnalysis
        public var recording: EncodedRecording
        /// The report as written (with the download and upload times of an S3 run).
        public var report: TranscodeReport
    }

    /// Runs the four steps; see the type's description.
    public func run() throws(TranscodeError) -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        let keys = try srtpKeys()
        let source = try openSource()
        let (contents, downloadMilliseconds) = try ingest(source, keys: keys)
        let read = clock.now
        let chosen = try contents.selectCall(settings.callNumber)
        let staged = StagedOutputs(temporaryDirectory: temporaryDirectory, onTemporaryFile: onTemporaryFile)
        let encoded = try stageRecording(of: chosen, contents: contents, source: source, in: staged)
        if let location = outputs.picture, let picture = encoded.rendering.picture {
            try staged.stage(picture, at: location, contentType: "image/svg+xml")
        }
        var report = TranscodeReport(
            contents: contents,
            call: encoded.call,
            analysis: encoded.rendering.analysis,
            recording: encoded.recording,
            outputName: "\(outputs.recording)",
            settings: settings,
            eTag: source.eTag,
            timings: TranscodeReport.Timings(
                downloadMilliseconds: downloadMilliseconds,
                readMilliseconds: TranscodeReport.milliseconds(read - started),
                encodeMilliseconds: TranscodeReport.milliseconds(clock.now - read)
            )
        )
        if let location = outputs.report {
            try staged.stage(report.json(), at: location, contentType: "application/json")
        }
        try commit(staged, report: &report)
        return Result(
            contents: contents,
            call: encoded.call,
            analysis: encoded.rendering.analysis,
            recording: encoded.recording,
            report: report
        )
    }

    /// Step 3: the recording encoded into its staged file.
    private func stageRecording(
        of call: Call,
        contents: CaptureContents,
        source: some CaptureSource,
        in staged: StagedOutputs
    ) throws(TranscodeError) -> RecordingEncoder.Result {
        let file = try staged.stage(outputs.recording, contentType: settings.format.contentType)
        let encoded = try RecordingEncoder.encode(
            contents: contents,
            call: call,
            source: source,
            settings: settings,
            output: file,
            picture: outputs.picture != nil,
            progress: progress,
            shouldContinue: deadline.map { deadline in { ContinuousClock.now < deadline } }
        )
        staged.setSHA256(encoded.recording.sha256, of: outputs.recording)
        return encoded
    }

    /// Step 4: every staged output flushed, then put in place (recording, picture), the report last. When outputs before it were
    /// uploaded, the report is staged again with the time they took, just before it goes itself.
    private func commit(_ staged: StagedOutputs, report: inout TranscodeReport) throws(TranscodeError) {
        try staged.sync()
        try checkDeadline("before the upload", side: .output)
        let clock = ContinuousClock()
        let started = clock.now
        let reportIndex = outputs.report == nil ? nil : staged.outputs.count - 1
        for index in staged.outputs.indices where index != reportIndex {
            try staged.commit(index, s3: s3, deadline: deadline)
        }
        let uploaded = staged.outputs.contains { $0.location.isS3 && $0.location != outputs.report }
        if uploaded { report.timings.uploadMilliseconds = TranscodeReport.milliseconds(clock.now - started) }
        guard let reportIndex else { return }
        if uploaded { try staged.outputs[reportIndex].file.rewrite(report.json()) }
        try staged.commit(reportIndex, s3: s3, deadline: deadline)
    }

    /// Throws `deadlineExceeded` once the deadline has passed.
    func checkDeadline(_ stage: String, side: TranscodeError.Side) throws(TranscodeError) {
        guard let deadline, ContinuousClock.now >= deadline else { return }
        throw TranscodeError(
            .deadlineExceeded,
            input: "\(input)",
            reason: "stopped \(stage): deadline near",
            side: side
        )
    }

    static func noS3Client(for location: Location) -> TranscodeError {
        TranscodeError(.invalidSettings, input: "\(location)", reason: "no S3 client configured for an S3 location")
    }
}
