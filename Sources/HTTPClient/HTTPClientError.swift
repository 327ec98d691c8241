/// A transport failure: the request got no HTTP answer. HTTP error statuses are responses, not errors.
public struct HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Nothing listens at the address, or it is unreachable (CURLE_COULDNT_CONNECT).
        case connectionRefused
        /// A time limit passed (CURLE_OPERATION_TIMEDOUT).
        case timeout
        /// The peer reset or closed the connection mid-exchange (CURLE_RECV_ERROR, CURLE_SEND_ERROR,
        /// CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE).
        case connectionReset
        /// TLS handshake or certificate verification failed (CURLE_SSL_*, CURLE_PEER_FAILED_VERIFICATION).
        case tls
        /// The host name did not resolve (CURLE_COULDNT_RESOLVE_HOST / _PROXY).
        case nameResolution
        /// `isCancelled` asked to stop.
        case cancelled
        /// The URL or an option was refused by libcurl.
        case invalidRequest
        /// Any other libcurl failure.
        case other
    }

    public var code: Code
    /// The libcurl result code (`CURLcode`).
    public var curlCode: Int
    /// libcurl's message (its error buffer when set, else `curl_easy_strerror`).
    public var message: String
    public var method: String
    /// The URL without its query (a query may carry a presigned signature).
    public var url: String

    public init(code: Code, curlCode: Int, message: String, method: String, url: String) {
        self.code = code
        self.curlCode = curlCode
        self.message = message
        self.method = method
        self.url = url
    }

    /// True for failures that a retry may cure: refused, timed out, reset, name resolution.
    public var isTransient: Bool {
        switch code {
        case .connectionRefused, .timeout, .connectionReset, .nameResolution: true
        case .tls, .cancelled, .invalidRequest, .other: false
        }
    }

    public var description: String {
        "\(method) \(url): \(code.rawValue) (curl \(curlCode): \(message))"
    }
}
