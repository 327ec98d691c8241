import ArgumentParser
import CallTimeline
import Transcoder

/// `rtp2mp3 inspect INPUT`: streams, calls, legs, codecs, loss, jitter, gaps, quality, talk time and warnings as
/// JSON on stdout; the legs are those a transcode's report gives (each call is rendered, without encoding).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract:
            "Print what a capture holds (streams, calls, legs, codecs, loss, jitter, gaps, quality, warnings) as JSON."
    )

    @Argument(help: "The capture: a file path or s3://bucket/key.")
    var input: String

    @Option(name: .customLong("pt"), help: "Map a dynamic payload type: PT=CODEC. Repeatable.")
    var payloadTypes: [String] = []

    @Option(help: "Which leg is A: caller, callee, an address or a CIDR.")
    var left: String?

    @OptionGroup(title: "SRTP keys") var srtp: SRTPKeyOptions

    @Option(help: "Also draw the picture of the call a transcode would record (SVG) to this file.")
    var picture: String?

    func validate() throws {
        if let picture { try PictureOption.check(picture, against: [("the input", input)]) }
    }

    func run() throws {
        var settings = TranscodeSettings()
        settings.timeline.payloadTypes = try PayloadTypeOption.parse(payloadTypes)
        if let left {
            guard let rule = LeftChannelRule(left) else {
                throw ValidationError("--left \(left): expected caller, callee, an address or a CIDR")
            }
            settings.timeline.left = rule
        }
        settings.srtpKeys = try srtp.ring()
        try CommandLineIO.run(input: input) {
            let result = try CommandLineIO.inspect(input: input, settings: settings, picture: picture)
            var json = result.inspection.json()
            json.withUnsafeMutableBytes { bytes in _ = CommandLineIO.writeStandardOutput(UnsafeRawBufferPointer(bytes))
            }
        }
    }
}
