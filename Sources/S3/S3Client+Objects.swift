import HTTPClient
import SigV4

extension S3Client {
    /// GetObject, streaming the body to `sink` chunk by chunk as it arrives (nothing is buffered).
    ///
    /// A transfer that breaks after some bytes were delivered is resumed where it stopped (a Range request
    /// with `If-Match` on the ETag, so a replaced object is never spliced), so `sink` sees every byte once.
    /// Errors thrown by `sink` stop the download and are rethrown unchanged.
    @discardableResult
    public func getObject(
        bucket: String,
        key: String,
        range: S3ByteRange? = nil,
        deadline: ContinuousClock.Instant? = nil,
        sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> S3ObjectMetadata {
        var delivered: Int64 = 0
        var eTag: String? = nil
        // Bytes to drop from the answer of a resumed attempt whose server ignored the Range (a full 200):
        // the sink must never see a byte twice.
        var resumedFrom: Int64 = 0
        var skip: Int64 = 0
        let response = try withoutActuallyEscaping(sink) { sink in
            try send(
                Operation(name: "GetObject", method: "GET", bucket: bucket, key: key),
                deadline: deadline,
                prepare: { operation in
                    resumedFrom = delivered
                    skip = 0
                    let start = (range?.first ?? 0) + delivered
                    if range != nil || delivered > 0 {
                        operation.headers.append(("Range", S3ByteRange(first: start, last: range?.last).headerValue))
                    }
                    if delivered > 0, let eTag { operation.headers.append(("If-Match", eTag)) }
                },
                onHead: { status, headers in
                    if eTag == nil, (200..<300).contains(status) { eTag = headers["etag"] }
                    if resumedFrom > 0, status == 200, range == nil { skip = resumedFrom }
                },
                sink: { chunk in
                    var chunk = chunk
                    if skip > 0 {
                        let dropped = Int(min(skip, Int64(chunk.count)))
                        skip -= Int64(dropped)
                        chunk = UnsafeRawBufferPointer(rebasing: chunk[dropped...])
                        if chunk.isEmpty { return }
                    }
                    try sink(chunk)
                    delivered += Int64(chunk.count)
                }
            )
        }
        var metadata = Self.objectMetadata(response.headers)
        metadata.contentLength = delivered
        return metadata
    }

    /// GetObject into memory (for small objects such as reports).
    public func getObjectBytes(
        bucket: String,
        key: String,
        range: S3ByteRange? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) throws -> (bytes: [UInt8], metadata: S3ObjectMetadata) {
        var bytes: [UInt8] = []
        let metadata = try getObject(bucket: bucket, key: key, range: range, deadline: deadline) { bytes += $0 }
        return (bytes, metadata)
    }

    /// HeadObject.
    public func headObject(
        bucket: String,
        key: String,
        deadline: ContinuousClock.Instant? = nil
    ) throws
        -> S3ObjectMetadata
    {
        let response = try send(
            Operation(name: "HeadObject", method: "HEAD", bucket: bucket, key: key),
            deadline: deadline
        )
        return Self.objectMetadata(response.headers)
    }

    /// PutObject with `x-amz-content-sha256` set to the body's real SHA-256 and `x-amz-checksum-sha256` (its
    /// base64) so that S3 verifies the bytes it stores. Bodies above `multipartThreshold` go up by multipart
    /// upload instead (aborted on any failure). Nothing is left at `key` when this throws.
    @discardableResult
    public func putObject(
        bucket: String,
        key: String,
        body: [UInt8],
        contentType: String? = nil,
        metadata: [String: String] = [:],
        deadline: ContinuousClock.Instant? = nil
    ) throws -> S3PutResult {
        try putObject(
            bucket: bucket,
            key: key,
            source: Self.source(body),
            contentType: contentType,
            metadata: metadata,
            deadline: deadline
        )
    }

    /// PutObject of `size` bytes that `read(offset, count)` hands out piece by piece (from a file, say), so that
    /// they are never in memory together: read once for the checksums (a single PutObject's is `sha256` when the
    /// caller already has it) and again while they are sent, 1 MiB at a time, as a single PutObject up to
    /// `multipartThreshold`, else part by part. A failure of `read` is rethrown as it is, after the multipart
    /// upload is aborted. Nothing is left at `key` when this throws.
    @discardableResult
    public func putObject(
        bucket: String,
        key: String,
        size: Int,
        sha256: [UInt8]? = nil,
        contentType: String? = nil,
        metadata: [String: String] = [:],
        deadline: ContinuousClock.Instant? = nil,
        read: @escaping (_ offset: Int, _ count: Int) throws -> [UInt8]
    ) throws -> S3PutResult {
        try putObject(
            bucket: bucket,
            key: key,
            source: BodySource(size: size, sha256: sha256, read: read),
            contentType: contentType,
            metadata: metadata,
            deadline: deadline
        )
    }

    /// PutObject of a body source: a single PutObject up to `multipartThreshold` (also what
    /// ``S3MultipartWriter`` sends for a small total), else a multipart upload, part by part.
    func putObject(
        bucket: String,
        key: String,
        source: BodySource,
        contentType: String?,
        metadata: [String: String],
        deadline: ContinuousClock.Instant?
    ) throws -> S3PutResult {
        guard source.size > configuration.multipartThreshold else {
            let digest = try source.sha256()
            var headers = Self.objectHeaders(contentType: contentType, metadata: metadata)
            headers.append(("x-amz-checksum-sha256", Base64.encode(digest)))
            let response = try send(
                Operation(
                    name: "PutObject",
                    method: "PUT",
                    bucket: bucket,
                    key: key,
                    headers: headers,
                    source: source,
                    payloadHash: Hex.encode(digest)
                ),
                deadline: deadline
            )
            return S3PutResult(
                eTag: response.headers["etag"],
                checksumSHA256: response.headers["x-amz-checksum-sha256"],
                parts: 0
            )
        }
        // Dropped open (a throw below), the writer aborts the upload.
        let writer = S3MultipartWriter(
            client: self,
            bucket: bucket,
            key: key,
            contentType: contentType,
            metadata: metadata,
            deadline: deadline
        )
        var start = 0
        while start < source.size {
            let count = min(configuration.partSize, source.size - start)
            try writer.writePart(source.slice(from: start, count: count))
            start += count
        }
        return try writer.finish()
    }

    /// An array as a body source.
    static func source(_ bytes: [UInt8]) -> BodySource {
        BodySource(size: bytes.count) { offset, count in
            offset == 0 && count == bytes.count ? bytes : Array(bytes[offset..<offset + count])
        }
    }

    /// DeleteObject (S3 answers 204 whether or not the key existed).
    public func deleteObject(bucket: String, key: String, deadline: ContinuousClock.Instant? = nil) throws {
        _ = try send(Operation(name: "DeleteObject", method: "DELETE", bucket: bucket, key: key), deadline: deadline)
    }

    /// One page of ListObjectsV2.
    public func listObjectsV2(
        bucket: String,
        prefix: String? = nil,
        continuationToken: String? = nil,
        maxKeys: Int? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) throws -> S3ListResult {
        var query: [(String, String)] = [("list-type", "2")]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        if let prefix { query.append(("prefix", prefix)) }
        let operation = Operation(name: "ListObjectsV2", method: "GET", bucket: bucket, query: query)
        let response = try send(operation, deadline: deadline)
        guard let document = S3XML.parse(response.body), document.name == "ListBucketResult" else {
            throw Self.invalidResponse(operation, "ListObjectsV2 answer is not a ListBucketResult document")
        }
        return S3ListResult(
            objects: document.children("Contents").compactMap { item in
                guard let key = item.value("Key") else { return nil }
                return S3ListResult.Object(
                    key: key,
                    size: Int64(item.value("Size") ?? "") ?? 0,
                    eTag: item.value("ETag")
                )
            },
            isTruncated: document.value("IsTruncated") == "true",
            nextContinuationToken: document.value("NextContinuationToken")
        )
    }

    /// CreateBucket (in the client's region; for tests and tooling).
    public func createBucket(_ bucket: String, deadline: ContinuousClock.Instant? = nil) throws {
        var body: [UInt8] = []
        if configuration.region != "us-east-1" {
            body = Array(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                    + configuration.region + "</LocationConstraint></CreateBucketConfiguration>").utf8
            )
        }
        _ = try send(Operation(name: "CreateBucket", method: "PUT", bucket: bucket, body: body), deadline: deadline)
    }

    static func objectHeaders(contentType: String?, metadata: [String: String]) -> [(String, String)] {
        var headers: [(String, String)] = []
        if let contentType { headers.append(("Content-Type", contentType)) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-amz-meta-" + name.lowercased(), value))
        }
        return headers
    }

    static func objectMetadata(_ headers: HTTPHeaders) -> S3ObjectMetadata {
        let length = Int64(headers["content-length"] ?? "") ?? 0
        var size = length
        // Content-Range: bytes 0-9/443 (RFC 9110 §14.4) gives the full size of a ranged GET.
        if let range = headers["content-range"], let slash = range.lastIndex(of: "/"),
            let total = Int64(range[range.index(after: slash)...])
        {
            size = total
        }
        var metadata: [String: String] = [:]
        for field in headers where field.name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(field.name.lowercased().dropFirst("x-amz-meta-".count))] = field.value
        }
        return S3ObjectMetadata(
            size: size,
            eTag: headers["etag"],
            contentType: headers["content-type"],
            lastModified: headers["last-modified"],
            metadata: metadata,
            contentLength: length
        )
    }

    static func invalidResponse(_ operation: Operation, _ message: String) -> S3Error {
        S3Error(
            code: .invalidResponse,
            message: message,
            operation: operation.name,
            bucket: operation.bucket,
            key: operation.key
        )
    }
}
