import CallTimeline

/// The report of a run that made no recording: what was found before it failed, and the error (SPEC §4's sidecar,
/// issue 17). Written where the report was asked for, so that what a capture holds (an events-only capture's
/// digits, say) is not visible only through `rtp2mp3 inspect`. A recording is never written with it.
public struct FailureReport: Encodable, Sendable {
    /// The error, as the CLI prints it and the Lambda function reports it.
    struct Failure: Encodable, Sendable {
        /// `noAudio`, `noRTP`, `invalidCapture`, … (``TranscodeError/Code``).
        var code: String
        /// `input` or `output`: which end of the pipeline failed.
        var side: String
        var message: String
    }

    /// The input as far as it was read: its statistics once the capture was read, else its name.
    enum InputInfo: Encodable, Sendable {
        case read(TranscodeReport.Input)
        case unread(name: String, eTag: String?)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .read(let input):
                try input.encode(to: encoder)
            case .unread(let name, let eTag):
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(name, forKey: .name)
                try container.encodeIfPresent(eTag, forKey: .eTag)
            }
        }

        private enum Key: String, CodingKey {
            case name
            case eTag
        }
    }

    var tool = TranscodeReport.Tool()
    var input: InputInfo
    var error: Failure
    /// The calls found (each as a successful report lists the other calls).
    var calls: [TranscodeReport.OtherCall]
    /// Every stream found, with its DTMF.
    var streams: [TranscodeReport.Stream]
    var nonAudioPackets: [String: Int]
    var warnings: [String]
    var settings: TranscodeReport.Settings

    /// The report of `error`; `contents` is what pass 1 found, nil when the capture could not be read.
    public init(
        error: TranscodeError,
        input: String,
        contents: CaptureContents?,
        settings: TranscodeSettings,
        eTag: String? = nil
    ) {
        self.error = Failure(code: error.code.rawValue, side: error.side.rawValue, message: error.description)
        self.settings = TranscodeReport.settings(settings)
        guard let contents else {
            self.input = .unread(name: input, eTag: eTag)
            calls = []
            streams = []
            nonAudioPackets = [:]
            warnings = []
            return
        }
        let summary = contents.timeline.summary
        self.input = .read(TranscodeReport.Input(contents, eTag: eTag))
        calls = summary.calls.map(TranscodeReport.OtherCall.init)
        let labels = TranscodeReport.legLabels(summary)
        streams = summary.streams.enumerated().map { TranscodeReport.stream($1, leg: labels[$0]) }
        nonAudioPackets = summary.nonAudio
        warnings = summary.warnings
    }

    /// Pretty, key-sorted JSON with a final newline, as the report of a successful run.
    public func json() -> [UInt8] {
        JSONText.encode(self)
    }
}
