import CallTimeline
import Transcoder

/// The pipeline's two steps run one after the other on a source, as `Recordings.RecordingJob` runs them:
/// `CaptureIngest` (pass 1) builds the calls, the longest is chosen, `RecordingEncoder` (pass 2) encodes it.
enum TwoSteps {
    struct Result {
        var contents: CaptureContents
        var call: Call
        var recording: EncodedRecording
        /// What pass 2 measured besides the audio (quality, talk time; the picture when asked).
        var rendering: RecordingEncoder.Rendering
    }

    static func transcode(
        _ source: some CaptureSource,
        settings: TranscodeSettings,
        output: LocalFiles.OutputFile? = nil,
        picture: Bool = false,
        shouldContinue: (() -> Bool)? = nil
    ) throws(TranscodeError) -> Result {
        var ingest = CaptureIngest(name: source.name, options: settings.timeline, keys: settings.srtpKeys)
        try source.read { (chunk) throws(TranscodeError) in try ingest.append(chunk) }
        let contents = try ingest.finish()
        let encoded = try RecordingEncoder.encode(
            contents: contents,
            call: try contents.selectCall(settings.callNumber),
            source: source,
            settings: settings,
            output: output,
            picture: picture,
            shouldContinue: shouldContinue
        )
        return Result(
            contents: contents,
            call: encoded.call,
            recording: encoded.recording,
            rendering: encoded.rendering
        )
    }
}
