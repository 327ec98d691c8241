import S3
import Transcoder

/// The outputs of one run, each written complete to a temporary file (staged) before any is put in place, then
/// committed together: all flushed to disk first, then, in the order they were staged, a local one renamed into
/// place and an S3 one uploaded from its file (multipart when large; S3 never shows a partial object). Dropped
/// before its commit, or when the commit fails, it removes every staged file that is left, so nothing is at a
/// local output path unless the run succeeded.
final class StagedOutputs {
    struct Output {
        var location: Location
        var file: LocalFiles.OutputFile
        var contentType: String
        /// The SHA-256 of the file, when known (the recording's), so the upload need not read it twice.
        var sha256: [UInt8]?
    }

    private(set) var outputs: [Output] = []
    private let temporaryDirectory: String
    private let onTemporaryFile: ((String) -> Void)?

    init(temporaryDirectory: String, onTemporaryFile: ((String) -> Void)?) {
        self.temporaryDirectory = temporaryDirectory
        self.onTemporaryFile = onTemporaryFile
    }

    /// A new staged file for `location`: beside a local path (renamed there on commit), or in the temporary
    /// directory for an S3 object (uploaded from there, then removed).
    func stage(_ location: Location, contentType: String) throws(TranscodeError) -> LocalFiles.OutputFile {
        let path: String
        switch location {
        case .file(let target): path = target
        case .s3: path = "\(temporaryDirectory)/rtp2mp3-output-\(outputs.count)"
        }
        // Told before the file exists, so that an interrupt at any moment finds it registered.
        onTemporaryFile?(LocalFiles.OutputFile.temporaryPath(for: path))
        let file = try LocalFiles.OutputFile(path: path)
        outputs.append(Output(location: location, file: file, contentType: contentType))
        return file
    }

    /// Stages `bytes` whole (a report).
    func stage(_ bytes: [UInt8], at location: Location, contentType: String) throws(TranscodeError) {
        try stage(location, contentType: contentType).append(bytes)
    }

    /// Records the SHA-256 of the output staged at `location`.
    func setSHA256(_ digest: [UInt8], of location: Location) {
        guard let index = outputs.firstIndex(where: { $0.location == location }) else { return }
        outputs[index].sha256 = digest
    }

    /// Flushes every staged file to disk, so that all are complete before any is put in place.
    func sync() throws(TranscodeError) {
        for output in outputs where !output.location.isS3 { try output.file.sync() }
    }

    /// Puts output `index` in place: renamed, or uploaded with `s3` (before `deadline`) and removed.
    func commit(_ index: Int, s3: S3Client?, deadline: ContinuousClock.Instant?) throws(TranscodeError) {
        let output = outputs[index]
        guard case .s3(let object) = output.location else { return try output.file.commit() }
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
