import Foundation
import HTTPClient
import Logging
import S3
import SigV4
import TestSupport
import Testing

/// One `bootstrap` process serving many invocations through the emulator: no state leaks from one invocation to
/// the next, and neither memory nor file descriptors grow (SPEC §6.1). `RTP2MP3_SOAK_INVOCATIONS` sets the count
/// (default 1,000).
@Suite("bootstrap soak", .serialized, .enabled(if: S3TestServer.shouldRun && TestData.shouldRun))
struct LambdaSoakTests {
    static let invocations = ProcessInfo.processInfo.environment["RTP2MP3_SOAK_INVOCATIONS"].flatMap { Int($0) } ?? 1000

    static func residentKilobytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    static func descriptors(_ pid: Int32) -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count
    }

    /// After a warm-up of 10 % of the invocations, the resident memory and the open descriptors of the function
    /// process stay where they were (within allocator noise), and every recording is produced.
    @Test("memory and descriptors flat over many invocations")
    func soak() throws {
        let server = try S3TestServer.shared()
        let bucket = "soak-\(UUID().uuidString.prefix(8).lowercased())"
        let s3 = S3Client(
            configuration: S3Configuration(
                region: server.region,
                credentials: AWSCredentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey),
                endpoint: server.endpoint
            ),
            httpClient: try HTTPClient(),
            logger: Logger(label: "soak")
        )
        try s3.createBucket(bucket)
        _ = try s3.putObject(
            bucket: bucket,
            key: "captures/a.pcap",
            body: try TestData.bytes("captures/sipp/g711a.pcap")
        )
        _ = try s3.putObject(
            bucket: bucket,
            key: "captures/bad.pcap",
            body: try TestData.bytes("captures/asterisk-testsuite/ssrc1.pcap")
        )
        let logs = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: logs) }
        let emulator = try RuntimeEmulator(
            command: [Subprocess.product("bootstrap")],
            environment: [
                "AWS_REGION": server.region, "AWS_ENDPOINT_URL_S3": server.endpoint,
                "AWS_ACCESS_KEY_ID": server.accessKeyID, "AWS_SECRET_ACCESS_KEY": server.secretAccessKey,
                "INPUT_PREFIX": "captures/", "AWS_LAMBDA_LOG_LEVEL": "warn",
                "http_proxy": "", "https_proxy": "", "HTTP_PROXY": "", "HTTPS_PROXY": "",
            ],
            timeoutSeconds: 60,
            // A thousand EMF records and log lines go to a file, not the test output.
            logFile: logs.appendingPathComponent("soak.log")
        )
        defer { emulator.stop() }
        let warmUp = max(1, Self.invocations / 10)
        var baseline: (rss: Int, fds: Int, pid: Int32)?
        var failures = 0
        for index in 0..<Self.invocations {
            // Every tenth invocation is an invalid capture: error paths must not leak either.
            let key = index % 10 == 9 ? "captures/bad.pcap" : "captures/a.pcap"
            let response = try emulator.invoke(#"{"bucket": "\#(bucket)", "key": "\#(key)"}"#)
            if (response.functionError != nil) != (key == "captures/bad.pcap") { failures += 1 }
            if index + 1 == warmUp, let pid = emulator.functionProcessIdentifier,
                let rss = Self.residentKilobytes(pid), let fds = Self.descriptors(pid)
            {
                baseline = (rss, fds, pid)
            }
        }
        let pid = try #require(emulator.functionProcessIdentifier)
        let rss = try #require(Self.residentKilobytes(pid))
        let fds = try #require(Self.descriptors(pid))
        let start = try #require(baseline)
        print(
            "soak: \(Self.invocations) invocations; after warm-up RSS \(start.rss) KB, \(start.fds) fds; at the end RSS \(rss) KB, \(fds) fds"
        )
        #expect(failures == 0)
        #expect(pid == start.pid, "one process served every invocation")
        #expect(fds == start.fds)
        // Allocator noise: a few hundred KB; a leak of even 1 KB per invocation would show as ~900 KB.
        #expect(rss - start.rss < 768, "RSS grew from \(start.rss) KB to \(rss) KB")
    }
}
