/// A response from `HTTPClient`.
public struct HTTPResponse: Sendable, Hashable {
    /// The final status code (interim 1xx responses are skipped).
    public var status: Int
    /// The header fields of the final response.
    public var headers: HTTPHeaders
    /// The body when buffered. When the body was streamed to a sink, this holds the body of a non-2xx answer
    /// only (up to `HTTPClient.errorBodyLimit` bytes), so that error documents can be read.
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// True for 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
