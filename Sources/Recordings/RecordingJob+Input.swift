import CallTimeline
import S3
import SecureRTP
import Transcoder

extension RecordingJob {
    /// Step 1: the capture as the job reads it. A local file must exist (a missing input is the error reported,
    /// before any output is made); an S3 object gets a spool that its download fills while pass 1 reads.
    func openSource() throws(TranscodeError) -> InputSource {
        switch input {
        case .file(let path):
            guard LocalFiles.size(path) != nil else {
                throw TranscodeError(.io, input: path, reason: "no such file", side: .input)
            }
            return .file(FileSource(path: path))
        case .s3(let object):
            guard let s3 else { throw Self.noS3Client(for: input) }
            let deadline = self.deadline
            let spooled = try SpooledSource(
                name: "\(object)",
                directory: temporaryDirectory,
                register: onTemporaryFile
            ) { deliver in
                try s3.getObject(bucket: object.bucket, key: object.key, deadline: deadline) { piece in
                    try deliver(piece)
                }
            }
            return .spooled(spooled)
        }
    }

    /// Step 2: pass 1 over the capture (downloading it, for an S3 object), stopped between chunks once the
    /// deadline has passed. Returns the contents and, for a download, how long it took (pass 1 reading along).
    func ingest(
        _ source: InputSource,
        keys: SRTPKeyRing
    ) throws(TranscodeError) -> (CaptureContents, downloadMilliseconds: Double?) {
        var ingest = CaptureIngest(name: source.name, options: settings.timeline, keys: keys)
        let clock = ContinuousClock()
        let started = clock.now
        try source.read { (chunk) throws(TranscodeError) in
            try checkDeadline("while reading", side: .input)
            try ingest.append(chunk)
        }
        let deadlineCheck = { () throws(TranscodeError) in try checkDeadline("while reading", side: .input) }
        guard case .spooled = source else {
            return (try ingest.finish().relearned(from: source, beforeChunk: deadlineCheck), nil)
        }
        let download = TranscodeReport.milliseconds(clock.now - started)
        return (try ingest.finish().relearned(from: source, beforeChunk: deadlineCheck), download)
    }
}

/// The capture of a job: a local file, or an S3 object spooled as it downloads.
enum InputSource: CaptureSource {
    case file(FileSource)
    case spooled(SpooledSource<S3ObjectMetadata>)

    var name: String {
        switch self {
        case .file(let source): source.name
        case .spooled(let source): source.name
        }
    }

    /// The S3 object's ETag, once downloaded.
    var eTag: String? {
        guard case .spooled(let source) = self else { return nil }
        return source.metadata?.eTag
    }

    func read(_ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Void) throws(TranscodeError) {
        switch self {
        case .file(let source): try source.read(chunk)
        case .spooled(let source): try source.read(chunk)
        }
    }

    func readAsNeeded(
        from offset: Int,
        _ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Bool
    ) throws(TranscodeError) {
        switch self {
        case .file(let source): try source.readAsNeeded(from: offset, chunk)
        case .spooled(let source): try source.readAsNeeded(from: offset, chunk)
        }
    }
}
