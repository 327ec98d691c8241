/// Writes one S3 object from bytes given progressively (an encoder's output), uploading a part each time
/// `partSize` bytes (8 MiB by default) are buffered. Small outputs never start a multipart upload: `finish`
/// then sends a single PutObject.
///
/// Any failure aborts the multipart upload before it is rethrown, and `abort()` is there for the caller's
/// own failures: nothing ever appears at the key unless `finish` returns. A deadline stops the upload (and
/// aborts it) instead of running past it; leave the abort a few seconds after the deadline.
///
/// Not thread-safe (it drives its client's single connection).
public final class S3MultipartWriter {
    public let bucket: String
    public let key: String
    /// The multipart upload id, once one was started.
    public private(set) var uploadID: String?
    /// Bytes accepted so far.
    public private(set) var bytesWritten: Int64 = 0
    private let client: S3Client
    private let contentType: String?
    private let metadata: [String: String]
    private let deadline: ContinuousClock.Instant?
    private var buffer: [UInt8] = []
    private var parts: [S3Client.UploadedPart] = []
    private var state = State.open

    private enum State { case open, finished, aborted }

    public init(
        client: S3Client,
        bucket: String,
        key: String,
        contentType: String? = nil,
        metadata: [String: String] = [:],
        deadline: ContinuousClock.Instant? = nil
    ) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.contentType = contentType
        self.metadata = metadata
        self.deadline = deadline
    }

    deinit {
        // A writer dropped while open (the caller threw) must not leave a multipart upload behind.
        if state == .open { abort() }
    }

    /// Accepts bytes; uploads every full part.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try ensureOpen()
        buffer.append(contentsOf: bytes)
        bytesWritten += Int64(bytes.count)
        try flushFullParts()
    }

    /// Accepts bytes; uploads every full part.
    public func write(_ bytes: some Collection<UInt8>) throws {
        try ensureOpen()
        buffer.append(contentsOf: bytes)
        bytesWritten += Int64(bytes.count)
        try flushFullParts()
    }

    /// Uploads `source` as the next part straight from its reader, nothing buffered (only while nothing is
    /// buffered: it follows whole parts). A failure aborts the upload.
    public func writePart(_ source: S3Client.BodySource) throws {
        try ensureOpen()
        guard buffer.isEmpty else {
            throw S3Error(
                code: .other,
                message: "writePart after write left \(buffer.count) bytes buffered",
                operation: "MultipartWriter",
                bucket: bucket,
                key: key
            )
        }
        do {
            let id = try uploadID ?? startUpload()
            parts.append(
                try client.uploadPart(
                    bucket: bucket,
                    key: key,
                    uploadID: id,
                    number: parts.count + 1,
                    source: source,
                    deadline: deadline
                )
            )
            bytesWritten += Int64(source.size)
        } catch {
            abort()
            throw error
        }
    }

    /// Uploads what is left and completes the object (a single PutObject when no part was uploaded).
    @discardableResult
    public func finish() throws -> S3PutResult {
        try ensureOpen()
        do {
            let result: S3PutResult
            if let uploadID {
                if !buffer.isEmpty {
                    try uploadPart(Array(buffer), uploadID: uploadID)
                    buffer.removeAll()
                }
                result = try client.completeMultipartUpload(
                    bucket: bucket,
                    key: key,
                    uploadID: uploadID,
                    parts: parts,
                    deadline: deadline
                )
            } else {
                // Less than a part in all: sent as one object (a single PutObject unless it exceeds the client's
                // multipart threshold).
                result = try client.putObject(
                    bucket: bucket,
                    key: key,
                    source: S3Client.source(buffer),
                    contentType: contentType,
                    metadata: metadata,
                    deadline: deadline
                )
            }
            state = .finished
            buffer = []
            return result
        } catch {
            abort()
            throw error
        }
    }

    /// Abandons the object: aborts the multipart upload if one was started (best effort, with its own
    /// 10-second budget, since it usually runs when the deadline is spent). Never throws.
    public func abort() {
        guard state == .open else { return }
        state = .aborted
        buffer = []
        guard let uploadID else { return }
        do {
            try client.abortMultipartUpload(
                bucket: bucket,
                key: key,
                uploadID: uploadID,
                deadline: ContinuousClock.now.advanced(by: .seconds(10))
            )
            client.logger.info(
                "s3 multipart upload aborted",
                metadata: ["s3.bucket": .string(bucket), "s3.key": .string(key)]
            )
        } catch {
            client.logger.warning(
                "s3 multipart upload abort failed",
                metadata: ["s3.bucket": .string(bucket), "s3.key": .string(key), "s3.error": "\(error)"]
            )
        }
    }

    private func ensureOpen() throws {
        guard state == .open else {
            throw S3Error(
                code: .invalidResponse,
                message: "the multipart writer was already \(state == .finished ? "finished" : "aborted")",
                operation: "MultipartWriter",
                bucket: bucket,
                key: key
            )
        }
    }

    private func flushFullParts() throws {
        let partSize = client.configuration.partSize
        guard buffer.count >= partSize else { return }
        do {
            var offset = 0
            while buffer.count - offset >= partSize {
                let id = try uploadID ?? startUpload()
                try uploadPart(Array(buffer[offset..<offset + partSize]), uploadID: id)
                offset += partSize
            }
            buffer.removeFirst(offset)
        } catch {
            abort()
            throw error
        }
    }

    private func startUpload() throws -> String {
        let id = try client.createMultipartUpload(
            bucket: bucket,
            key: key,
            contentType: contentType,
            metadata: metadata,
            deadline: deadline
        )
        uploadID = id
        return id
    }

    private func uploadPart(_ body: [UInt8], uploadID: String) throws {
        let part = try client.uploadPart(
            bucket: bucket,
            key: key,
            uploadID: uploadID,
            number: parts.count + 1,
            body: body,
            deadline: deadline
        )
        parts.append(part)
    }
}
