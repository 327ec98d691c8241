import S3
import Testing
import Transcoder

@testable import LambdaRuntime

/// The SPEC §6.5 type a pipeline failure takes: the fault of the capture, of the source, or of the output,
/// decided on the error's code, its side and the S3 error it keeps, never on its text or a path.
@Suite("Lambda handler: pipeline failures by type")
struct TranscodingHandlerErrorTests {
    static let ref = ObjectRef(bucket: "calls", key: "captures/c.pcap")
    static let name = "s3://calls/captures/c.pcap"

    static func type(of error: TranscodeError) -> RecordingError {
        TranscodingHandler.recordingError(error, ref: ref)
    }

    static func s3Error(_ code: S3Error.Code, operation: String, key: String) -> S3Error {
        S3Error(code: code, message: "failed", operation: operation, bucket: "calls", key: key)
    }

    // Proves an I/O failure of a staged output (/tmp full) is the output's fault, while the same code on the
    // capture's side (its spool) stays SourceUnavailable, and a capture without RTP is InvalidCapture.
    @Test func localFailuresBySide() {
        let full = TranscodeError(.io, input: "/tmp/rtp2mp3-output-0", reason: "write failed", side: .output)
        #expect(Self.type(of: full).code == .outputFailed)
        let spool = TranscodeError(.io, input: "/tmp/rtp2mp3-capture.x", reason: "write failed", side: .input)
        #expect(Self.type(of: spool).code == .sourceUnavailable)
        let invalid = TranscodeError(.noRTP, input: Self.name, reason: "no RTP")
        #expect(Self.type(of: invalid).code == .invalidCapture)
        #expect(Self.type(of: invalid).isPermanent)
    }

    // Proves the S3 error a transfer kept decides: a missing capture is a permanent SourceUnavailable, a failed
    // upload is OutputFailed naming the object that failed, and a deadline stops either as DeadlineExceeded.
    @Test func storageFailuresByCause() {
        func failure(_ code: S3Error.Code, _ side: TranscodeError.Side, key: String) -> RecordingError {
            let s3 = Self.s3Error(code, operation: side == .input ? "GetObject" : "PutObject", key: key)
            return Self.type(
                of: TranscodeError(.io, input: "s3://calls/\(key)", reason: "\(s3)", side: side, underlying: s3)
            )
        }
        let missing = failure(.noSuchKey, .input, key: "captures/c.pcap")
        #expect(missing.code == .sourceUnavailable && missing.isPermanent)
        let denied = failure(.accessDenied, .input, key: "captures/c.pcap")
        #expect(denied.code == .sourceUnavailable && !denied.isPermanent)
        let upload = failure(.internalError, .output, key: "recordings/c.json")
        #expect(upload.code == .outputFailed && upload.key == "recordings/c.json")
        #expect(failure(.deadlineExceeded, .input, key: "captures/c.pcap").code == .deadlineExceeded)
        #expect(failure(.deadlineExceeded, .output, key: "recordings/c.mp3").code == .deadlineExceeded)
    }
}
