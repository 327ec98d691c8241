public import HTTPClient

/// A failed S3 operation: an S3 error document (its `Code`, `Message`, `RequestId`, with the HTTP status), a
/// transport failure that outlived the retries, a passed deadline, or an answer that could not be read.
/// Never holds credentials: requests are described by operation, bucket and key only.
public struct S3Error: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case noSuchKey
        case noSuchBucket
        case noSuchUpload
        case accessDenied
        case signatureDoesNotMatch
        case invalidAccessKeyID
        case invalidToken
        case expiredToken
        case requestTimeTooSkewed
        /// `XAmzContentSHA256Mismatch`: the body is not the one whose hash was signed.
        case contentSHA256Mismatch
        /// `BadDigest` / `InvalidDigest`: a checksum header does not match the body.
        case badDigest
        case slowDown
        case internalError
        case serviceUnavailable
        /// 408, 429, `RequestTimeout`, `Throttling` and friends.
        case throttledOrTimedOut
        /// Any other S3 error code (kept in `awsCode`).
        case other
        /// No HTTP answer: connection refused, reset, timed out, TLS (the details are in `transport`).
        case transport
        /// The caller's deadline came before the operation could finish.
        case deadlineExceeded
        /// A 2xx answer whose document could not be read.
        case invalidResponse
    }

    public var code: Code
    /// S3's own `Code` (`NoSuchKey`, `SlowDown`, …) when there was an error document; derived from the
    /// status for bodiless answers (HEAD).
    public var awsCode: String?
    public var message: String
    /// `RequestId` of the error document, else the `x-amz-request-id` header.
    public var requestID: String?
    /// The HTTP status, when there was an answer.
    public var status: Int?
    /// `GetObject`, `PutObject`, `UploadPart`, …
    public var operation: String
    public var bucket: String?
    public var key: String?
    /// How many attempts were made.
    public var attempts: Int
    /// The transport failure, for `.transport` (and a cancelled transfer behind `.deadlineExceeded`).
    public var transport: HTTPClientError?

    public init(
        code: Code,
        awsCode: String? = nil,
        message: String,
        requestID: String? = nil,
        status: Int? = nil,
        operation: String,
        bucket: String? = nil,
        key: String? = nil,
        attempts: Int = 1,
        transport: HTTPClientError? = nil
    ) {
        self.code = code
        self.awsCode = awsCode
        self.message = message
        self.requestID = requestID
        self.status = status
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.attempts = attempts
        self.transport = transport
    }

    /// The code for an S3 `Code` string.
    public static func code(forAWSCode awsCode: String) -> Code {
        switch awsCode {
        case "NoSuchKey": .noSuchKey
        case "NoSuchBucket": .noSuchBucket
        case "NoSuchUpload": .noSuchUpload
        case "AccessDenied", "AllAccessDisabled", "AccountProblem": .accessDenied
        case "SignatureDoesNotMatch": .signatureDoesNotMatch
        case "InvalidAccessKeyId": .invalidAccessKeyID
        case "InvalidToken": .invalidToken
        case "ExpiredToken", "TokenRefreshRequired": .expiredToken
        case "RequestTimeTooSkewed": .requestTimeTooSkewed
        case "XAmzContentSHA256Mismatch": .contentSHA256Mismatch
        case "BadDigest", "InvalidDigest": .badDigest
        case "SlowDown": .slowDown
        case "InternalError": .internalError
        case "ServiceUnavailable": .serviceUnavailable
        case "RequestTimeout", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
            "RequestLimitExceeded", "TooManyRequests", "RequestThrottledException",
            "ProvisionedThroughputExceededException",
            "BandwidthLimitExceeded", "EC2ThrottledException", "PriorRequestNotComplete":
            .throttledOrTimedOut
        default: .other
        }
    }

    /// Whether another attempt may succeed (S3 and AWS SDK retry guidance): 5xx, SlowDown, throttling, 408,
    /// 429, RequestTimeout, and transient transport failures. Never other 4xx.
    public var isRetryable: Bool {
        switch code {
        case .slowDown, .internalError, .serviceUnavailable, .throttledOrTimedOut: return true
        case .transport: return transport?.isTransient ?? false
        case .deadlineExceeded, .invalidResponse: return false
        default:
            guard let status else { return false }
            return status >= 500 || status == 408 || status == 429
        }
    }

    /// True when the object (or its bucket) is missing or access is denied: a source that cannot be read.
    public var isNotFoundOrForbidden: Bool {
        switch code {
        case .noSuchKey, .noSuchBucket, .accessDenied: true
        default: status == 404 || status == 403
        }
    }

    public var description: String {
        var text = "S3 \(operation)"
        if let bucket { text += " s3://\(bucket)/\(key ?? "")" }
        text += " failed: "
        if let status { text += "HTTP \(status) " }
        if let awsCode { text += awsCode + ": " }
        text += message
        if let transport { text += " [\(transport.code.rawValue), curl \(transport.curlCode): \(transport.message)]" }
        if let requestID { text += " (request id \(requestID))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text
    }
}
