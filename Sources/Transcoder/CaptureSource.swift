/// Where a capture's bytes come from. The pipeline reads a capture twice (SPEC §8: memory must not grow with
/// the call): pass 1 builds the calls from statistics, pass 2 renders the chosen one; so a source must be
/// readable from the start more than once. S3 objects are spooled to a temporary file as they download (and
/// pass 1 runs on the bytes as they arrive).
public protocol CaptureSource {
    /// The input's name for messages and the report (a path or `s3://bucket/key`).
    var name: String { get }
    /// Reads the whole capture from the start, chunk by chunk.
    func read(_ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Void) throws(TranscodeError)
    /// Reads the capture from byte `offset` on, chunk by chunk, until `chunk` returns false: what is left need not
    /// be read (pass 2 of one call of many starts near the call and stops once the call is complete).
    func readAsNeeded(
        from offset: Int,
        _ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Bool
    ) throws(TranscodeError)
}

extension CaptureSource {
    /// Reads everything, handing on the bytes from `offset` on until `chunk` returns false.
    public func readAsNeeded(
        from offset: Int,
        _ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Bool
    ) throws(TranscodeError) {
        var reading = true
        var position = 0
        try read { (bytes) throws(TranscodeError) in
            defer { position += bytes.count }
            guard reading, position + bytes.count > offset else { return }
            let skip = max(0, offset - position)
            reading = try chunk(UnsafeRawBufferPointer(rebasing: bytes[skip...]))
        }
    }
}

/// A capture in a local file.
public struct FileSource: CaptureSource {
    public var path: String
    public var name: String

    public init(path: String, name: String? = nil) {
        self.path = path
        self.name = name ?? path
    }

    public func read(_ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Void) throws(TranscodeError) {
        try LocalFiles.read(path, chunk: chunk)
    }

    public func readAsNeeded(
        from offset: Int,
        _ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Bool
    ) throws(TranscodeError) {
        try LocalFiles.readAsNeeded(path, from: offset, chunk)
    }
}

/// A capture in memory (tests, small inputs), handed out in chunks of `chunkSize` bytes.
public struct MemorySource: CaptureSource {
    public var bytes: [UInt8]
    public var name: String
    public var chunkSize: Int

    public init(bytes: [UInt8], name: String, chunkSize: Int = 1 << 20) {
        self.bytes = bytes
        self.name = name
        self.chunkSize = max(1, chunkSize)
    }

    public func read(_ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Void) throws(TranscodeError) {
        var failure: TranscodeError?
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(all.count, offset + chunkSize)
                do throws(TranscodeError) {
                    try chunk(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                } catch {
                    failure = error
                    return
                }
                offset = end
            }
        }
        if let failure { throw failure }
    }
}
