public import CallTimeline
public import S3
public import Transcoder

/// One capture's way from where it is to its outputs: the sequence the CLI and the Lambda function share (as
/// swift-aws-lambda-runtime keeps one run loop for every handler), so an addition to it reaches both.
///
/// 1. **spool**: a local capture is read where it is; an S3 object is downloaded to a spool in
///    `temporaryDirectory` while pass 1 reads the bytes as they arrive (``SpooledSource``);
/// 2. **ingest** (pass 1, ``CaptureIngest``): the calls are built and the one to record is chosen (or every one,
///    `settings.allCalls`, each with the outputs ``OutputPlan/forCall(_:)`` names);
/// 3. **stage**: each call is rendered and encoded (pass 2, ``RecordingEncoder``) into its staged file, the
///    picture (drawn in the same pass) and the report staged after it; every output is complete before any is
///    put in place;
/// 4. **commit**: the staged outputs are flushed, then put in place together, the recordings (and pictures)
///    first and the reports last: a local one renamed, an S3 one uploaded from its file (multipart when large).
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

    /// One call's recording and report, as a run made them.
    public struct Recorded: Sendable {
        /// The recorded call, with each leg's gaps as rendering found them.
        public var call: Call
        /// Each leg's quality and talk time, as rendering measured them.
        public var analysis: CallAnalysis
        public var recording: EncodedRecording
        /// The report as written (with the download and upload times of an S3 run).
        public var report: TranscodeReport
        /// Where they went.
        public var outputs: OutputPlan
    }

    /// What a run made.
    public struct Result: Sendable {
        public var contents: CaptureContents
        /// One per call recorded, in report order: the one call asked for, or every call (`allCalls`).
        public var recordings: [Recorded]

        /// The first recording's (with one call recorded, the only one's).
        public var call: Call { recordings[0].call }
        public var recording: EncodedRecording { recordings[0].recording }
        public var report: TranscodeReport { recordings[0].report }
        public var analysis: CallAnalysis { recordings[0].analysis }
    }

    /// Runs the four steps; see the type's description. Before any, the settings are checked, and the outputs:
    /// each a file of its own (never the input, never each other, compared by device and inode) and each
    /// creatable (`invalidSettings` or `io`, nothing read or written). A run that fails on the capture or the
    /// settings still writes its report, holding what was found and the error (``FailureReport``); never a
    /// recording.
    public func run() throws(TranscodeError) -> Result {
        try checkBeforeWork()
        var found: (contents: CaptureContents?, eTag: String?) = (nil, nil)
        do {
            return try runSteps(found: &found)
        } catch {
            writeFailureReport(error, contents: found.contents, eTag: found.eTag)
            throw error
        }
    }

    private func runSteps(found: inout (contents: CaptureContents?, eTag: String?)) throws(TranscodeError) -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        let keys = try srtpKeys()
        let source = try openSource()
        let (contents, downloadMilliseconds) = try ingest(source, keys: keys)
        found = (contents, source.eTag)
        let read = clock.now
        let calls = try contents.selectCalls(settings)
        let plans = settings.allCalls ? calls.map { outputs.forCall($0.number) } : [outputs]
        if settings.allCalls { try checkOutputs(plans) }
        // Every output staged before any call is encoded, so that all of them can be made before the work; each
        // parked (its descriptor closed) while other calls are worked on.
        let staged = StagedOutputs(temporaryDirectory: temporaryDirectory, onTemporaryFile: onTemporaryFile)
        var files: [(recording: LocalFiles.OutputFile, report: LocalFiles.OutputFile?)] = []
        for plan in plans {
            let recording = try staged.stage(plan.recording, contentType: settings.format.contentType)
            let report = try plan.report.map { (location) throws(TranscodeError) in
                try staged.stage(location, contentType: "application/json", isReport: true)
            }
            try recording.park()
            try report?.park()
            files.append((recording, report))
        }
        var recorded: [Recorded] = []
        for (index, call) in calls.enumerated() {
            let encodeStarted = clock.now
            let plan = plans[index]
            let encoded = try stageRecording(
                of: call,
                contents: contents,
                source: source,
                plan: plan,
                into: files[index].recording
            )
            staged.setSHA256(encoded.recording.sha256, of: plan.recording)
            if let location = plan.picture, let picture = encoded.rendering.picture {
                try staged.stage(picture, at: location, contentType: "image/svg+xml", isReport: false)
            }
            let report = TranscodeReport(
                contents: contents,
                call: encoded.call,
                analysis: encoded.rendering.analysis,
                recording: encoded.recording,
                outputName: "\(plan.recording)",
                settings: settings,
                eTag: source.eTag,
                timings: TranscodeReport.Timings(
                    downloadMilliseconds: downloadMilliseconds,
                    readMilliseconds: TranscodeReport.milliseconds(read - started),
                    encodeMilliseconds: TranscodeReport.milliseconds(clock.now - encodeStarted)
                )
            )
            try files[index].report?.rewrite(report.json())
            try files[index].recording.park()
            try files[index].report?.park()
            recorded.append(
                Recorded(
                    call: encoded.call,
                    analysis: encoded.rendering.analysis,
                    recording: encoded.recording,
                    report: report,
                    outputs: plan
                )
            )
        }
        try commit(staged, recorded: &recorded, files: files.map(\.report))
        return Result(contents: contents, recordings: recorded)
    }

    /// Step 3: a call's recording encoded into its staged file.
    private func stageRecording(
        of call: Call,
        contents: CaptureContents,
        source: some CaptureSource,
        plan: OutputPlan,
        into file: LocalFiles.OutputFile
    ) throws(TranscodeError) -> RecordingEncoder.Result {
        try RecordingEncoder.encode(
            contents: contents,
            call: call,
            source: source,
            settings: settings,
            output: file,
            picture: plan.picture != nil,
            progress: progress,
            shouldContinue: deadline.map { deadline in { ContinuousClock.now < deadline } }
        )
    }

    /// Step 4: every staged output flushed, then put in place (recordings, pictures), the reports last. When
    /// outputs before them were uploaded, each report is staged again with the time that took, just before the
    /// reports go.
    private func commit(
        _ staged: StagedOutputs,
        recorded: inout [Recorded],
        files: [LocalFiles.OutputFile?]
    ) throws(TranscodeError) {
        try checkDeadline("before the upload", side: .output)
        let clock = ContinuousClock()
        let started = clock.now
        try staged.commitAll(s3: s3, deadline: deadline) { (uploaded) throws(TranscodeError) in
            guard uploaded else { return }
            let upload = TranscodeReport.milliseconds(clock.now - started)
            for index in recorded.indices {
                recorded[index].report.timings.uploadMilliseconds = upload
                try files[index]?.rewrite(recorded[index].report.json())
                try files[index]?.park()
            }
        }
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
