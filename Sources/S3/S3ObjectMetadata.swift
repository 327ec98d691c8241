/// What S3 says about an object (GetObject and HeadObject headers).
public struct S3ObjectMetadata: Sendable, Hashable {
    /// The object's full size (from `Content-Range` on a ranged GET, else `Content-Length`).
    public var size: Int64
    /// The ETag, quotes included as S3 sends it.
    public var eTag: String?
    public var contentType: String?
    public var lastModified: String?
    /// `x-amz-meta-*` user metadata, names lowercased and without the prefix.
    public var metadata: [String: String]
    /// The bytes this response carried (the range's length on a ranged GET).
    public var contentLength: Int64

    public init(
        size: Int64,
        eTag: String?,
        contentType: String?,
        lastModified: String?,
        metadata: [String: String],
        contentLength: Int64
    ) {
        self.size = size
        self.eTag = eTag
        self.contentType = contentType
        self.lastModified = lastModified
        self.metadata = metadata
        self.contentLength = contentLength
    }
}

/// A byte range of a GET (`Range: bytes=first-last`, RFC 9110 §14.1.2); `last` nil reads to the end.
public struct S3ByteRange: Sendable, Hashable {
    public var first: Int64
    public var last: Int64?

    public init(first: Int64, last: Int64? = nil) {
        self.first = first
        self.last = last
    }

    var headerValue: String { "bytes=\(first)-" + (last.map(String.init) ?? "") }
}

/// The result of a PutObject or a completed multipart upload.
public struct S3PutResult: Sendable, Hashable {
    public var eTag: String?
    /// Base64 SHA-256 checksum S3 stored (of the object, or of the part checksums for multipart).
    public var checksumSHA256: String?
    /// How many parts were uploaded (0 for a single PutObject).
    public var parts: Int

    public init(eTag: String?, checksumSHA256: String?, parts: Int) {
        self.eTag = eTag
        self.checksumSHA256 = checksumSHA256
        self.parts = parts
    }
}

/// One page of ListObjectsV2.
public struct S3ListResult: Sendable, Hashable {
    public struct Object: Sendable, Hashable {
        public var key: String
        public var size: Int64
        public var eTag: String?
    }

    public var objects: [Object]
    public var isTruncated: Bool
    public var nextContinuationToken: String?
}
