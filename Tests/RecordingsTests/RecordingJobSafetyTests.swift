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

/// What a run refuses before any work (issue 17): outputs written over the input or over each other, outputs that
/// cannot be made; and what a failed run leaves: nothing but its report, where one was asked for.
@Suite("RecordingJob safety")
struct RecordingJobSafetyTests {
    typealias Folder = RecordingJobTests.Folder

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func json(_ path: String) throws -> [String: Any]? {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
    }

    // Proves an output that is the input (by name, or through a link) is refused before any work, as
    // `invalidSettings`, and the capture keeps its bytes.
    @Test(
        "an output over the input is refused, the capture untouched",
        arguments: [
            ("call.pcap", "call.json"),
            ("call.mp3", "call.pcap"),
            ("link.mp3", "call.json"),
            ("call.mp3", "./call.pcap"),
        ]
    )
    func outputOverInput(recording: String, report: String) throws {
        let folder = try Folder()
        try FileManager.default.createSymbolicLink(atPath: folder.path("link.mp3"), withDestinationPath: "call.pcap")
        let before = try Self.bytes(folder.path("call.pcap"))
        let error = #expect(throws: TranscodeError.self) {
            try RecordingJobTests.job(in: folder, recording: recording, report: report).run()
        }
        #expect(error?.code == .invalidSettings)
        #expect(error?.description.contains("would be written over the input") == true)
        #expect(try Self.bytes(folder.path("call.pcap")) == before)
        #expect(try folder.names() == ["call.pcap", "link.mp3"])
    }

    // Proves a report at the recording's path is refused (it would replace the recording with JSON).
    @Test func reportOverRecording() throws {
        let folder = try Folder()
        let error = #expect(throws: TranscodeError.self) {
            try RecordingJobTests.job(in: folder, recording: "call.wav", report: "call.wav").run()
        }
        #expect(error?.code == .invalidSettings)
        #expect(error?.description.contains("the report would be written over the recording") == true)
        #expect(try folder.names() == ["call.pcap"])
    }

    // Proves a report in a missing folder, or naming a folder, fails before the capture is read: the input here
    // is not a capture, so reading it would have failed first with `invalidCapture`.
    @Test("an output that cannot be made fails before any work", arguments: ["absent/call.json", "sub"])
    func outputNotCreatable(report: String) throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(atPath: folder.path("sub"), withIntermediateDirectories: false)
        try Data("not a capture".utf8).write(to: URL(fileURLWithPath: folder.path("call.pcap")))
        let error = #expect(throws: TranscodeError.self) {
            try RecordingJobTests.job(in: folder, report: report).run()
        }
        #expect(error?.code == .io && error?.side == .output)
        #expect(error?.description.hasPrefix(folder.path(report) + ": ") == true)
        #expect(error?.description.contains(".tmp-") == false, "never the temporary file's name")
        #expect(try folder.names() == ["call.pcap", "sub"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("sub")).isEmpty)
    }

    // Proves a run that fails on the capture still writes the report asked for (the error, and what was found),
    // and no recording.
    @Test func failedRunWritesItsReport() throws {
        let folder = try Folder()
        var job = RecordingJobTests.job(in: folder)
        job.settings.callNumber = 9
        let error = #expect(throws: TranscodeError.self) { try job.run() }
        #expect(error?.code == .noSuchCall)
        #expect(try folder.names() == ["call.json", "call.pcap"])
        let report = try Self.json(folder.path("call.json"))
        let failure = report?["error"] as? [String: Any]
        #expect(failure?["code"] as? String == "noSuchCall")
        #expect(failure?["message"] as? String == error?.description)
        #expect((report?["calls"] as? [Any])?.count == 1)
        #expect((report?["streams"] as? [Any])?.count == 2)
        #expect(report?["output"] == nil)
    }

    // Proves a capture that cannot be read at all still gets its report, naming the input and the error.
    @Test func unreadableCaptureReport() throws {
        let folder = try Folder()
        try Data("not a capture".utf8).write(to: URL(fileURLWithPath: folder.path("call.pcap")))
        #expect(throws: TranscodeError.self) { try RecordingJobTests.job(in: folder).run() }
        #expect(try folder.names() == ["call.json", "call.pcap"])
        let report = try Self.json(folder.path("call.json"))
        #expect((report?["error"] as? [String: Any])?["code"] as? String == "invalidCapture")
        #expect((report?["input"] as? [String: Any])?["name"] as? String == folder.path("call.pcap"))
    }

    // Proves the recording and the report are committed together: a report that cannot be put in place (its
    // bucket does not exist) takes the recording, already renamed into place, away with it.
    @Test(.enabled(if: S3TestServer.shouldRun)) func recordingAndReportTogether() throws {
        let server = try S3TestServer.shared()
        let http = try HTTPClient(configuration: .init(caBundlePath: nil))
        let folder = try Folder()
        var job = RecordingJobTests.job(in: folder)
        job.outputs.report = Location("s3://absent-\(UUID().uuidString.prefix(8).lowercased())/call.json")
        job.s3 = S3Client(
            configuration: S3Configuration(
                region: server.region,
                credentials: AWSCredentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey),
                endpoint: server.endpoint
            ),
            httpClient: http,
            logger: Logger(label: "RecordingJobSafetyTests")
        )
        let error = #expect(throws: TranscodeError.self) { try job.run() }
        #expect(error?.side == .output)
        #expect(try folder.names() == ["call.pcap"])
    }
}
