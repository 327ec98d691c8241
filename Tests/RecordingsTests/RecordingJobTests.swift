import Capture
import Foundation
import HTTPClient
import Logging
import S3
import SigV4
import TestSupport
import Testing
import Transcoder

@testable import Recordings

/// The run both front ends share (`RecordingJob`: spool, ingest, stage, commit), on local files and on the
/// loopback S3 server: what it leaves where, and how its failures are typed.
@Suite("RecordingJob")
struct RecordingJobTests {
    static let alice = Endpoint(address: IPAddress(ipv4: 0xC000_0201), port: 40000)
    static let bob = Endpoint(address: IPAddress(ipv4: 0xC633_6402), port: 50000)

    static let capture: [UInt8] = {
        var a = SynthLeg(codec: .pcmu, source: alice, destination: bob)
        a.durationSeconds = 6
        var b = SynthLeg(codec: .pcma, source: bob, destination: alice)
        b.ssrc = 0x2222_2222
        b.durationSeconds = 6
        var synth = CallSynthesizer(legs: [a, b])
        synth.withSIP = true
        return synth.capture()
    }()

    /// A folder holding `call.pcap`, removed after the test.
    final class Folder {
        let url: URL
        init() throws {
            url = try Subprocess.temporaryDirectory()
            try Data(RecordingJobTests.capture).write(to: url.appendingPathComponent("call.pcap"))
        }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func job(
        in folder: Folder,
        recording: String = "call.mp3",
        report: String? = "call.json"
    )
        -> RecordingJob
    {
        RecordingJob(
            input: .file(folder.path("call.pcap")),
            outputs: OutputPlan(
                recording: .file(folder.path(recording)),
                report: report.map { .file(folder.path($0)) }
            ),
            temporaryDirectory: folder.url.path
        )
    }

    // Proves a local run puts the recording and its report in place, the report naming the recording's SHA-256
    // as the file has it, with no download or upload times, and nothing else left in the folder.
    @Test func localRun() throws {
        let folder = try Folder()
        let result = try Self.job(in: folder).run()
        #expect(try folder.names() == ["call.json", "call.mp3", "call.pcap"])
        let mp3 = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.path("call.mp3"))))
        #expect(result.recording.sha256 == SHA256.hash(mp3))
        #expect(result.recording.byteCount == mp3.count)
        let report = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder.path("call.json")))
        )
        let output = (report as? [String: Any])?["output"] as? [String: Any]
        #expect(output?["sha256"] as? String == Hex.encode(SHA256.hash(mp3)))
        let timings = (report as? [String: Any])?["timings"] as? [String: Any]
        #expect(timings?["downloadMilliseconds"] == nil && timings?["uploadMilliseconds"] == nil)
    }

    // Proves the same bytes come out of the run as out of the two steps run by hand on the capture in memory.
    @Test func sameBytesAsTheTwoSteps() throws {
        let folder = try Folder()
        _ = try Self.job(in: folder, report: nil).run()
        var ingest = CaptureIngest(name: "call.pcap")
        try ingest.append(Self.capture)
        let contents = try ingest.finish()
        let encoded = try RecordingEncoder.encode(
            contents: contents,
            call: try contents.selectCall(nil),
            source: MemorySource(bytes: Self.capture, name: "call.pcap"),
            settings: TranscodeSettings()
        )
        let mp3 = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.path("call.mp3"))))
        #expect(mp3 == encoded.recording.bytes)
    }

    // Proves a run that fails after its outputs were staged (settings LAME refuses, found when the encoder is set
    // up) leaves nothing at either output path and no temporary file, and says the output side failed.
    @Test func failedRunLeavesNothing() throws {
        let folder = try Folder()
        var job = Self.job(in: folder)
        job.settings.bitrate = 999
        let error = #expect(throws: TranscodeError.self) { try job.run() }
        #expect(error?.code == .invalidSettings)
        #expect(error?.side == .output)
        #expect(try folder.names() == ["call.pcap"])
    }

    // Proves a missing input is the error reported (the input side's), before any output is made.
    @Test func missingInput() throws {
        let folder = try Folder()
        var job = Self.job(in: folder)
        job.input = .file(folder.path("absent.pcap"))
        let error = #expect(throws: TranscodeError.self) { try job.run() }
        #expect(error?.code == .io && error?.side == .input)
        #expect(error?.description == folder.path("absent.pcap") + ": no such file")
        #expect(try folder.names() == ["call.pcap"])
    }

    // Proves a deadline already passed stops the run while it reads, leaving nothing.
    @Test func deadline() throws {
        let folder = try Folder()
        var job = Self.job(in: folder)
        job.deadline = .now - .seconds(1)
        let error = #expect(throws: TranscodeError.self) { try job.run() }
        #expect(error?.code == .deadlineExceeded)
        #expect(try folder.names() == ["call.pcap"])
    }

    // Proves an S3 location with no client configured is refused with a clear error, not a crash.
    @Test func s3WithoutClient() throws {
        let folder = try Folder()
        var job = Self.job(in: folder)
        job.outputs.recording = Location("s3://bucket/call.mp3")
        let error = #expect(throws: TranscodeError.self) { try job.run() }
        #expect(error?.description == "s3://bucket/call.mp3: no S3 client configured for an S3 location")
        #expect(try folder.names() == ["call.pcap"])
    }

    // Proves a run from S3 to S3 (the Lambda function's, and the CLI's s3:// one): the capture spooled while
    // pass 1 reads it, the recording and the report uploaded in that order, the report carrying the ETag, the
    // download and upload times, and the scratch folder left empty.
    @Test(.enabled(if: S3TestServer.shouldRun)) func s3ToS3() throws {
        let server = try S3TestServer.shared()
        let http = try HTTPClient(configuration: .init(caBundlePath: nil))
        let s3 = S3Client(
            configuration: S3Configuration(
                region: server.region,
                credentials: AWSCredentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey),
                endpoint: server.endpoint
            ),
            httpClient: http,
            logger: Logger(label: "RecordingJobTests")
        )
        let bucket = "recordings-\(UUID().uuidString.prefix(8).lowercased())"
        try s3.createBucket(bucket)
        _ = try s3.putObject(bucket: bucket, key: "captures/call.pcap", body: Self.capture)
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var job = RecordingJob(
            input: Location("s3://\(bucket)/captures/call.pcap"),
            outputs: OutputPlan(
                recording: Location("s3://\(bucket)/recordings/call.mp3"),
                report: Location("s3://\(bucket)/recordings/call.json")
            ),
            temporaryDirectory: scratch.path
        )
        job.s3 = s3
        let result = try job.run()
        let (mp3, _) = try s3.getObjectBytes(bucket: bucket, key: "recordings/call.mp3")
        #expect(SHA256.hash(mp3) == result.recording.sha256)
        let (json, _) = try s3.getObjectBytes(bucket: bucket, key: "recordings/call.json")
        let report = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
        let timings = report?["timings"] as? [String: Any]
        #expect(timings?["downloadMilliseconds"] is Double && timings?["uploadMilliseconds"] is Double)
        #expect((report?["input"] as? [String: Any])?["eTag"] is String)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }
}

/// The spool of a capture that can be read only once as it arrives.
@Suite("SpooledSource")
struct SpooledSourceTests {
    struct DownloadFailed: Error, Equatable {}

    // Proves the first read is the download (every piece handed on as it arrives, and spooled), the second reads
    // the spool, and the download's metadata is kept.
    @Test func downloadsOnceThenReadsTheSpool() throws {
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var downloads = 0
        let source = try SpooledSource(name: "s3://b/k", directory: scratch.path) { deliver in
            downloads += 1
            for start in stride(from: 0, to: bytes.count, by: 7_000) {
                try Array(bytes[start..<min(bytes.count, start + 7_000)]).withUnsafeBytes { try deliver($0) }
            }
            return "etag"
        }
        var first: [UInt8] = []
        try source.read { first += $0 }
        var second: [UInt8] = []
        try source.read { second += $0 }
        #expect(first == bytes && second == bytes && downloads == 1)
        #expect(source.metadata == "etag")
        source.remove()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    // Proves the download's own error comes back as an input-side I/O error that keeps it, while an error of the
    // reading side stops the download and comes back as it was thrown.
    @Test func errorsByWhoThrewThem() throws {
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let failing = try SpooledSource(name: "s3://b/k", directory: scratch.path) { deliver in
            try [1, 2, 3].withUnsafeBytes { try deliver($0) }
            throw DownloadFailed()
        }
        let download = #expect(throws: TranscodeError.self) { try failing.read { _ in } }
        #expect(download?.code == .io && download?.side == .input)
        #expect(download?.underlying as? DownloadFailed == DownloadFailed())
        var pieces = 0
        let stopped = try SpooledSource(name: "s3://b/k", directory: scratch.path) { deliver in
            for _ in 0..<10 { try [1, 2, 3].withUnsafeBytes { try deliver($0) } }
        }
        let reader = #expect(throws: TranscodeError.self) {
            try stopped.read { (_) throws(TranscodeError) in
                pieces += 1
                throw TranscodeError(.invalidCapture, input: "s3://b/k", reason: "not a capture")
            }
        }
        #expect(reader?.code == .invalidCapture && pieces == 1)
    }
}
