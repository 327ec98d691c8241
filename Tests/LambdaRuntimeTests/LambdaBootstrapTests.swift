import LambdaRuntime
import Logging
import Testing

@Suite("LambdaBootstrap")
struct LambdaBootstrapTests {
    static let environment = [
        "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMIEXAMPLEKEY",
    ]
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func invocation(_ id: String) -> Invocation {
        Invocation(
            requestID: id,
            deadlineMilliseconds: Int64.max / 2,
            invokedFunctionARN: "arn",
            body: Array(#"{"bucket":"calls","key":"a.pcap"}"#.utf8)
        )
    }

    /// Proves an invalid configuration is posted as a ConfigInvalid init error, the handler is never built, and
    /// the exit status is 1.
    @Test func invalidConfigurationIsInitError() {
        let client = ScriptedRuntimeClient([Self.invocation("r1")])
        var built = false
        let status = LambdaBootstrap.serve(
            environment: Self.environment.merging(["CHANNELS": "quad"]) { _, new in new },
            client: client,
            logger: logger
        ) { _ in
            built = true
            return FakeRecordingHandler()
        }
        #expect(status == 1)
        #expect(!built)
        guard case .initError(let body) = client.posts.first else {
            Issue.record("expected an init error, got \(client.posts)")
            return
        }
        #expect(body.errorType == "ConfigInvalid")
        #expect(body.errorMessage.contains("CHANNELS"))
    }

    /// Proves a handler that cannot be built is an init error with its own type.
    @Test func handlerFailureIsInitError() {
        let client = ScriptedRuntimeClient([])
        let status = LambdaBootstrap.serve(environment: Self.environment, client: client, logger: logger) { _ in
            throw RecordingError(.sourceUnavailable, "no CA bundle found")
        }
        #expect(status == 1)
        #expect(client.posts.count == 1)
        if case .initError(let body) = client.posts.first {
            #expect(body.errorType == "SourceUnavailable")
        }
    }

    /// Proves a valid start serves invocations: 0 after `maxInvocations`, 1 when the Runtime API goes away.
    @Test func servesUntilDoneOrGone() {
        let handler = FakeRecordingHandler()
        let client = ScriptedRuntimeClient([Self.invocation("r1"), Self.invocation("r2")])
        #expect(
            LambdaBootstrap.serve(environment: Self.environment, client: client, logger: logger, maxInvocations: 1) {
                _ in handler
            } == 0
        )
        #expect(
            LambdaBootstrap.serve(environment: Self.environment, client: client, logger: logger) { _ in handler } == 1
        )
        #expect(handler.calls.count == 2)
        #expect(client.posts.count == 2)
    }
}
