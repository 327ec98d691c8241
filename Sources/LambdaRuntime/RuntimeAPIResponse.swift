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
