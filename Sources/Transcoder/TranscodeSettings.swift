public import CallTimeline
public import SecureRTP

/// The output container.
public enum OutputFormat: String, Sendable, CaseIterable {
    case mp3
    case wav

    /// The format an output name's extension asks for, if any.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".mp3") {
            self = .mp3
        } else if lower.hasSuffix(".wav") {
            self = .wav
        } else {
            return nil
        }
    }

    public var fileExtension: String { rawValue }
    public var contentType: String { self == .mp3 ? "audio/mpeg" : "audio/wav" }
}

/// Everything that decides the bytes of a recording (SPEC §4, §5). Equal settings and input give an identical
/// recording.
public struct TranscodeSettings: Sendable {
    public var format: OutputFormat = .mp3
    public var channels: ChannelLayout = .stereo
    /// CBR bitrate in kbit/s; nil for the default of the rate and channels (32 at 8 kHz stereo, 48 at 16 kHz).
    public var bitrate: Int?
    /// VBR quality 0 (best) to 9; when set, wins over `bitrate`.
    public var vbrQuality: Int?
    /// 8000 or 16000; nil picks 16000 when any leg is G.722, else 8000 (SPEC §3.8).
    public var sampleRate: Int?
    /// 1-based call number (`--call N`); nil records the longest call.
    public var callNumber: Int?
    public var timeline = TimelineOptions()
    /// Encode on a second thread when the machine has a second core and a leg is G.722 or resampled
    /// (`EncodeWorker.pays(for:rate:)`); the same bytes either way. On by default, as the Lambda function runs:
    /// there the bill is wall time. The command line turns it off unless asked (`--encoder-thread`), since the
    /// thread costs CPU time (about 5 % on the 2-vCPU bench machine).
    public var encoderThread = true
    /// SRTP keys given before the capture is read (`--srtp-key`, `--srtp-keys`, the Lambda key object; SPEC §2.4);
    /// the capture's own SDES keys are added as its SDP bodies are read. Secrets: never printed.
    public var srtpKeys = SRTPKeyRing()

    public init() {}
}

/// The product's version, written into the MP3's ID3 tag and the report.
package enum ProductVersion {
    package static let string = "0.1.0"
    package static var toolName: String { "rtp2mp3 \(string)" }
}
