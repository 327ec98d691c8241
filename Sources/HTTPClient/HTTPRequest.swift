/// A request for `HTTPClient`.
public struct HTTPRequest {
    /// `GET`, `PUT`, `POST`, `HEAD`, `DELETE`, …
    public var method: String
    /// An absolute `http://` or `https://` URL, already percent-encoded.
    public var url: String
    public var headers: HTTPHeaders
    public var body: HTTPRequestBody
    public var timeouts: HTTPTimeouts
    /// Polled while the transfer runs (about once a second, and on every progress step); returning true aborts
    /// it with `HTTPClientError.Code.cancelled`. How a deadline stops an upload in the middle.
    public var isCancelled: (() -> Bool)?

    public init(
        method: String,
        url: String,
        headers: HTTPHeaders = [:],
        body: HTTPRequestBody = .empty,
        timeouts: HTTPTimeouts = .default,
        isCancelled: (() -> Bool)? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
        self.isCancelled = isCancelled
    }
}

/// What a request sends.
public enum HTTPRequestBody {
    case empty
    case bytes([UInt8])
    /// Bytes pulled by the client while it sends: the provider fills the buffer and returns how many bytes it
    /// wrote, 0 at the end. With a `length` the request carries `Content-Length` (the provider must give
    /// exactly that many bytes), without one it is sent `Transfer-Encoding: chunked`. An error thrown by the
    /// provider aborts the request and is rethrown by `execute`.
    case stream(length: Int64?, provider: (UnsafeMutableRawBufferPointer) throws -> Int)
}

/// Time limits of one request. Zero means none.
public struct HTTPTimeouts: Sendable, Hashable {
    /// Limit on establishing the connection (TCP and TLS), in milliseconds.
    public var connectMilliseconds: Int
    /// Limit on the whole transfer, in milliseconds; 0 for none (the Lambda Runtime API long poll).
    public var totalMilliseconds: Int
    /// Abort when fewer than `lowSpeedBytesPerSecond` flow for `lowSpeedSeconds` (a stalled peer); 0 disables.
    public var lowSpeedBytesPerSecond: Int
    public var lowSpeedSeconds: Int

    public init(
        connectMilliseconds: Int = 10_000,
        totalMilliseconds: Int = 0,
        lowSpeedBytesPerSecond: Int = 1,
        lowSpeedSeconds: Int = 30
    ) {
        self.connectMilliseconds = connectMilliseconds
        self.totalMilliseconds = totalMilliseconds
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
    }

    /// 10 s to connect, a stall of 30 s aborts, no total limit.
    public static let `default` = HTTPTimeouts()
    /// No limit at all but the connect one: for a long poll whose answer may take as long as it takes.
    public static let longPoll = HTTPTimeouts(totalMilliseconds: 0, lowSpeedBytesPerSecond: 0, lowSpeedSeconds: 0)
}
