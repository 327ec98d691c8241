/// A record that is not a new object: logged and skipped, never an error.
public struct IgnoredRecord: Sendable, Equatable {
    /// The event name or type (`s3:TestEvent`, `ObjectRemoved:Delete`, `Object Deleted`).
    public var event: String
    /// The object it named, when it named one (key decoded).
    public var bucket: String?
    public var key: String?

    public init(event: String, bucket: String? = nil, key: String? = nil) {
        self.event = event
        self.bucket = bucket
        self.key = key
    }
}
