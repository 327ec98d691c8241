import ArgumentParser
import CallTimeline
import Transcoder

/// `rtp2mp3`: the pipeline on local files and S3 objects (SPEC §5).
@main
struct RTP2MP3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtp2mp3",
        abstract: "Turn an RTP capture (pcap, pcapng, rtpdump, gzip) of a phone call into an MP3 or WAV recording.",
        discussion: """
            Exit status: 0 success, 64 usage, 65 invalid or unsupported input, 74 I/O or network error.
            S3 addresses (s3://bucket/key) use AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
            AWS_SESSION_TOKEN and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL from the environment.
            """,
        version: ProductVersion.string,
        subcommands: [TranscodeCommand.self, InspectCommand.self],
        defaultSubcommand: TranscodeCommand.self
    )
}
