// rtp2mp3-bench: micro-benchmarks printed by scripts/bench. One subcommand per section; each prints
// plain `key=value` lines that the script formats. Arguments are parsed by hand (a switch), on purpose:
// the benchmark must not depend on anything it could end up measuring.

import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())

switch arguments.first {
case "codecs":
    CodecBench.run(Array(arguments.dropFirst()))
case "timeline":
    TimelineBench.run(Array(arguments.dropFirst()))
case "extract":
    StreamExtract.run(Array(arguments.dropFirst()))
default:
    print(
        """
        usage: rtp2mp3-bench codecs [--minutes N] [--runs N] [--write-streams DIR]
               rtp2mp3-bench timeline CAPTURE [--runs N]
               rtp2mp3-bench extract CAPTURE DIR
          codecs    decode throughput of G.711 µ-law, A-law, G.722 and the library codecs (G.729, AMR, AMR-WB,
                    GSM, Opus, Speex; and the 8→16 kHz resampler), in samples per second, median of --runs runs
                    over --minutes of audio (default 60, 5)
          timeline  the capture (in memory) through CaptureIngest and the timeline build: packets per second;
                    then the longest call rendered to PCM without encoding: samples per second (median of
                    --runs, default 3)
          extract   each RTP stream's G.711/G.722 payloads in sequence order to DIR/stream-N.{ul,al,g722}
                    (N by first arrival), for ffmpeg
        """
    )
    if let first = arguments.first, first != "-h" && first != "--help" {
        print("rtp2mp3-bench: error: unknown section \(first)")
        exit(64)
    }
}
