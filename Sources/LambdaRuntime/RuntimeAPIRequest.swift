import FoundationEssentials

/// One Runtime API request, built as plain data so the protocol rules are tested without a network. The HTTP
/// client sends it as is, with two libcurl settings the Runtime API needs: `CURLOPT_PROXY ""` so no proxy
/// variable ever captures the loopback, and no timeout on `next` (a long poll).
public struct RuntimeAPIRequest: Sendable, Equatable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
    }

    public var method: Method
    public var url: String
    /// Header names and values. `Expect` with an empty value means "send no Expect header": libcurl adds
    /// `Expect: 100-continue` to large POSTs otherwise, a round trip the Runtime API does not need; pass it to
    /// libcurl as the line `Expect:`.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: Method, url: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// `GET /2018-06-01/runtime/invocation/next`.
    public static func next(_ endpoint: RuntimeAPIEndpoint) -> RuntimeAPIRequest {
        RuntimeAPIRequest(method: .get, url: endpoint.runtimeBaseURL + "/invocation/next")
    }

    /// `POST /2018-06-01/runtime/invocation/{id}/response`.
    public static func response(_ endpoint: RuntimeAPIEndpoint, id: String, body: [UInt8]) -> RuntimeAPIRequest {
        RuntimeAPIRequest(
            method: .post,
            url: endpoint.runtimeBaseURL + "/invocation/\(KeyDecoding.escapedPathSegment(id))/response",
            headers: ["Content-Type": "application/json", "Expect": ""],
            body: body
        )
    }

    /// `POST /2018-06-01/runtime/invocation/{id}/error` with `Lambda-Runtime-Function-Error-Type`.
    public static func error(_ endpoint: RuntimeAPIEndpoint, id: String, error: LambdaErrorBody) -> RuntimeAPIRequest {
        RuntimeAPIRequest(
            method: .post,
            url: endpoint.runtimeBaseURL + "/invocation/\(KeyDecoding.escapedPathSegment(id))/error",
            headers: errorHeaders(error),
            body: encode(error)
        )
    }

    /// `POST /2018-06-01/runtime/init/error` with `Lambda-Runtime-Function-Error-Type`.
    public static func initError(_ endpoint: RuntimeAPIEndpoint, error: LambdaErrorBody) -> RuntimeAPIRequest {
        RuntimeAPIRequest(
            method: .post,
            url: endpoint.runtimeBaseURL + "/init/error",
            headers: errorHeaders(error),
            body: encode(error)
        )
    }

    private static func errorHeaders(_ error: LambdaErrorBody) -> [String: String] {
        [
            "Content-Type": "application/json", "Expect": "",
            // A header value must not carry a line break (RFC 9110 §5.5).
            "Lambda-Runtime-Function-Error-Type": String(error.errorType.filter { !$0.isNewline }),
        ]
    }

    static func encode(_ error: LambdaErrorBody) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(error)))
            ?? Array(#"{"errorMessage":"","errorType":"Unhandled","stackTrace":[]}"#.utf8)
    }
}
