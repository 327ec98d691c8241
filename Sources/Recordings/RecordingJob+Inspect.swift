public import Transcoder

extension RecordingJob {
    /// A job that inspects `input` (`rtp2mp3 inspect`) rather than recording it: see ``inspect()``. `picture`, when
    /// given, is where the picture of the call recorded by default (or `settings.callNumber`) goes.
    public init(
        inspecting input: Location,
        settings: TranscodeSettings = TranscodeSettings(),
        picture: Location? = nil,
        temporaryDirectory: String
    ) {
        // An inspection makes no recording and no report: of the plan only the picture is used.
        self.init(
            input: input,
            settings: settings,
            outputs: OutputPlan(recording: input, picture: picture),
            temporaryDirectory: temporaryDirectory
        )
    }

    /// What inspecting a capture found: the inspection (the JSON `inspect` prints) and what it was made of.
    public struct Inspection: Sendable {
        public var contents: CaptureContents
        public var inspection: CaptureInspection
    }

    /// `rtp2mp3 inspect`: the capture read as a recording run reads it (spooled when in S3; pass 1; then each call
    /// rendered by pass 2 with the job's settings, without encoding), so its calls' legs, gaps, concealment,
    /// quality and talk time are those the report of a transcode gives. Each call is rendered on its own read of
    /// the capture (as `--call N` would render it); a call longer than a day is shown as pass 1 saw it. With
    /// `outputs.picture`, the picture of the call a transcode would record is staged and put in place once
    /// everything has succeeded; nothing else is written.
    public func inspect() throws(TranscodeError) -> Inspection {
        let keys = try srtpKeys()
        let source = try openSource()
        let (contents, _) = try ingest(source, keys: keys)
        let chosen = outputs.picture == nil ? nil : try contents.selectCall(settings.callNumber)
        var renderings: [Int: RecordingEncoder.Rendering] = [:]
        for call in contents.timeline.summary.calls {
            // The length check of a recording: a call that could not be recorded is not rendered either.
            guard let call = try? contents.selectCall(call.number) else { continue }
            try checkDeadline("while rendering", side: .input)
            renderings[call.number] = try RecordingEncoder.render(
                contents: contents,
                call: call,
                source: source,
                settings: settings,
                picture: call.number == chosen?.number
            )
        }
        let inspection = Inspection(
            contents: contents,
            inspection: CaptureInspection(contents, eTag: source.eTag, renderings: renderings)
        )
        guard let location = outputs.picture, let chosen, let picture = renderings[chosen.number]?.picture else {
            return inspection
        }
        let staged = StagedOutputs(temporaryDirectory: temporaryDirectory, onTemporaryFile: onTemporaryFile)
        try staged.stage(picture, at: location, contentType: "image/svg+xml", isReport: false)
        try staged.commitAll(s3: s3, deadline: deadline)
        return inspection
    }
}
