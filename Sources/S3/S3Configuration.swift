public import HTTPClient
public import SigV4

/// Where and how an `S3Client` talks to S3. Built by the executable from its environment.
public struct S3Configuration: Sendable {
    public var region: String
    public var credentials: AWSCredentials
    /// nil: AWS, virtual-hosted style `https://BUCKET.s3.REGION.amazonaws.com/KEY` (path style
    /// `https://s3.REGION.amazonaws.com/BUCKET/KEY` for bucket names with dots, which TLS wildcard certificates
    /// do not cover). Set (`AWS_ENDPOINT_URL_S3`): path style `ENDPOINT/BUCKET/KEY`.
    public var endpoint: String?
    public var retry: S3RetryPolicy
    /// Bodies larger than this go up by multipart upload (`putObject` switches by itself).
    public var multipartThreshold: Int
    /// Size of multipart parts (S3 wants at least 5 MiB for every part but the last).
    public var partSize: Int
    /// Connect and stall limits for every request; a deadline adds a total limit.
    public var timeouts: HTTPTimeouts

    public init(
        region: String,
        credentials: AWSCredentials,
        endpoint: String? = nil,
        retry: S3RetryPolicy = S3RetryPolicy(),
        multipartThreshold: Int = 16 << 20,
        partSize: Int = 8 << 20,
        timeouts: HTTPTimeouts = HTTPTimeouts(connectMilliseconds: 5000, lowSpeedBytesPerSecond: 1, lowSpeedSeconds: 20)
    ) {
        self.region = region
        self.credentials = credentials
        self.endpoint = endpoint
        self.retry = retry
        self.multipartThreshold = multipartThreshold
        self.partSize = max(partSize, 5 << 20)
        self.timeouts = timeouts
    }
}

/// Bounded retries with exponential backoff and full jitter ("Exponential Backoff And Jitter", AWS
/// Architecture Blog, 2015): before retry n (1, 2, …) the client sleeps a uniform random time in
/// [0, min(maxDelay, baseDelay · 2^(n−1))].
public struct S3RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first one included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The upper bound of the jittered sleep before retry `retry` (1-based).
    public func delayCeiling(beforeRetry retry: Int) -> Duration {
        var ceiling = baseDelay
        for _ in 1..<max(retry, 1) {
            ceiling = ceiling * 2
            if ceiling >= maxDelay { return maxDelay }
        }
        return min(ceiling, maxDelay)
    }
}
