import Foundation
import HTTPClient
import Logging
import S3
import SigV4
import TestSupport

/// Where the S3 tests run: the loopback S3 server (`scripts/s3-server`, moto with a faithful SigV4 checker),
/// or real AWS.
///
/// Running the same tests against real AWS: set `RTP2MP3_S3_TEST_BUCKET` to an existing bucket the
/// credentials may write to and delete from, plus `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`
/// and, for temporary credentials, `AWS_SESSION_TOKEN`; then
/// `swift test --filter S3Tests`. Objects go under a fresh `rtp2mp3-tests/UUID/` prefix and are deleted. The
/// tests that need the loopback server's fault-injecting proxy or its second (STS) identity are skipped there.
struct S3TestContext {
    let configuration: S3Configuration
    let bucket: String
    /// Prefix of every key a test writes (empty on loopback, where each test has its own bucket).
    let prefix: String
    let server: S3TestServer?

    static let environment = ProcessInfo.processInfo.environment
    static var usesRealAWS: Bool { !(environment["RTP2MP3_S3_TEST_BUCKET"] ?? "").isEmpty }
    static var shouldRun: Bool { usesRealAWS || S3TestServer.shouldRun }
    static var loopbackOnly: Bool { !usesRealAWS && S3TestServer.shouldRun }

    static let logger: Logger = {
        var logger = Logger(label: "S3Tests")
        logger.logLevel = .info
        return logger
    }()

    /// A fresh context: on loopback, a new bucket.
    static func make(_ name: String) throws -> S3TestContext {
        if usesRealAWS {
            let credentials = AWSCredentials(
                accessKeyID: environment["AWS_ACCESS_KEY_ID"] ?? "",
                secretAccessKey: environment["AWS_SECRET_ACCESS_KEY"] ?? "",
                sessionToken: environment["AWS_SESSION_TOKEN"]
            )
            return S3TestContext(
                configuration: S3Configuration(
                    region: environment["AWS_REGION"] ?? "us-east-1",
                    credentials: credentials
                ),
                bucket: environment["RTP2MP3_S3_TEST_BUCKET"]!,
                prefix: "rtp2mp3-tests/\(UUID().uuidString)/",
                server: nil
            )
        }
        let server = try S3TestServer.shared()
        let context = S3TestContext(
            configuration: S3Configuration(
                region: server.region,
                credentials: AWSCredentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey),
                endpoint: server.endpoint
            ),
            bucket: "\(name.lowercased())-\(UUID().uuidString.prefix(8).lowercased())",
            prefix: "",
            server: server
        )
        try context.client().createBucket(context.bucket)
        return context
    }

    /// A client on this context, with test seams.
    func client(
        configuration override: S3Configuration? = nil,
        clock: @escaping () -> Int64 = S3Client.systemClock,
        sleep: @escaping (Duration) -> Void = S3Client.systemSleep,
        jitter: @escaping (Duration) -> Duration = S3Client.fullJitter
    ) throws -> S3Client {
        let http = try HTTPClient(
            configuration: .init(
                caBundlePath: HTTPClient.Configuration.locateCABundle(sslCertFile: Self.environment["SSL_CERT_FILE"])
            )
        )
        return S3Client(
            configuration: override ?? configuration,
            httpClient: http,
            logger: Self.logger,
            clock: clock,
            sleep: sleep,
            jitter: jitter
        )
    }

    /// Deterministic bytes.
    static func bytes(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
        var state = seed &* 2_654_435_761 | 1
        var out = [UInt8]()
        out.reserveCapacity(count)
        for _ in 0..<count {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            out.append(UInt8(truncatingIfNeeded: state))
        }
        return out
    }
}

/// Records the sleeps of a client.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []
    var sleeps: [Duration] { lock.withLock { recorded } }
    func record(_ duration: Duration) { lock.withLock { recorded.append(duration) } }
}
