/// A capture that can be read only once as it arrives (an S3 GET body), made readable twice: the first `read`
/// runs the download, writing each piece to a temporary file (the spool) as it hands it on, so pass 1 reads the
/// bytes as they come; later reads come from the spool (pass 2). Neither the capture nor the download is held in
/// memory.
///
/// ```swift
/// let source = try SpooledSource(name: "s3://calls/c.pcap", directory: "/tmp") { deliver in
///     try s3.getObject(bucket: "calls", key: "c.pcap") { piece in try deliver(piece) }
/// }
/// var ingest = CaptureIngest(name: source.name)
/// try source.read { chunk in try ingest.append(chunk) }     // pass 1, while downloading
/// ```
public final class SpooledSource<Metadata>: CaptureSource {
    /// Streams the capture's bytes to `deliver` as they arrive and returns what the transfer tells about the
    /// object (its ETag, say). Errors that `deliver` throws must be passed through unchanged.
    public typealias Download = (_ deliver: (UnsafeRawBufferPointer) throws -> Void) throws -> Metadata

    public let name: String
    private let spool: LocalFiles.TemporaryFile
    private var download: Download?
    /// What the download returned, once it has run to its end.
    public private(set) var metadata: Metadata?
    /// Bytes downloaded (and spooled) so far.
    public private(set) var downloadedBytes = 0

    /// Creates the spool in `directory`; nothing is downloaded until the first `read`. `register` is told the
    /// spool's path before the file exists (for a caller that removes temporary files on an interrupt).
    public init(
        name: String,
        directory: String,
        register: ((String) -> Void)? = nil,
        download: @escaping Download
    ) throws(TranscodeError) {
        self.name = name
        spool = try LocalFiles.TemporaryFile(prefix: "rtp2mp3-capture", directory: directory, register: register)
        self.download = download
    }

    /// The spool's path.
    public var spoolPath: String { spool.path }

    /// The first call downloads, spooling and handing on every piece; the ones after read the spool. An error of
    /// `chunk` or of the spool stops the download and is rethrown as it is; an error of the download itself is
    /// rethrown as an input-side `.io` error that keeps it as its `underlying` error (an `S3Error`, say).
    public func read(_ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Void) throws(TranscodeError) {
        guard let download else {
            guard metadata != nil else {
                throw TranscodeError(.io, input: name, reason: "the download did not complete", side: .input)
            }
            return try LocalFiles.read(spool.path, chunk: chunk)
        }
        self.download = nil
        do {
            metadata = try download { piece in
                try spool.write(piece)
                downloadedBytes += piece.count
                try chunk(piece)
            }
        } catch let error as TranscodeError {
            // Thrown by this side (the spool, pass 1), passed through by the download.
            throw error
        } catch {
            throw TranscodeError(.io, input: name, reason: "\(error)", side: .input, underlying: error)
        }
    }

    /// Once downloaded, reads the spool from `offset` only as far as `chunk` wants it; before, the download runs
    /// whole (``CaptureSource/readAsNeeded(from:_:)``'s way).
    public func readAsNeeded(
        from offset: Int,
        _ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Bool
    ) throws(TranscodeError) {
        guard download == nil, metadata != nil else {
            var reading = true
            var position = 0
            return try read { (bytes) throws(TranscodeError) in
                defer { position += bytes.count }
                guard reading, position + bytes.count > offset else { return }
                reading = try chunk(UnsafeRawBufferPointer(rebasing: bytes[max(0, offset - position)...]))
            }
        }
        try LocalFiles.readAsNeeded(spool.path, from: offset, chunk)
    }

    /// Deletes the spool (also done when the source is dropped).
    public func remove() { spool.remove() }
}
