/// The answer to a plain event (S3, SNS, EventBridge, direct invoke) when every object succeeded or was skipped.
public struct InvocationSummary: Sendable, Equatable, Codable {
    public struct Recording: Sendable, Equatable, Codable {
        public var bucket: String
        public var key: String
        public var outputBucket: String
        public var outputKeys: [String]
        public var audioSeconds: Double
        public var transcodeMs: Double
    }

    public struct Skipped: Sendable, Equatable, Codable {
        public var bucket: String
        public var key: String
        public var reason: String
    }

    public struct Ignored: Sendable, Equatable, Codable {
        public var event: String
        public var bucket: String?
        public var key: String?
    }

    public var recordings: [Recording]
    public var skipped: [Skipped]
    public var ignored: [Ignored]
}
