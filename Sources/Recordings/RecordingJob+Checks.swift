import Transcoder

extension RecordingJob {
    /// What is checked before any work (SPEC §5: nothing is written unless the run succeeds, and a run that cannot
    /// succeed fails before it reads): a local input exists, the settings, an S3 client for every S3 location,
    /// then that input and outputs are distinct files, then that every local output can be created (not a
    /// folder, its folder there and writable).
    func checkBeforeWork() throws(TranscodeError) {
        if case .file(let path) = input, LocalFiles.size(path) == nil {
            throw TranscodeError(.io, input: path, reason: "no such file", side: .input)
        }
        if let problem = settings.problem {
            throw TranscodeError(.invalidSettings, input: "\(input)", reason: problem)
        }
        if s3 == nil, let remote = ([input] + outputs.roles.map(\.location)).first(where: \.isS3) {
            throw Self.noS3Client(for: remote)
        }
        try checkOutputs([outputs])
    }

    /// Checks that the outputs of `plans` are distinct files (``checkDistinct(_:)``) and that each local one can
    /// be created: before any work, and again for the outputs of every call of an all-calls run once the calls
    /// are known, before any is encoded.
    func checkOutputs(_ plans: [OutputPlan]) throws(TranscodeError) {
        try checkDistinct(plans)
        for plan in plans {
            for (location, _) in plan.roles {
                if case .file(let path) = location { try LocalFiles.checkCreatable(path, register: onTemporaryFile) }
            }
        }
    }

    /// Throws `invalidSettings` when two of the input and the outputs of `plans` are the same file: an output
    /// written over the capture, or a report written over the recording, would destroy it. Local paths are
    /// compared by what they name (device and inode, through links), S3 objects by bucket and key.
    func checkDistinct(_ plans: [OutputPlan]) throws(TranscodeError) {
        var seen: [String: (location: Location, role: String)] = [Self.identity(input): (input, "input")]
        for (number, plan) in plans.enumerated() {
            for (location, role) in plan.roles {
                let named = plans.count > 1 ? "\(role) of call \(number + 1)" : role
                let identity = Self.identity(location)
                if let earlier = seen[identity] {
                    let same = "\(earlier.location)" == "\(location)" ? "" : " (\(earlier.location))"
                    throw TranscodeError(
                        .invalidSettings,
                        input: "\(location)",
                        reason: "the \(named) would be written over the \(earlier.role)\(same): the input, the "
                            + "recording and the report must be different files"
                    )
                }
                seen[identity] = (location, named)
            }
        }
    }

    /// What a location names, for comparing: an S3 object's URL, a local file's device and inode (or its folder's
    /// and its name, when it does not exist yet).
    private static func identity(_ location: Location) -> String {
        switch location {
        case .s3(let object): "\(object)"
        case .file(let path): "file:" + LocalFiles.identity(of: path)
        }
    }

    /// The report of a failed run (``FailureReport``), where the report was asked for, when the failure was the
    /// capture's or the settings' (an I/O failure could not write it either; a deadline leaves no time). Its own
    /// failure is not reported: the run's error is what the caller needs.
    func writeFailureReport(_ error: TranscodeError, contents: CaptureContents?, eTag: String?) {
        guard let location = outputs.report else { return }
        switch error.code {
        case .invalidCapture, .noRTP, .noAudio, .encryptedMedia, .noSuchCall, .invalidSettings, .encoderFailed: break
        case .io, .deadlineExceeded: return
        }
        let report = FailureReport(error: error, input: "\(input)", contents: contents, settings: settings, eTag: eTag)
        let staged = StagedOutputs(temporaryDirectory: temporaryDirectory, onTemporaryFile: onTemporaryFile)
        do {
            try staged.stage(report.json(), at: location, contentType: "application/json", isReport: true)
            try staged.commitAll(s3: s3, deadline: deadline)
        } catch {
            return
        }
    }
}
