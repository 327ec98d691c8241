import Foundation

/// A fault-injecting HTTP proxy on 127.0.0.1 in front of a loopback S3 server: a script decides, request by
/// request, whether to answer by itself (a 503 SlowDown, a reset, …) or to pass the request through unchanged
/// (same Host header, so signatures still verify), optionally altered (a tampered body).
public final class S3ServerFaultProxy: @unchecked Sendable {
    /// What the proxy does with one request; `number` counts requests from 1.
    public enum Decision: Sendable {
        case pass
        /// Passes this request through instead (a tampered body, a dropped header, …).
        case passModified(LoopbackHTTPServer.Request)
        /// Passes it through but relays only the first `bytes` bytes of the answer, then resets.
        case passTruncated(bytes: Int)
        /// Answers by itself.
        case answer(LoopbackHTTPServer.Action)
    }

    public typealias Script = @Sendable (_ request: LoopbackHTTPServer.Request, _ number: Int) -> Decision

    private let server: LoopbackHTTPServer
    private let counter = Counter()

    /// `http://127.0.0.1:PORT` of the proxy: use it as the S3 endpoint.
    public var endpoint: String { server.baseURL }

    /// Every request the proxy received.
    public var requests: [LoopbackHTTPServer.Request] { server.requests }

    private let upstream: Upstream

    /// The port the proxy listens on (127.0.0.1).
    public var port: Int { server.port }

    /// A proxy to `upstreamPort` on 127.0.0.1; 0 leaves it to `setUpstreamPort` (for a server that must know
    /// the proxy's address before it starts, like the Runtime API emulator).
    public init(upstreamPort: Int, script: @escaping Script) throws {
        let counter = self.counter
        let upstream = Upstream(upstreamPort)
        self.upstream = upstream
        server = try LoopbackHTTPServer { request in
            let number = counter.next()
            switch script(request, number) {
            case .answer(let action):
                return action
            case .pass:
                return Self.relay(request, upstreamPort: upstream.port, truncateTo: nil)
            case .passModified(let altered):
                return Self.relay(altered, upstreamPort: upstream.port, truncateTo: nil)
            case .passTruncated(let bytes):
                return Self.relay(request, upstreamPort: upstream.port, truncateTo: bytes)
            }
        }
    }

    /// Points the proxy at another upstream port.
    public func setUpstreamPort(_ port: Int) { upstream.port = port }

    private final class Upstream: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int
        init(_ port: Int) { value = port }
        var port: Int {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    /// A 503 SlowDown error document as S3 sends it.
    public static let slowDown = LoopbackHTTPServer.Action.respond(
        .init(
            status: 503,
            headers: [("Content-Type", "application/xml"), ("x-amz-request-id", "FAULTPROXY0001")],
            body: Array(
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                    + "<Message>Please reduce your request rate.</Message><RequestId>FAULTPROXY0001</RequestId></Error>")
                    .utf8
            )
        )
    )

    public func stop() { server.stop() }

    private static func relay(
        _ request: LoopbackHTTPServer.Request,
        upstreamPort: Int,
        truncateTo bytes: Int?
    ) -> LoopbackHTTPServer.Action {
        do {
            let answer = try LoopbackHTTPServer.forward(request, toPort: upstreamPort)
            if let bytes { return .rawThenReset(Array(answer.prefix(bytes))) }
            return .raw(answer)
        } catch {
            return .reset
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.withLock {
                value += 1
                return value
            }
        }
    }
}
