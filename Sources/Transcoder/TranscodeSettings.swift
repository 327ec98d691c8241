public import CallTimeline
import MP3Encoder
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
    /// One of ``RecordingEncoder/sampleRates``; nil picks 16000 when any leg is wideband (G.722, AMR-WB, Speex
    /// wideband, Opus), else 8000 (SPEC §3.8).
    public var sampleRate: Int?
    /// 1-based call number (`--call N`); nil records the longest call.
    public var callNumber: Int?
    /// Every call to its own recording and report (`--all-calls`, `CALLS=all`; SPEC §4), named with `-callN`;
    /// excludes `callNumber`.
    public var allCalls = false
    public var timeline = TimelineOptions()
    /// Encode on a second thread when the machine has a second core and a leg needs decoding work or resampling
    /// (`EncodeWorker.pays(for:rate:)`); the same bytes either way. On by default, as the Lambda function runs:
    /// there the bill is wall time. The command line turns it off unless asked (`--encoder-thread`), since the
    /// thread costs CPU time (about 5 % on the 2-vCPU bench machine).
    public var encoderThread = true
    /// SRTP keys given before the capture is read (`--srtp-key`, `--srtp-keys`, the Lambda key object; SPEC §2.4);
    /// the capture's own SDES keys are added as its SDP bodies are read. Secrets: never printed.
    public var srtpKeys = SRTPKeyRing()

    public init() {}

    /// The rates a recording with these settings can have: the one asked for, else those SPEC §3.8 picks
    /// (8000 Hz, or 16000 Hz when a leg is wideband).
    public var possibleSampleRates: [Int] { sampleRate.map { [$0] } ?? [8000, 16000] }

    /// The CBR bitrates (kbit/s) LAME offers at every one of `rates`: the layer III table of the MPEG version
    /// each rate selects (``MP3Encoder/bitrates(sampleRate:)``; MPEG-2 and 2.5 stop at 160 kbit/s). The one
    /// place the front ends ask what `--bitrate` and `MP3_BITRATE` may be.
    public static func mp3Bitrates(atEvery rates: [Int]) -> [Int] {
        guard let first = rates.first else { return [] }
        return MP3Encoder.bitrates(sampleRate: first).filter { bitrate in
            rates.allSatisfy { MP3Encoder.bitrates(sampleRate: $0).contains(bitrate) }
        }
    }

    /// The VBR qualities LAME offers: 0 (best) to 9 (smallest), at every rate.
    public static let vbrQualities = Array(0...9)

    /// Why these settings cannot make a recording at some rate they may produce, or nil: a bitrate LAME does not
    /// offer there, a VBR quality outside 0–9, both at once, or `--call` with `--all-calls`. Checked before any
    /// work (`TranscodeError.Code.invalidSettings`).
    public var problem: String? {
        if bitrate != nil, vbrQuality != nil { return "a CBR bitrate and a VBR quality exclude each other" }
        if allCalls, callNumber != nil { return "one call and all calls exclude each other" }
        if let vbrQuality, !Self.vbrQualities.contains(vbrQuality) {
            return "VBR quality \(vbrQuality): expected 0 (best) to 9 (smallest)"
        }
        if let bitrate, format == .mp3 {
            let rates = possibleSampleRates
            let allowed = Self.mp3Bitrates(atEvery: rates)
            guard !allowed.contains(bitrate) else { return nil }
            let where_ = rates.map { "\($0)" }.joined(separator: " and ") + " Hz"
            return "bitrate \(bitrate) kbit/s is not offered at \(where_): expected one of "
                + allowed.map(String.init).joined(separator: ", ")
        }
        return nil
    }
}

/// The product's version, written into the MP3's ID3 tag and the report.
package enum ProductVersion {
    package static let string = "0.1.0"
    package static var toolName: String { "rtp2mp3 \(string)" }
}
