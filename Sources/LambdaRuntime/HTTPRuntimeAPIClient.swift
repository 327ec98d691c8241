import HTTPClient

#if canImport(Glibc)
import Glibc
#endif

/// The Lambda Runtime API over libcurl (SPEC §6.1): the `/next` long poll without a timeout, posts with an empty
/// `Expect:` (HTTPClient adds it), and never through a proxy (`CURLOPT_PROXY ""`: the API is on loopback).
///
/// A connection refused or reset (the API restarting under the runtime) is retried a few times with a short
/// backoff before the runtime gives up and exits (Lambda then starts a new process). A post retried after a
/// reset may find its first attempt delivered: the API then answers 403 for the repeated one, which counts as
/// delivered.
public final class HTTPRuntimeAPIClient: RuntimeAPIClient {
    private let endpoint: RuntimeAPIEndpoint
    private let http: HTTPClient
    private let attempts: Int
    private let backoff: Duration

    public init(endpoint: RuntimeAPIEndpoint, attempts: Int = 5, backoff: Duration = .milliseconds(50)) throws {
        self.endpoint = endpoint
        self.attempts = max(1, attempts)
        self.backoff = backoff
        http = try HTTPClient(configuration: HTTPClient.Configuration(caBundlePath: nil, proxy: .none, userAgent: nil))
    }

    /// Runs `body`, retrying transient transport failures; `retried` tells the body it is a repeat.
    private func withRetries<T>(_ body: (_ retried: Bool) throws -> T) throws -> T {
        var delay = backoff
        for attempt in 1... {
            do {
                return try body(attempt > 1)
            } catch let error as HTTPClientError where error.isTransient && attempt < attempts {
                sleep(delay)
                delay *= 2
            }
        }
        fatalError("unreachable: the loop returns or throws")
    }

    private func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        _ = nanosleep(&request, nil)
    }

    public func next() throws -> Invocation {
        let request = RuntimeAPIRequest.next(endpoint)
        let response = try withRetries { _ in
            try http.execute(HTTPRequest(method: "GET", url: request.url, timeouts: .longPoll))
        }
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
        let (response, retried) = try withRetries { retried in
            (
                try http.execute(
                    HTTPRequest(
                        method: request.method.rawValue,
                        url: request.url,
                        headers: headers,
                        body: .bytes(request.body),
                        timeouts: HTTPTimeouts(connectMilliseconds: 2000, totalMilliseconds: 30_000)
                    )
                ),
                retried
            )
        }
        // The first attempt got through before the connection broke: the API already has this answer.
        if retried && response.status == 403 { return }
        try RuntimeAPIResponse.check(status: response.status, body: response.body, request: request)
    }
}
