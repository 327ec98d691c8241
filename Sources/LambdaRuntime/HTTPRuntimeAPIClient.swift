import HTTPClient

/// The Lambda Runtime API over libcurl (SPEC §6.1): the `/next` long poll without a timeout, posts with an empty
/// `Expect:` (HTTPClient adds it), and never through a proxy (`CURLOPT_PROXY ""`: the API is on loopback).
public final class HTTPRuntimeAPIClient: RuntimeAPIClient {
    private let endpoint: RuntimeAPIEndpoint
    private let http: HTTPClient

    public init(endpoint: RuntimeAPIEndpoint) throws {
        self.endpoint = endpoint
        http = try HTTPClient(configuration: HTTPClient.Configuration(caBundlePath: nil, proxy: .none, userAgent: nil))
    }

    public func next() throws -> Invocation {
        let request = RuntimeAPIRequest.next(endpoint)
        let response = try http.execute(HTTPRequest(method: "GET", url: request.url, timeouts: .longPoll))
        return try RuntimeAPIResponse.invocation(
            status: response.status,
            headers: response.headers.fields.map { ($0.name, $0.value) },
            body: response.body
        )
    }

    public func respond(id: String, body: [UInt8]) throws {
        try post(RuntimeAPIRequest.response(endpoint, id: id, body: body))
    }

    public func fail(id: String, error: LambdaErrorBody) throws {
        try post(RuntimeAPIRequest.error(endpoint, id: id, error: error))
    }

    public func initError(error: LambdaErrorBody) throws {
        try post(RuntimeAPIRequest.initError(endpoint, error: error))
    }

    private func post(_ request: RuntimeAPIRequest) throws {
        var headers = HTTPHeaders()
        // HTTPClient sends the empty `Expect:` itself on every request with a body.
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) where name.lowercased() != "expect" {
            headers.add(name, value)
        }
        let response = try http.execute(
            HTTPRequest(
                method: request.method.rawValue,
                url: request.url,
                headers: headers,
                body: .bytes(request.body),
                timeouts: HTTPTimeouts(connectMilliseconds: 2000, totalMilliseconds: 30_000)
            )
        )
        try RuntimeAPIResponse.check(status: response.status, body: response.body, request: request)
    }
}
