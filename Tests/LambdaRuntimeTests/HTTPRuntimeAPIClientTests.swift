import LambdaRuntime
import Synchronization
import TestSupport
import Testing

/// The libcurl Runtime API client against a real HTTP server on loopback that misbehaves on purpose.
@Suite("HTTPRuntimeAPIClient over loopback")
struct HTTPRuntimeAPIClientTests {
    final class Counter: Sendable {
        let value = Mutex(0)
        func next() -> Int {
            value.withLock {
                $0 += 1; return $0
            }
        }
    }

    static let invocationHeaders: [(String, String)] = [
        ("Lambda-Runtime-Aws-Request-Id", "req-1"),
        ("lambda-runtime-deadline-ms", "4102444800000"),
        ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:f"),
        ("Lambda-Runtime-Trace-Id", "Root=1-2-3"),
    ]

    /// A Runtime API that restarts (the first connection reset, the second refused by nobody: answered) is
    /// retried, and the invocation comes through with its headers read case-insensitively.
    @Test("next survives a reset connection")
    func nextRetriesAfterReset() throws {
        let counter = Counter()
        let server = try LoopbackHTTPServer { request in
            guard request.target.hasSuffix("/invocation/next") else { return .respond(.init(status: 404)) }
            return counter.next() == 1
                ? .reset
                : .respond(.init(status: 200, headers: Self.invocationHeaders, body: Array(#"{"key":"x"}"#.utf8)))
        }
        let client = try HTTPRuntimeAPIClient(endpoint: RuntimeAPIEndpoint("127.0.0.1:\(server.port)"))
        let invocation = try client.next()
        #expect(invocation.requestID == "req-1")
        #expect(invocation.deadlineMilliseconds == 4_102_444_800_000)
        #expect(invocation.body == Array(#"{"key":"x"}"#.utf8))
        #expect(counter.value.withLock { $0 } == 2)
    }

    /// A response post whose connection breaks is sent again; when the API already had the first one it answers
    /// 403 to the repeat, which counts as delivered. The body goes with an empty `Expect:` (no 100-continue).
    @Test("response post retried; a 403 after a retry means delivered")
    func responseRetried() throws {
        let counter = Counter()
        let server = try LoopbackHTTPServer { request in
            counter.next() == 1
                ? .reset : .respond(.init(status: 403, body: Array(#"{"errorType":"InvalidStateTransition"}"#.utf8)))
        }
        let client = try HTTPRuntimeAPIClient(endpoint: RuntimeAPIEndpoint("127.0.0.1:\(server.port)"))
        try client.respond(id: "req-1", body: Array("{}".utf8))
        #expect(counter.value.withLock { $0 } == 2)
        #expect(
            server.requests.allSatisfy { request in
                !request.headers.contains { $0.name.lowercased() == "expect" && !$0.value.isEmpty }
            }
        )
    }

    /// A 403 on the first attempt is a real refusal (a second answer for one invocation) and is reported.
    @Test("403 on a first post is an error")
    func firstForbidden() throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(.init(status: 403, body: Array(#"{"errorType":"InvalidStateTransition"}"#.utf8)))
        }
        let client = try HTTPRuntimeAPIClient(endpoint: RuntimeAPIEndpoint("127.0.0.1:\(server.port)"))
        #expect(throws: (any Error).self) { try client.respond(id: "req-1", body: []) }
    }

    /// An API that stays gone ends the runtime after the bounded retries (Lambda starts a new process).
    @Test("retries are bounded")
    func boundedRetries() throws {
        let counter = Counter()
        let server = try LoopbackHTTPServer { _ in
            _ = counter.next()
            return .reset
        }
        let client = try HTTPRuntimeAPIClient(
            endpoint: RuntimeAPIEndpoint("127.0.0.1:\(server.port)"),
            attempts: 3,
            backoff: .milliseconds(1)
        )
        #expect(throws: (any Error).self) { _ = try client.next() }
        #expect(counter.value.withLock { $0 } == 3)
    }
}
