import ArgumentParser
import CallTimeline
import Transcoder

#if canImport(Glibc)
import Glibc
#endif

/// `rtp2mp3`: the pipeline on local files and S3 objects (SPEC §5).
@main
struct RTP2MP3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtp2mp3",
        abstract: TranscodeCommand.configuration.abstract,
        discussion: TranscodeCommand.configuration.discussion,
        version: ProductVersion.string,
        subcommands: [TranscodeCommand.self, InspectCommand.self],
        defaultSubcommand: TranscodeCommand.self
    )

    /// Installs the interrupt handlers before anything else (so that no file can exist before they are in place),
    /// then runs the command. `rtp2mp3 --help` shows what a bare `rtp2mp3 FILE` does (transcode) with its
    /// options; a usage error is one line, `rtp2mp3: error: …`, exit 64 (SPEC §5).
    static func main() {
        InterruptCleanup.install()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--help"] || arguments == ["-h"] || arguments == ["help"] {
            print(helpMessage(for: TranscodeCommand.self))
            Glibc.exit(0)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let text = message(for: error)
            if code == .success || text.isEmpty { exit(withError: error) }
            CommandLineIO.fail(text + " (see rtp2mp3 --help)", status: CommandLineIO.usage)
        }
    }
}
