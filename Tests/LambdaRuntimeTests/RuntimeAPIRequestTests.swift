import LambdaRuntime
import Testing

@Suite("RuntimeAPIRequest")
struct RuntimeAPIRequestTests {
    let endpoint = try! RuntimeAPIEndpoint("127.0.0.1:9001")

    /// Proves the four Runtime API requests: URLs, methods, headers and error bodies (Lambda Developer Guide,
    /// "Using the Lambda runtime API for custom runtimes").
    @Test func requests() throws {
        #expect(
            RuntimeAPIRequest.next(endpoint)
                == RuntimeAPIRequest(method: .get, url: "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next")
        )

        let response = RuntimeAPIRequest.response(endpoint, id: "req-1", body: Array("{}".utf8))
        #expect(response.method == .post)
        #expect(response.url == "http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/response")
        #expect(response.headers["Expect"] == "")
        #expect(response.body == Array("{}".utf8))

        let body = LambdaErrorBody(errorMessage: "no RTP \"found\"", errorType: "InvalidCapture")
        let error = RuntimeAPIRequest.error(endpoint, id: "req-1", error: body)
        #expect(error.url == "http://127.0.0.1:9001/2018-06-01/runtime/invocation/req-1/error")
        #expect(error.headers["Lambda-Runtime-Function-Error-Type"] == "InvalidCapture")
        let document = try jsonObject(error.body)
        #expect(document["errorMessage"] as? String == "no RTP \"found\"")
        #expect(document["errorType"] as? String == "InvalidCapture")
        #expect((document["stackTrace"] as? [Any])?.isEmpty == true)

        let initError = RuntimeAPIRequest.initError(
            endpoint,
            error: LambdaErrorBody(errorMessage: "m", errorType: "ConfigInvalid")
        )
        #expect(initError.url == "http://127.0.0.1:9001/2018-06-01/runtime/init/error")
        #expect(initError.headers["Lambda-Runtime-Function-Error-Type"] == "ConfigInvalid")
    }

    /// Proves the endpoint comes from AWS_LAMBDA_RUNTIME_API and a missing or odd one is a config error.
    @Test func endpointFromEnvironment() throws {
        #expect(
            try RuntimeAPIEndpoint(environment: ["AWS_LAMBDA_RUNTIME_API": "localhost:9001"]).hostAndPort
                == "localhost:9001"
        )
        #expect(throws: RecordingError.self) { try RuntimeAPIEndpoint(environment: [:]) }
        #expect(throws: RecordingError.self) { try RuntimeAPIEndpoint("http://x/y") }
    }

    /// Proves an answer to `next` is read with header names in any case, and `_X_AMZN_TRACE_ID`'s source kept.
    @Test func invocationFromHeaders() throws {
        let invocation = try RuntimeAPIResponse.invocation(
            status: 200,
            headers: [
                ("lambda-runtime-aws-request-id", "8476a536"), ("LAMBDA-RUNTIME-DEADLINE-MS", " 1542409706888 "),
                (
                    "Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime"
                ),
                (
                    "lambda-runtime-trace-id",
                    "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
                ),
                ("Lambda-Runtime-Client-Context", "{}"),
            ],
            body: Array("{}".utf8)
        )
        #expect(
            invocation
                == Invocation(
                    requestID: "8476a536",
                    deadlineMilliseconds: 1_542_409_706_888,
                    invokedFunctionARN: "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime",
                    traceID: "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
                    clientContext: "{}",
                    body: Array("{}".utf8)
                )
        )
    }

    /// Proves a `next` answer without request id or with a bad deadline is a Runtime API error.
    @Test(arguments: [
        [("Lambda-Runtime-Deadline-Ms", "1")],
        [("Lambda-Runtime-Aws-Request-Id", "r")],
        [("Lambda-Runtime-Aws-Request-Id", "r"), ("Lambda-Runtime-Deadline-Ms", "soon")],
    ])
    func incompleteInvocation(headers: [(String, String)]) {
        #expect {
            try RuntimeAPIResponse.invocation(status: 200, headers: headers.map { ($0.0, $0.1) }, body: [])
        } throws: { ($0 as? RecordingError)?.code == .runtimeAPI }
    }

    /// Proves any 2xx is success and other statuses carry the API's own error type.
    @Test func statuses() {
        #expect(RuntimeAPIResponse.isSuccess(status: 200))
        #expect(RuntimeAPIResponse.isSuccess(status: 202))
        #expect(RuntimeAPIResponse.isSuccess(status: 204))
        #expect(!RuntimeAPIResponse.isSuccess(status: 302))
        let request = RuntimeAPIRequest.response(endpoint, id: "r", body: [])
        #expect {
            try RuntimeAPIResponse.check(
                status: 413,
                body: Array(
                    #"{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}"#
                        .utf8
                ),
                request: request
            )
        } throws: { error in
            let message = (error as? RecordingError)?.message ?? ""
            return message.contains("413") && message.contains("RequestEntityTooLarge")
        }
    }
}
