import Capture
import Foundation
import HTTPClient
import Logging
import S3
import SecureRTP
import SigV4
import TestSupport
import Testing
import Transcoder

@testable import Recordings

/// The SRTP key object of an S3 capture (SPEC §2.4, §6.3): `<capture key><suffix>`, read with the capture; a
/// missing one is no error, a malformed one is an invalid capture naming it; no key in any message.
@Suite("RecordingJob SRTP key object", .enabled(if: S3TestServer.shouldRun))
struct RecordingJobSRTPTests {
    static let alice = Endpoint(address: IPAddress(ipv4: 192, 0, 2, 10), port: 40_000)
    static let bob = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 20), port: 50_000)

    /// A two-way SRTP call whose keys are only in its key file.
    static let writer: SRTPCallWriter = {
        var caller = SynthLeg(codec: .pcma, source: alice, destination: bob)
        caller.durationSeconds = 2
        var callee = SynthLeg(codec: .pcmu, source: bob, destination: alice)
        callee.durationSeconds = 2
        callee.ssrc = 0x2222_2222
        callee.seed = 2
        var synth = CallSynthesizer(legs: [caller, callee])
        synth.withSIP = true
        return SRTPCallWriter(
            call: synth,
            senders: [.init(suite: .aes128HMACSHA1_80, seed: 11), .init(suite: .aeadAES128GCM, seed: 22)],
            placement: .keyFile
        )
    }()

    static var secrets: [String] {
        writer.senders.flatMap(\.keys).map { key in key.withUnsafeBytes { SRTPCallWriter.base64(Array($0)) } }
    }

    /// A bucket holding the capture (and `keyObject` at its key + `.keys.json` when given), and a job on it.
    static func job(keyObject: [UInt8]?) throws -> (RecordingJob, S3Client, bucket: String, scratch: URL) {
        let server = try S3TestServer.shared()
        let s3 = S3Client(
            configuration: S3Configuration(
                region: server.region,
                credentials: AWSCredentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey),
                endpoint: server.endpoint
            ),
            httpClient: try HTTPClient(configuration: .init(caBundlePath: nil)),
            logger: Logger(label: "RecordingJobSRTPTests")
        )
        let bucket = "srtp-\(UUID().uuidString.prefix(8).lowercased())"
        try s3.createBucket(bucket)
        _ = try s3.putObject(bucket: bucket, key: "captures/call.pcap", body: writer.capture())
        if let keyObject { _ = try s3.putObject(bucket: bucket, key: "captures/call.pcap.keys.json", body: keyObject) }
        let scratch = try Subprocess.temporaryDirectory()
        var job = RecordingJob(
            input: Location("s3://\(bucket)/captures/call.pcap"),
            outputs: OutputPlan(
                recording: Location("s3://\(bucket)/recordings/call.mp3"),
                report: Location("s3://\(bucket)/recordings/call.json")
            ),
            temporaryDirectory: scratch.path
        )
        job.s3 = s3
        job.srtpKeyObjectSuffix = ".keys.json"
        return (job, s3, bucket, scratch)
    }

    static func failure(_ job: RecordingJob) -> TranscodeError? {
        do {
            _ = try job.run()
            return nil
        } catch {
            return error
        }
    }

    @Test("capture plus key object: a recording, the streams decrypted with keys from the key file")
    func withKeyObject() throws {
        let (job, s3, bucket, scratch) = try Self.job(keyObject: Self.writer.keyFile())
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try job.run()
        let streams = result.contents.timeline.summary.streams
        #expect(streams.count == 2)
        #expect(streams.allSatisfy { $0.encryption?.status == .decrypted && $0.encryption?.keyOrigin == .keyFile })
        let (json, _) = try s3.getObjectBytes(bucket: bucket, key: "recordings/call.json")
        let text = String(decoding: json, as: UTF8.self)
        #expect(!Self.secrets.contains { text.contains($0) })
    }

    @Test("capture without key object: invalid capture saying the media is encrypted, only the report written")
    func withoutKeyObject() throws {
        let (job, s3, bucket, scratch) = try Self.job(keyObject: nil)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let error = Self.failure(job)
        #expect(error?.code == .encryptedMedia && error?.isInvalidInput == true)
        #expect(error?.description.contains(".keys.json") == true)
        // No recording; the failed run's report (the error, the streams and their encryption evidence).
        let written = try s3.listObjectsV2(bucket: bucket, prefix: "recordings/").objects.map(\.key)
        #expect(written == ["recordings/call.json"])
        let (json, _) = try s3.getObjectBytes(bucket: bucket, key: "recordings/call.json")
        #expect(String(decoding: json, as: UTF8.self).contains("\"encryptedMedia\""))
    }

    @Test("a malformed key object: invalid capture naming it, never the key")
    func malformedKeyObject() throws {
        var bytes = Self.writer.keyFile()
        bytes.removeLast(3)
        let (job, _, _, scratch) = try Self.job(keyObject: bytes)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let error = Self.failure(job)
        #expect(error?.code == .invalidCapture)
        #expect(error?.description.contains("captures/call.pcap.keys.json") == true)
        #expect(!Self.secrets.contains { error?.description.contains($0) == true })
    }
}
