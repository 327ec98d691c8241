import FoundationEssentials

/// Where the Runtime API is: `AWS_LAMBDA_RUNTIME_API` (`host:port`).
public struct RuntimeAPIEndpoint: Sendable, Equatable {
    /// `127.0.0.1:9001`.
    public var hostAndPort: String

    public init(_ hostAndPort: String) throws(RecordingError) {
        let trimmed = hostAndPort.trimmingASCIIWhitespace()
        let valid =
            !trimmed.isEmpty
            && trimmed.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "/") && byte != UInt8(ascii: "?")
                    && byte != UInt8(ascii: "#") && byte != UInt8(ascii: "@")
            }
        guard valid else {
            throw RecordingError(
                .configInvalid,
                "AWS_LAMBDA_RUNTIME_API: expected host:port, found \(EnvironmentReader.quoted(hostAndPort))",
                variable: "AWS_LAMBDA_RUNTIME_API"
            )
        }
        self.hostAndPort = trimmed
    }

    /// From `AWS_LAMBDA_RUNTIME_API`.
    public init(environment: [String: String]) throws(RecordingError) {
        guard let value = environment["AWS_LAMBDA_RUNTIME_API"] else {
            throw RecordingError(
                .configInvalid,
                "AWS_LAMBDA_RUNTIME_API: expected host:port, found none set (not running under Lambda?)",
                variable: "AWS_LAMBDA_RUNTIME_API"
            )
        }
        try self.init(value)
    }

    /// `http://host:port/2018-06-01/runtime`.
    public var runtimeBaseURL: String { "http://\(hostAndPort)/2018-06-01/runtime" }
}

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

/// Checks the Runtime API's answers.
public enum RuntimeAPIResponse {
    /// Any 2xx is success (the API answers 200 to `next` and 202 to posts).
    public static func isSuccess(status: Int) -> Bool {
        (200..<300).contains(status)
    }

    /// Throws `RuntimeAPIError` for a non-2xx answer, with the API's own `errorType`/`errorMessage` when it sent
    /// them (413 `RequestEntityTooLarge`, 400 `InvalidRequestID`, 403 `InvalidStateTransition`).
    public static func check(status: Int, body: [UInt8], request: RuntimeAPIRequest) throws(RecordingError) {
        guard !isSuccess(status: status) else { return }
        var detail = ""
        if let json = JSONValue.parse(body) {
            let type = json["errorType"]?.string ?? ""
            let message = json["errorMessage"]?.string ?? ""
            detail = [type, message].filter { !$0.isEmpty }.joined(separator: ": ")
        }
        throw RecordingError(
            .runtimeAPI,
            "\(request.method.rawValue) \(request.url): expected a 2xx status, found \(status)"
                + (detail.isEmpty ? "" : " (\(detail))")
        )
    }

    /// The invocation in an answer to `next`. Header names are case-insensitive (RFC 9110 §5.1); request id and
    /// deadline are required.
    public static func invocation(
        status: Int,
        headers: [(name: String, value: String)],
        body: [UInt8]
    ) throws(RecordingError) -> Invocation {
        try check(status: status, body: body, request: RuntimeAPIRequest(method: .get, url: "…/invocation/next"))
        func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            guard let value = headers.first(where: { $0.name.lowercased() == lowered })?.value else { return nil }
            let trimmed = value.trimmingASCIIWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }
        guard let requestID = header("Lambda-Runtime-Aws-Request-Id") else {
            throw RecordingError(.runtimeAPI, "next: expected a Lambda-Runtime-Aws-Request-Id header, found none")
        }
        guard let deadlineText = header("Lambda-Runtime-Deadline-Ms"), let deadline = Int64(deadlineText) else {
            throw RecordingError(
                .runtimeAPI,
                "next: expected Lambda-Runtime-Deadline-Ms in epoch milliseconds, found "
                    + (header("Lambda-Runtime-Deadline-Ms").map { EnvironmentReader.quoted($0) } ?? "none")
            )
        }
        return Invocation(
            requestID: requestID,
            deadlineMilliseconds: deadline,
            invokedFunctionARN: header("Lambda-Runtime-Invoked-Function-Arn") ?? "",
            traceID: header("Lambda-Runtime-Trace-Id"),
            clientContext: header("Lambda-Runtime-Client-Context"),
            cognitoIdentity: header("Lambda-Runtime-Cognito-Identity"),
            body: body
        )
    }
}
