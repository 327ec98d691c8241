/// One S3 object to transcode: a work item decoded from an event, with its key already decoded to the object's
/// real name (S3 notifications send it form-URL-encoded, EventBridge sends it raw).
public struct ObjectRef: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    /// The object key exactly as stored in S3 (decoded).
    public var key: String
    /// The size in bytes announced by the event, when it has one.
    public var size: Int64?
    public var eTag: String?
    /// The version announced by the event; `nil` when absent (S3 sends the string "null" for unversioned buckets,
    /// which is kept: GetObject accepts `versionId=null`).
    public var versionId: String?

    public init(bucket: String, key: String, size: Int64? = nil, eTag: String? = nil, versionId: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.eTag = eTag
        self.versionId = versionId
    }

    /// `s3://bucket/key`.
    public var description: String { "s3://\(bucket)/\(key)" }
}
