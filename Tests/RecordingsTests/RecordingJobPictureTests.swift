import Foundation
import HTTPClient
import Logging
import S3
import SigV4
import TestSupport
import Testing
import Transcoder

@testable import Recordings

/// The picture as one of a run's outputs (SPEC §4): staged with the recording and the report, put in place only
/// when all of them succeed, locally and on S3 (`image/svg+xml`).
@Suite("RecordingJob with a picture")
struct RecordingJobPictureTests {
    static func job(in folder: RecordingJobTests.Folder) -> RecordingJob {
        var job = RecordingJobTests.job(in: folder)
        job.outputs.picture = .file(folder.path("call.svg"))
        return job
    }

    // Proves a local run puts the picture in place beside the recording and the report, the report's MOS in its
    // header, and nothing else.
    @Test func localRun() throws {
        let folder = try RecordingJobTests.Folder()
        let result = try Self.job(in: folder).run()
        #expect(try folder.names() == ["call.json", "call.mp3", "call.pcap", "call.svg"])
        let svg = try String(contentsOfFile: folder.path("call.svg"), encoding: .utf8)
        let lowest = try #require(result.analysis.lowestMOS)
        #expect(svg.contains("MOS \(String(format: "%.2f", lowest))"))
        #expect(result.analysis.legs.count == 2)
    }

    // Proves a failed run with a picture asked for leaves no picture either.
    @Test func failedRunLeavesNothing() throws {
        let folder = try RecordingJobTests.Folder()
        var job = Self.job(in: folder)
        job.settings.bitrate = 999
        #expect(throws: TranscodeError.self) { try job.run() }
        #expect(try folder.names() == ["call.pcap"])
    }

    // Proves the picture goes to S3 as image/svg+xml, with the recording and the report, when the outputs are
    // there, and the scratch folder is left empty.
    @Test(.enabled(if: S3TestServer.shouldRun)) func s3() throws {
        let server = try S3TestServer.shared()
        let s3 = S3Client(
            configuration: S3Configuration(
                region: server.region,
                credentials: AWSCredentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey),
                endpoint: server.endpoint
            ),
            httpClient: try HTTPClient(configuration: .init(caBundlePath: nil)),
            logger: Logger(label: "RecordingJobPictureTests")
        )
        let bucket = "pictures-\(UUID().uuidString.prefix(8).lowercased())"
        try s3.createBucket(bucket)
        _ = try s3.putObject(bucket: bucket, key: "captures/call.pcap", body: RecordingJobTests.capture)
        let scratch = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var job = RecordingJob(
            input: Location("s3://\(bucket)/captures/call.pcap"),
            outputs: OutputPlan(
                recording: Location("s3://\(bucket)/recordings/call.mp3"),
                report: Location("s3://\(bucket)/recordings/call.json"),
                picture: Location("s3://\(bucket)/recordings/call.svg")
            ),
            temporaryDirectory: scratch.path
        )
        job.s3 = s3
        _ = try job.run()
        let (svg, metadata) = try s3.getObjectBytes(bucket: bucket, key: "recordings/call.svg")
        #expect(metadata.contentType == "image/svg+xml")
        #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
        _ = try s3.headObject(bucket: bucket, key: "recordings/call.json")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }
}
