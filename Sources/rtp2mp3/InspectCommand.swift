import ArgumentParser
import CallTimeline
import Transcoder

/// `rtp2mp3 inspect INPUT`: streams, legs, calls, codecs, loss, jitter and warnings as JSON on stdout.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print what a capture holds (streams, calls, legs, codecs, loss, jitter, warnings) as JSON."
    )

    @Argument(help: "The capture: a file path or s3://bucket/key.")
    var input: String

    @Option(name: .customLong("pt"), help: "Map a dynamic payload type: PT=CODEC. Repeatable.")
    var payloadTypes: [String] = []

    @Option(help: "Which leg is A: caller, callee, an address or a CIDR.")
    var left: String?

    @OptionGroup(title: "SRTP keys") var srtp: SRTPKeyOptions

    func run() throws {
        var options = TimelineOptions()
        options.payloadTypes = try PayloadTypeOption.parse(payloadTypes)
        if let left {
            guard let rule = LeftChannelRule(left) else {
                throw ValidationError("--left \(left): expected caller, callee, an address or a CIDR")
            }
            options.left = rule
        }
        let keys = try srtp.ring()
        try CommandLineIO.run(input: input) {
            let (contents, eTag) = try CommandLineIO.contents(of: input, options: options, keys: keys)
            var json = CaptureInspection(contents, eTag: eTag).json()
            json.withUnsafeMutableBytes { bytes in _ = CommandLineIO.writeStandardOutput(UnsafeRawBufferPointer(bytes))
            }
        }
    }
}
