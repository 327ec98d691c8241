import Foundation
import HTTPClient
import S3
import SigV4
import TestSupport
import Testing

/// Retries, deadlines and tampering, with a fault-injecting proxy (TestSupport.S3ServerFaultProxy) in front of
/// the loopback S3 server. Loopback only: real AWS cannot be made to fail on purpose.
@Suite(
    "S3 client retries and faults through a fault-injecting proxy",
    .enabled(if: S3TestContext.loopbackOnly, Comment(rawValue: S3TestServer.unavailableNote))
)
struct S3RetryTests {
    /// A context whose endpoint is a proxy running `script` in front of the server.
    static func proxied(
        _ name: String,
        script: @escaping S3ServerFaultProxy.Script
    ) throws -> (S3TestContext, S3ServerFaultProxy, S3Configuration) {
        let context = try S3TestContext.make(name)
        let server = try #require(context.server)
        let proxy = try S3ServerFaultProxy(upstreamPort: server.port, script: script)
        var configuration = context.configuration
        configuration.endpoint = proxy.endpoint
        return (context, proxy, configuration)
    }

    // Proves 503 SlowDown is retried with exponential backoff (full jitter: here the jitter returns its
    // ceiling, so the sleeps are exactly 100 ms then 200 ms) and that the PUT then succeeds, body re-sent.
    @Test func slowDownThenSuccess() throws {
        let (context, proxy, configuration) = try Self.proxied("slowdown") { request, number in
            number <= 2 ? .answer(S3ServerFaultProxy.slowDown) : .pass
        }
        defer { proxy.stop() }
        let recorder = SleepRecorder()
        let client = try context.client(configuration: configuration, sleep: recorder.record, jitter: { $0 })
        let body = S3TestContext.bytes(50_000)
        try client.putObject(bucket: context.bucket, key: "retried.mp3", body: body)
        #expect(recorder.sleeps == [.milliseconds(100), .milliseconds(200)])
        #expect(proxy.requests.count == 3)
        #expect(proxy.requests.allSatisfy { $0.body == body })
        let direct = try context.client()
        #expect(try direct.getObjectBytes(bucket: context.bucket, key: "retried.mp3").bytes == body)
    }

    // Proves the retries are bounded: a server that always answers 503 gives a typed, retryable SlowDown after
    // maxAttempts attempts, with S3's request id.
    @Test func retriesAreBounded() throws {
        let (context, proxy, base) = try Self.proxied("bounded") { _, _ in .answer(S3ServerFaultProxy.slowDown) }
        defer { proxy.stop() }
        var configuration = base
        configuration.retry = S3RetryPolicy(maxAttempts: 3)
        let recorder = SleepRecorder()
        let client = try context.client(configuration: configuration, sleep: recorder.record)
        let error = try #require(throws: S3Error.self) {
            try client.putObject(bucket: context.bucket, key: "never", body: [1])
        }
        #expect(error.code == .slowDown)
        #expect(error.attempts == 3)
        #expect(error.requestID == "FAULTPROXY0001")
        #expect(error.isRetryable)
        #expect(proxy.requests.count == 3)
        #expect(recorder.sleeps.count == 2)
        #expect(recorder.sleeps.allSatisfy { $0 <= .milliseconds(200) })
    }

    // Proves 4xx answers other than 408/429 are never retried, while 408 and 429 are.
    @Test(arguments: [(400, false), (403, false), (409, false), (408, true), (429, true), (500, true)])
    func statusRetryPolicy(status: Int, retried: Bool) throws {
        let (context, proxy, configuration) = try Self.proxied("status\(status)") { _, number in
            number == 1 ? .answer(.respond(.init(status: status))) : .pass
        }
        defer { proxy.stop() }
        let client = try context.client(configuration: configuration, sleep: { _ in })
        if retried {
            try client.putObject(bucket: context.bucket, key: "k", body: [1])
            #expect(proxy.requests.count == 2)
        } else {
            let error = try #require(throws: S3Error.self) {
                try client.putObject(bucket: context.bucket, key: "k", body: [1])
            }
            #expect(error.status == status)
            #expect(error.attempts == 1)
            #expect(proxy.requests.count == 1)
        }
    }

    // Proves connection failures (a reset with no answer) are retried.
    @Test func resetIsRetried() throws {
        let (context, proxy, configuration) = try Self.proxied("reset") { _, number in
            number == 1 ? .answer(.reset) : .pass
        }
        defer { proxy.stop() }
        let client = try context.client(configuration: configuration, sleep: { _ in })
        try client.putObject(bucket: context.bucket, key: "k", body: [1, 2])
        #expect(proxy.requests.count == 2)
    }

    // Proves a download broken mid-body resumes where it stopped (Range + If-Match) and the sink sees every
    // byte exactly once.
    @Test func brokenDownloadResumes() throws {
        let (context, proxy, configuration) = try Self.proxied("resume") { request, number in
            request.method == "GET" && number == 1 ? .passTruncated(bytes: 200_000) : .pass
        }
        defer { proxy.stop() }
        let body = S3TestContext.bytes(1 << 20, seed: 9)
        try context.client().putObject(bucket: context.bucket, key: "long.pcap", body: body)
        let client = try context.client(configuration: configuration, sleep: { _ in })
        var received: [UInt8] = []
        let metadata = try client.getObject(bucket: context.bucket, key: "long.pcap") { received += $0 }
        #expect(received == body)
        #expect(metadata.size == Int64(body.count))
        #expect(proxy.requests.count == 2)
        let resumed = try #require(proxy.requests.last)
        #expect(resumed.header("range")?.hasPrefix("bytes=") == true)
        #expect(resumed.header("if-match") != nil)
    }

    // Proves a resumed download stays exact when the server ignores the Range and sends the whole object
    // again (200 instead of 206): the bytes already delivered are skipped, not repeated.
    @Test func resumeWithoutRangeSupport() throws {
        let body = S3TestContext.bytes(1 << 20, seed: 11)
        let (context, proxy, configuration) = try Self.proxied("norange") { request, number in
            guard request.method == "GET" else { return .pass }
            if number == 1 { return .passTruncated(bytes: 300_000) }
            // The resumed request asked for a Range; answer with the whole object, as a server without Range
            // support would.
            return .answer(.respond(.init(status: 200, headers: [("ETag", "\"whole\"")], body: body)))
        }
        defer { proxy.stop() }
        try context.client().putObject(bucket: context.bucket, key: "whole.pcap", body: body)
        let client = try context.client(configuration: configuration, sleep: { _ in })
        var received: [UInt8] = []
        try client.getObject(bucket: context.bucket, key: "whole.pcap") { received += $0 }
        #expect(received == body)
        #expect(proxy.requests.last?.header("range") != nil)
    }

    // Proves a body altered in transit is refused: x-amz-content-sha256 is the real payload hash and the
    // server checks it (XAmzContentSHA256Mismatch, typed, not retried).
    @Test func tamperedBodyIsRefused() throws {
        let (context, proxy, configuration) = try Self.proxied("tamper") { request, _ in
            guard request.method == "PUT", !request.body.isEmpty else { return .pass }
            var altered = request
            altered.body[0] ^= 0xff
            return .passModified(altered)
        }
        defer { proxy.stop() }
        let client = try context.client(configuration: configuration, sleep: { _ in })
        let error = try #require(throws: S3Error.self) {
            try client.putObject(bucket: context.bucket, key: "k", body: [1, 2, 3])
        }
        #expect(error.code == .contentSHA256Mismatch)
        #expect(error.attempts == 1)
        #expect(try context.client().listObjectsV2(bucket: context.bucket).objects.isEmpty)
    }

    // Proves the deadline stops a multipart upload that a slow server would carry past it, and aborts it:
    // no object and no upload in progress remain.
    @Test func deadlineAbortsMultipart() throws {
        let (context, proxy, configuration) = try Self.proxied("deadline") { request, _ in
            // Part 2 hangs for 5 s; the deadline comes first.
            request.target.contains("partNumber=2")
                ? .answer(.respond(.init(status: 200, delayMilliseconds: 5000))) : .pass
        }
        defer { proxy.stop() }
        let client = try context.client(configuration: configuration, sleep: { _ in })
        let writer = S3MultipartWriter(
            client: client,
            bucket: context.bucket,
            key: "late.mp3",
            deadline: ContinuousClock.now.advanced(by: .seconds(2))
        )
        let error = try #require(throws: S3Error.self) {
            try writer.write(S3TestContext.bytes(17 << 20))
            try writer.finish()
        }
        #expect(error.code == .deadlineExceeded)
        let direct = try context.client()
        #expect(try direct.listMultipartUploads(bucket: context.bucket).isEmpty)
        #expect(try direct.listObjectsV2(bucket: context.bucket).objects.isEmpty)
    }
}
