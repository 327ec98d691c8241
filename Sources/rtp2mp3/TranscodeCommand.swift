public import ArgumentParser
public import CallTimeline
import MP3Encoder
import PayloadFormats
import Transcoder

/// `rtp2mp3 INPUT [-o OUTPUT] …`
struct TranscodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode",
        abstract: "Turn an RTP capture (pcap, pcapng, rtpdump, gzip) of a phone call into an MP3 or WAV recording.",
        usage: """
            rtp2mp3 INPUT [-o OUTPUT] [options]    (the same as rtp2mp3 transcode INPUT …)
              rtp2mp3 inspect INPUT                  (what the capture holds, as JSON; see rtp2mp3 inspect --help)
            """,
        discussion: """
            Exit status: 0 success, 64 usage, 65 invalid or unsupported input, 74 I/O or network error.

            S3 addresses (s3://bucket/key) use AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
            AWS_SESSION_TOKEN and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL from the environment.
            """
    )

    @Argument(help: "The capture: a file path or s3://bucket/key.")
    var input: String

    @Option(
        name: .shortAndLong,
        help: "Output file or s3://bucket/key; .mp3 or .wav picks the format (default: INPUT with .mp3)."
    )
    var output: String?

    @Option(help: "stereo (left = caller, right = callee) or mono (mixed).")
    var channels: ChannelLayout = .stereo

    @Option(help: ArgumentHelp(Self.bitrateHelp))
    var bitrate: Int?

    /// The bitrates LAME offers at each rate a recording can have (MPEG-2 and 2.5 stop at 160 kbit/s), rates
    /// with the same list said together.
    static var bitrateHelp: String {
        var lists: [(rates: [Int], bitrates: [Int])] = []
        for rate in TranscodeSettings().possibleSampleRates {
            let bitrates = TranscodeSettings.mp3Bitrates(atEvery: [rate])
            if let index = lists.firstIndex(where: { $0.bitrates == bitrates }) {
                lists[index].rates.append(rate)
            } else {
                lists.append(([rate], bitrates))
            }
        }
        let said = lists.map { list in
            "at " + list.rates.map { "\($0) Hz" }.joined(separator: " and ") + ": "
                + list.bitrates.map(String.init).joined(separator: ", ")
        }
        return "MP3 CBR bitrate in kbit/s (default 32 at 8 kHz stereo, 48 at 16 kHz stereo); "
            + said.joined(separator: "; ") + "."
    }

    @Option(name: .customLong("vbr-quality"), help: "MP3 VBR quality, 0 (best) to 9, instead of CBR.")
    var vbrQuality: Int?

    @Option(
        name: .customLong("sample-rate"),
        help: """
            auto, 8000, 16000, 24000 or 48000 (auto: 16000 when any leg is wideband - G.722, AMR-WB, Speex wideband, \
            Opus - else 8000; 24000 and 48000 keep more of an Opus or L16 leg's band).
            """
    )
    var sampleRate: String = "auto"

    @Option(
        help:
            "Which leg goes left: caller, callee, an address or a CIDR (default: caller from SIP, else the first to send)."
    )
    var left: String?

    @Option(
        name: .customLong("pt"),
        help: ArgumentHelp(
            "Map a payload type: PT=NAME[/CLOCK[/CHANNELS]][;FMTP], e.g. 96=opus, 97=AMR-WB/16000;octet-align=1. Repeatable.",
            discussion: PayloadTypeOption.discussion
        )
    )
    var payloadTypes: [String] = []

    @Option(
        name: .customLong("call"),
        help: "Record call N of a capture holding several (see `rtp2mp3 inspect`); default the longest."
    )
    var callNumber: Int?

    @Flag(
        name: .customLong("all-calls"),
        help: "Record every call of the capture: OUTPUT-call1.mp3, -call2, … (and REPORT-call1.json, …)."
    )
    var allCalls = false

    @Option(help: "Also write the JSON report to this file (or s3://bucket/key).")
    var report: String?

    @Option(help: "Also draw the picture of the call (SVG) to this file (or s3://bucket/key).")
    var picture: String?

    @Flag(name: .shortAndLong, help: "No summary line, no progress.")
    var quiet = false

    @OptionGroup(title: "SRTP keys") var srtp: SRTPKeyOptions

    @Flag var threading: Threading = .singleThread

    /// Whether LAME may run on a second core. The command line encodes on one thread by default: the least CPU
    /// time, for the many transcodes a batch runs side by side (as `lame` itself does). The Lambda function, billed
    /// by wall time, uses the second core where it pays (``TranscodeSettings/encoderThread``).
    enum Threading: String, EnumerableFlag {
        case singleThread
        case encoderThread

        static func help(for value: Threading) -> ArgumentHelp? {
            switch value {
            case .singleThread:
                "Encode on the reading thread: the least CPU time."
            case .encoderThread:
                """
                Run LAME on a second core when there is one and a leg is G.722 or resampled: such a call finishes \
                sooner (6 % on 2 cores for a 60-minute G.722 call) for about 6 % more CPU time. Same bytes.
                """
            }
        }
    }

    func validate() throws {
        if bitrate != nil && vbrQuality != nil {
            throw ValidationError("--bitrate and --vbr-quality exclude each other")
        }
        if let vbrQuality, !(0...9).contains(vbrQuality) {
            throw ValidationError("--vbr-quality must be 0 to 9, not \(vbrQuality)")
        }
        if allCalls, callNumber != nil { throw ValidationError("--call and --all-calls exclude each other") }
        if let problem = try settings().problem { throw ValidationError(problem) }
        if let picture {
            try PictureOption.check(
                picture,
                against: [
                    ("the input", input), ("the recording", output ?? Self.defaultOutput(for: input)),
                    ("the report", report),
                ]
            )
        }
    }

    /// The pipeline settings the options ask for.
    func settings() throws -> TranscodeSettings {
        var settings = TranscodeSettings()
        let target = output ?? Self.defaultOutput(for: input)
        guard let format = OutputFormat(fileName: target) else {
            throw ValidationError("cannot tell the format of \(target): end it in .mp3 or .wav")
        }
        settings.format = format
        settings.channels = channels
        settings.bitrate = bitrate
        settings.vbrQuality = vbrQuality
        settings.sampleRate = try Self.sampleRate(sampleRate)
        if let rate = settings.sampleRate, let bitrate, format == .mp3 {
            let carried = MP3Encoder.bitrates(sampleRate: rate)
            guard carried.contains(bitrate) else {
                throw ValidationError(
                    "--bitrate \(bitrate): an MP3 at \(rate) Hz carries "
                        + carried.map(String.init).joined(separator: ", ") + " kbit/s"
                )
            }
        }
        if let left {
            guard let rule = LeftChannelRule(left) else {
                throw ValidationError("--left \(left): expected caller, callee, an IP address or a CIDR")
            }
            settings.timeline.left = rule
        }
        settings.timeline.payloadTypes = try PayloadTypeOption.parse(payloadTypes)
        if let callNumber, callNumber < 1 { throw ValidationError("--call must be 1 or more") }
        settings.callNumber = callNumber
        settings.allCalls = allCalls
        settings.encoderThread = threading == .encoderThread
        settings.srtpKeys = try srtp.ring()
        return settings
    }

    /// The rates `--sample-rate` takes (SPEC §3.8): the telephony ones, and the higher ones Opus decodes at.
    static let sampleRates = [8000, 16000, 24000, 48000]

    /// `auto` (nil) or one of ``sampleRates``.
    static func sampleRate(_ text: String) throws -> Int? {
        if text == "auto" { return nil }
        guard let rate = Int(text), sampleRates.contains(rate) else {
            throw ValidationError("--sample-rate must be auto, 8000, 16000, 24000 or 48000, not \(text)")
        }
        return rate
    }

    /// `call.pcap` → `call.mp3`, `call.pcap.gz` → `call.mp3`; an S3 input keeps its key, local output.
    static func defaultOutput(for input: String) -> String {
        var name = input
        if name.hasPrefix("s3://") {
            name = String(name.split(separator: "/").last ?? "recording")
        }
        if name.lowercased().hasSuffix(".gz") { name.removeLast(3) }
        if let dot = name.lastIndex(of: "."), !name[dot...].contains("/") {
            name = String(name[..<dot])
        }
        return name + ".mp3"
    }

    func run() throws {
        let settings = try settings()
        let target = output ?? Self.defaultOutput(for: input)
        try CommandLineIO.run(input: input) {
            let progress = quiet ? nil : ProgressLine()
            let result = try CommandLineIO.transcode(
                input: input,
                settings: settings,
                target: target,
                report: report,
                picture: picture,
                progress: progress
            )
            progress?.clear()
            // Damage the reader could work around (a file cut off mid-packet) is not fatal, but it is said.
            for warning in result.contents.timeline.summary.warnings {
                CommandLineIO.warn(warning)
            }
            if !quiet {
                for recorded in result.recordings { print(Summary.line(recorded, contents: result.contents)) }
            }
        }
    }
}

extension ChannelLayout: ExpressibleByArgument {}

/// `--pt 96=opus`, `--pt 97=AMR-WB/16000;octet-align=1`: what an SDP `a=rtpmap` and `a=fmtp` would say (SPEC §2.3).
enum PayloadTypeOption {
    static let discussion = """
        NAME is an SDP encoding name: \(Codec.decodedEncodingNames.joined(separator: ", ")). CLOCK is the RTP clock \
        (needed for L16 and for Speex wideband, 16000, and ultra-wideband, 32000); CHANNELS the channel count (L16, \
        opus/48000/2). FMTP are the a=fmtp parameters, ;-separated: octet-align=1 for AMR's octet-aligned mode, \
        annexb=no for G.729, sprop-stereo=1 for Opus. Quote the value in a shell: --pt '97=AMR-WB/16000;octet-align=1'.
        """

    static func parse(_ values: [String]) throws -> [UInt8: Codec] {
        var map: [UInt8: Codec] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let payloadType = UInt8(parts[0]), payloadType < 128 else {
                throw ValidationError("--pt \(value): expected PT=CODEC with PT 0-127, e.g. 96=opus")
            }
            do {
                map[payloadType] = try Codec(specification: String(parts[1]))
            } catch {
                throw ValidationError("--pt \(value): \(error)")
            }
        }
        return map
    }
}
