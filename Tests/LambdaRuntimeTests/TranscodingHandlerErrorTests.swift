import Testing
import Transcoder

@testable import LambdaRuntime

/// The SPEC §6.5 type a pipeline failure takes: the fault of the capture, of the source, or of the output.
@Suite("Lambda handler: pipeline failures by type")
struct TranscodingHandlerErrorTests {
    static let ref = ObjectRef(bucket: "calls", key: "captures/c.pcap")
    static let recording = "/tmp/rtp2mp3-recording"

    static func type(of error: TranscodeError) -> RecordingError.Code {
        TranscodingHandler.pipelineError(error, ref: ref, recordingPath: recording).code
    }

    // Proves an I/O failure of the recording's own file (/tmp full) is the output's fault, not the source's,
    // while the same code on the capture stays SourceUnavailable.
    @Test func recordingFileFailureIsOutputFailed() {
        let full = TranscodeError(.io, input: Self.recording, reason: "write failed: No space left on device")
        #expect(Self.type(of: full) == .outputFailed)
        let source = TranscodeError(.io, input: "s3://calls/captures/c.pcap", reason: "read failed")
        #expect(Self.type(of: source) == .sourceUnavailable)
        let invalid = TranscodeError(.noRTP, input: "s3://calls/captures/c.pcap", reason: "no RTP")
        #expect(Self.type(of: invalid) == .invalidCapture)
    }
}
