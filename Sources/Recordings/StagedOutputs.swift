import S3
import Transcoder

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outputs of one run, each written complete to a temporary file (staged) before any is put in place, then
/// committed together: all flushed to disk first, then, in the order they were staged but every report after the
/// rest (so a report never names an output that is not there), a local one renamed into place and an S3 one
/// uploaded from its file (multipart when large; S3 never shows a partial object). Dropped before its commit, or
/// when the commit fails, it removes every staged file that is left, and the local outputs it had already put in
/// place, so nothing is at a local output path unless the run succeeded.
final class StagedOutputs {
    struct Output {
        var location: Location
        var file: LocalFiles.OutputFile
        var contentType: String
        /// The SHA-256 of the file, when known (the recording's), so the upload need not read it twice.
        var sha256: [UInt8]?
        /// Reports go last.
        var isReport: Bool
    }

    private(set) var outputs: [Output] = []
    private let temporaryDirectory: String
    private let onTemporaryFile: ((String) -> Void)?
    /// Local outputs put in place by a commit that has not finished yet.
    private var placed: [String] = []

    init(temporaryDirectory: String, onTemporaryFile: ((String) -> Void)?) {
        self.temporaryDirectory = temporaryDirectory
        self.onTemporaryFile = onTemporaryFile
    }

    /// A new staged file for `location`: beside a local path (renamed there on commit), or in the temporary
    /// directory for an S3 object (uploaded from there, then removed).
    func stage(
        _ location: Location,
        contentType: String,
        isReport: Bool = false
    ) throws(TranscodeError)
        -> LocalFiles.OutputFile
    {
        let path: String
        switch location {
        case .file(let target): path = target
        case .s3: path = "\(temporaryDirectory)/rtp2mp3-output-\(outputs.count)"
        }
        // Told before the file exists, so that an interrupt at any moment finds it registered.
        onTemporaryFile?(LocalFiles.OutputFile.temporaryPath(for: path))
        let file = try LocalFiles.OutputFile(path: path)
        outputs.append(Output(location: location, file: file, contentType: contentType, isReport: isReport))
        return file
    }

    /// Stages `bytes` whole (a report, a picture), parked at once (``LocalFiles/OutputFile/park()``).
    func stage(_ bytes: [UInt8], at location: Location, contentType: String, isReport: Bool) throws(TranscodeError) {
        let file = try stage(location, contentType: contentType, isReport: isReport)
        try file.append(bytes)
        try file.park()
    }

    /// Records the SHA-256 of the output staged at `location`.
    func setSHA256(_ digest: [UInt8], of location: Location) {
        guard let index = outputs.firstIndex(where: { $0.location == location }) else { return }
        outputs[index].sha256 = digest
    }

    /// Puts every output in place: all flushed first, then the others in staging order, then `beforeReports`
    /// (told whether any was uploaded, to restage the reports with the time it took), then the reports. A failure
    /// removes what this commit had put in place locally (an object already uploaded stays: S3 has no rename).
    func commitAll(
        s3: S3Client?,
        deadline: ContinuousClock.Instant?,
        beforeReports: (_ uploaded: Bool) throws(TranscodeError) -> Void = { _ in }
    ) throws(TranscodeError) {
        for output in outputs where !output.location.isS3 { try output.file.sync() }
        do {
            for index in outputs.indices where !outputs[index].isReport {
                try commit(index, s3: s3, deadline: deadline)
            }
            try beforeReports(outputs.contains { $0.location.isS3 && !$0.isReport })
            for index in outputs.indices where outputs[index].isReport {
                try commit(index, s3: s3, deadline: deadline)
            }
            placed = []
        } catch {
            for path in placed { unlink(path) }
            placed = []
            throw error
        }
    }

    /// Puts output `index` in place: renamed, or uploaded with `s3` (before `deadline`) and removed.
    private func commit(_ index: Int, s3: S3Client?, deadline: ContinuousClock.Instant?) throws(TranscodeError) {
        let output = outputs[index]
        guard case .s3(let object) = output.location else {
            try output.file.commit()
            placed.append(output.file.path)
            return
        }
        defer { output.file.discard() }
        guard let s3 else { throw RecordingJob.noS3Client(for: output.location) }
        do {
            _ = try s3.putObject(
                bucket: object.bucket,
                key: object.key,
                size: output.file.size,
                sha256: output.sha256,
                contentType: output.contentType,
                deadline: deadline
            ) { offset, count in try output.file.read(at: offset, count: count) }
        } catch let error as TranscodeError {
            throw error
        } catch {
            throw TranscodeError(.io, input: "\(object)", reason: "\(error)", side: .output, underlying: error)
        }
    }

    /// Removes every staged file not yet committed.
    func discard() {
        for output in outputs { output.file.discard() }
    }

    deinit { discard() }
}
