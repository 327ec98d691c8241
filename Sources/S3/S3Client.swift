public import HTTPClient
public import Logging
import SigV4

#if canImport(Glibc)
private import Glibc
#elseif canImport(Darwin)
private import Darwin
#endif

/// A synchronous S3 client: SigV4 header signing (`x-amz-content-sha256` always, `x-amz-security-token` with
/// session credentials), streamed GetObject, PutObject with a SHA-256 checksum, multipart upload, bounded
/// retries with exponential backoff and full jitter, typed `S3Error`s.
///
/// Like the `HTTPClient` it drives, not thread-safe: one client per thread.
///
/// Testing against real AWS instead of the loopback server: the S3 tests read `RTP2MP3_S3_TEST_BUCKET` (an
/// existing bucket they may write to and delete from), `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN`; with those set they run against AWS
/// (virtual-hosted style, TLS verified with the host's CA bundle) instead of starting `scripts/s3-server`.
public final class S3Client {
    public let configuration: S3Configuration
    /// Logs go here (info and below; metadata `s3.bucket`, `s3.key`, `aws.request_id`). Settable so that a
    /// caller can attach per-invocation metadata.
    public var logger: Logger
    let http: HTTPClient
    private let clock: () -> Int64
    private let sleep: (Duration) -> Void
    private let jitter: (Duration) -> Duration
    private let signer: SigV4Signer
    /// Scheme, host (with port) and path prefix of a custom endpoint.
    private let endpointParts: (scheme: String, host: String, pathPrefix: String)?

    /// - Parameters:
    ///   - clock: seconds since 1970 (UTC), read once per attempt to date the signature.
    ///   - sleep: waits between attempts.
    ///   - jitter: a uniform random duration in `0...ceiling` (full jitter).
    public init(
        configuration: S3Configuration,
        httpClient: HTTPClient,
        logger: Logger,
        clock: @escaping () -> Int64 = S3Client.systemClock,
        sleep: @escaping (Duration) -> Void = S3Client.systemSleep,
        jitter: @escaping (Duration) -> Duration = S3Client.fullJitter
    ) {
        self.configuration = configuration
        self.http = httpClient
        self.logger = logger
        self.clock = clock
        self.sleep = sleep
        self.jitter = jitter
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "s3")
        endpointParts = configuration.endpoint.map(Self.splitEndpoint)
    }

    /// The system's UTC clock.
    public static func systemClock() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }

    /// Sleeps the calling thread.
    public static func systemSleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || attoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// A uniform random duration in `0...ceiling`.
    public static func fullJitter(_ ceiling: Duration) -> Duration {
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }

    // MARK: - Requests

    /// One S3 request, rebuilt for every attempt (so the body is re-sent from its start and the date is fresh).
    struct Operation {
        var name: String
        var method: String
        var bucket: String?
        var key: String?
        /// Query parameters, unencoded.
        var query: [(String, String)] = []
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        /// A body read piece by piece at every attempt instead of `body` (which is then empty); its hash must be
        /// given in `payloadHash`.
        var source: BodySource? = nil
        /// Lowercase hex SHA-256 of `body`; computed when nil.
        var payloadHash: String? = nil
    }

    /// `size` bytes that `read(offset, count)` hands out (from a file, say), so that a request body need not be
    /// in memory: read once for its SHA-256 (unless the caller knows it) and again, from the start, by every
    /// attempt that sends it.
    public struct BodySource {
        public var size: Int
        /// The SHA-256 of all `size` bytes, when the caller already has it (a recording hashed for its report).
        public var knownSHA256: [UInt8]?
        public var read: (_ offset: Int, _ count: Int) throws -> [UInt8]

        public init(
            size: Int,
            sha256: [UInt8]? = nil,
            read: @escaping (_ offset: Int, _ count: Int) throws -> [UInt8]
        ) {
            self.size = size
            knownSHA256 = sha256
            self.read = read
        }

        /// The bytes from `start` on, `count` of them, as a source of their own (one part of a multipart upload).
        func slice(from start: Int, count: Int) -> BodySource {
            BodySource(size: count) { offset, length in try read(start + offset, length) }
        }

        /// The piece of at most 1 MiB at `offset` (before the end); one that comes back empty is an error, the
        /// source being shorter than its size.
        func piece(at offset: Int, for operation: String) throws -> [UInt8] {
            let piece = try read(offset, min(1 << 20, size - offset))
            guard !piece.isEmpty else {
                throw S3Error(
                    code: .other,
                    message: "the body ended at \(offset) of \(size) bytes",
                    operation: operation
                )
            }
            return piece
        }

        /// SHA-256 of the whole source: the known one, else read piece by piece.
        func sha256() throws -> [UInt8] {
            if let knownSHA256 { return knownSHA256 }
            return try SHA256.hash(size: size) { offset in try piece(at: offset, for: "read body") }
        }

        /// A pull provider for `HTTPRequestBody.stream`, from the start of the source.
        func provider() -> (UnsafeMutableRawBufferPointer) throws -> Int {
            var next = 0
            var piece: [UInt8] = []
            var used = 0
            return { buffer in
                if used == piece.count {
                    guard next < size else { return 0 }
                    piece = try self.piece(at: next, for: "send body")
                    next += piece.count
                    used = 0
                }
                let count = min(buffer.count, piece.count - used)
                piece.withUnsafeBytes { bytes in
                    buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + used, byteCount: count)
                }
                used += count
                return count
            }
        }
    }

    /// Sends an operation with retries. The body of a 2xx answer is buffered, or streamed to `sink` when one
    /// is given. `prepare` may change the operation before each attempt (a resumed download's Range).
    func send(
        _ base: Operation,
        deadline: ContinuousClock.Instant?,
        prepare: ((inout Operation) -> Void)? = nil,
        onHead: ((Int, HTTPHeaders) -> Void)? = nil,
        sink: ((UnsafeRawBufferPointer) throws -> Void)? = nil
    ) throws -> HTTPResponse {
        var metadata: Logger.Metadata = ["s3.operation": .string(base.name)]
        if let bucket = base.bucket { metadata["s3.bucket"] = .string(bucket) }
        if let key = base.key { metadata["s3.key"] = .string(key) }
        let payloadHash = base.payloadHash ?? Hex.encode(SHA256.hash(base.body))
        var attempt = 0
        while true {
            attempt += 1
            try checkDeadline(deadline, base, attempt: attempt)
            var operation = base
            prepare?(&operation)
            logger.debug("s3 request", metadata: metadata.merging(["s3.attempt": "\(attempt)"]) { $1 })
            let failure: S3Error
            switch try self.attempt(
                operation,
                payloadHash: payloadHash,
                deadline: deadline,
                number: attempt,
                onHead,
                sink
            )
            {
            case .success(let response): return response
            case .failure(let error): failure = error
            }
            sleep(try retryDelay(after: failure, attempt: attempt, of: base, deadline: deadline, metadata: metadata))
        }
    }

    /// One attempt: an answer, or the failure to judge for a retry. A deadline that passes during it, and an error
    /// of `sink`, are thrown.
    private func attempt(
        _ operation: Operation,
        payloadHash: String,
        deadline: ContinuousClock.Instant?,
        number attempt: Int,
        _ onHead: ((Int, HTTPHeaders) -> Void)?,
        _ sink: ((UnsafeRawBufferPointer) throws -> Void)?
    ) throws -> Result<HTTPResponse, S3Error> {
        var request = makeRequest(operation, payloadHash: payloadHash)
        if let deadline { Self.bound(&request, by: deadline) }
        do {
            let response =
                if let sink {
                    try http.execute(request, onResponseHead: onHead, streamingBodyTo: sink)
                } else {
                    try http.execute(request)
                }
            if response.isSuccess, !Self.isErrorDocument(response, operation: operation.name) {
                return .success(response)
            }
            return .failure(Self.error(from: response, operation: operation, attempts: attempt))
        } catch let transport as HTTPClientError {
            let deadlinePassed = deadline.map { transport.code == .cancelled || ContinuousClock.now >= $0 } ?? false
            let failure = S3Error(
                code: deadlinePassed ? .deadlineExceeded : .transport,
                message: deadlinePassed ? "the deadline passed during the request" : "no answer from S3",
                operation: operation.name,
                bucket: operation.bucket,
                key: operation.key,
                attempts: attempt,
                transport: transport
            )
            if deadlinePassed { throw failure }
            return .failure(failure)
        }
    }

    /// A request that gives up at `deadline`: its total timeout no later, and cancelled once it has passed.
    private static func bound(_ request: inout HTTPRequest, by deadline: ContinuousClock.Instant) {
        let remaining = ContinuousClock.now.duration(to: deadline)
        let milliseconds = max(
            1,
            remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
        )
        if request.timeouts.totalMilliseconds == 0 || request.timeouts.totalMilliseconds > milliseconds {
            request.timeouts.totalMilliseconds = Int(milliseconds)
        }
        request.isCancelled = { ContinuousClock.now >= deadline }
    }

    /// How long to wait before retrying after `failure` (full jitter under the policy's ceiling); throws the
    /// failure when it is not worth a retry or the attempts are spent, and `deadlineExceeded` when the wait would
    /// pass the deadline.
    private func retryDelay(
        after failure: S3Error,
        attempt: Int,
        of base: Operation,
        deadline: ContinuousClock.Instant?,
        metadata: Logger.Metadata
    ) throws -> Duration {
        var failureMetadata = metadata
        if let requestID = failure.requestID { failureMetadata["aws.request_id"] = .string(requestID) }
        if let status = failure.status { failureMetadata["http.status"] = "\(status)" }
        failureMetadata["s3.error"] = .string(failure.awsCode ?? failure.transport?.code.rawValue ?? "unknown")
        guard failure.isRetryable, attempt < configuration.retry.maxAttempts else {
            logger.info("s3 request failed", metadata: failureMetadata)
            throw failure
        }
        let delay = jitter(configuration.retry.delayCeiling(beforeRetry: attempt))
        if let deadline, ContinuousClock.now.advanced(by: delay) >= deadline {
            throw S3Error(
                code: .deadlineExceeded,
                message: "the deadline leaves no time to retry (\(failure))",
                status: failure.status,
                operation: base.name,
                bucket: base.bucket,
                key: base.key,
                attempts: attempt
            )
        }
        failureMetadata["s3.retry_delay_ms"] =
            "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)"
        logger.info("s3 request will be retried", metadata: failureMetadata)
        return delay
    }

    private func checkDeadline(_ deadline: ContinuousClock.Instant?, _ operation: Operation, attempt: Int) throws {
        guard let deadline, ContinuousClock.now >= deadline else { return }
        throw S3Error(
            code: .deadlineExceeded,
            message: "the deadline passed before the request could be sent",
            operation: operation.name,
            bucket: operation.bucket,
            key: operation.key,
            attempts: attempt - 1
        )
    }

    /// URL, headers and signature of one attempt.
    func makeRequest(_ operation: Operation, payloadHash: String) -> HTTPRequest {
        let encodedKey = operation.key.map { URIEncoding.encode($0, keepSlash: true) }
        let scheme: String
        let host: String
        var path: String
        if let endpointParts {
            scheme = endpointParts.scheme
            host = endpointParts.host
            path = endpointParts.pathPrefix
            if let bucket = operation.bucket { path += "/" + URIEncoding.encode(bucket, keepSlash: false) }
            if let encodedKey { path += "/" + encodedKey }
        } else if let bucket = operation.bucket, !bucket.contains(".") {
            scheme = "https"
            host = "\(bucket).s3.\(configuration.region).amazonaws.com"
            path = "/" + (encodedKey ?? "")
        } else {
            scheme = "https"
            host = "s3.\(configuration.region).amazonaws.com"
            path = operation.bucket.map { "/" + $0 } ?? ""
            if let encodedKey { path += "/" + encodedKey }
        }
        if path.isEmpty { path = "/" }
        let query = operation.query
            .map { URIEncoding.encode($0.0, keepSlash: false) + "=" + URIEncoding.encode($0.1, keepSlash: false) }
            .joined(separator: "&")
        var signable = SigV4Request(method: operation.method, path: path, query: query, headers: [.init("Host", host)])
        for (name, value) in operation.headers { signable.headers.append(.init(name, value)) }
        signer.sign(&signable, payloadHash: payloadHash, date: AmzDate(secondsSince1970: clock()))
        var headers = HTTPHeaders()
        for header in signable.headers { headers.add(header.name, header.value) }
        return HTTPRequest(
            method: operation.method,
            url: scheme + "://" + host + signable.target,
            headers: headers,
            body: operation.source.map { .stream(length: Int64($0.size), provider: $0.provider()) }
                ?? (operation.body.isEmpty ? .empty : .bytes(operation.body)),
            timeouts: configuration.timeouts
        )
    }

    private static func splitEndpoint(_ endpoint: String) -> (scheme: String, host: String, pathPrefix: String) {
        var rest = Substring(endpoint)
        var scheme = "https"
        let parts = endpoint.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            scheme = parts[0].lowercased()
            rest = parts[1]
        }
        let host = rest.prefix { $0 != "/" }
        var prefix = String(rest.dropFirst(host.count))
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return (scheme, String(host), prefix)
    }

    /// CompleteMultipartUpload (and CopyObject) can answer 200 with an error document (S3 API reference,
    /// CompleteMultipartUpload: "a 200 OK response can contain either a success or an error").
    private static func isErrorDocument(_ response: HTTPResponse, operation: String) -> Bool {
        guard operation == "CompleteMultipartUpload", !response.body.isEmpty else { return false }
        return S3XML.parse(response.body)?.name == "Error"
    }

    /// The typed error a GetObject answer with this status and body gives (the S3 XML reader and the error
    /// mapping, reachable for the fuzzer and the hardening tests without a server).
    package static func error(fromStatus status: Int, body: [UInt8], bucket: String?, key: String?) -> S3Error {
        error(
            from: HTTPResponse(status: status, headers: HTTPHeaders(), body: body),
            operation: Operation(name: "GetObject", method: "GET", bucket: bucket, key: key),
            attempts: 1
        )
    }

    /// The typed error of a non-2xx answer (or a 200 carrying an error document).
    static func error(from response: HTTPResponse, operation: Operation, attempts: Int) -> S3Error {
        let document = S3XML.parse(response.body)
        let errorElement = document?.name == "Error" ? document : document?.child("Error")
        var awsCode = errorElement?.value("Code")
        let requestID = errorElement?.value("RequestId") ?? response.headers["x-amz-request-id"]
        var message = errorElement?.value("Message") ?? ""
        if awsCode == nil {
            // Bodiless answers (HEAD) and non-XML ones: name the error after the status.
            switch response.status {
            case 404: awsCode = operation.key == nil ? "NoSuchBucket" : "NoSuchKey"
            case 403: awsCode = "AccessDenied"
            case 503: awsCode = "ServiceUnavailable"
            case 500: awsCode = "InternalError"
            default: break
            }
            if message.isEmpty {
                message =
                    response.body.isEmpty
                    ? "HTTP \(response.status) without an error document"
                    : "HTTP \(response.status) with an unreadable error document"
            }
        }
        var code = awsCode.map(S3Error.code(forAWSCode:)) ?? .other
        if code == .other && (response.status == 408 || response.status == 429) { code = .throttledOrTimedOut }
        return S3Error(
            code: code,
            awsCode: awsCode,
            message: message,
            requestID: requestID,
            status: response.status,
            operation: operation.name,
            bucket: operation.bucket,
            key: operation.key,
            attempts: attempts
        )
    }
}
