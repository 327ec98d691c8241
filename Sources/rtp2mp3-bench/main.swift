// rtp2mp3-bench: micro-benchmarks printed by scripts/bench. One subcommand per section; each prints
// plain `key=value` lines that the script formats. Arguments are parsed by hand (a switch), on purpose:
// the benchmark must not depend on anything it could end up measuring.

import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())

switch arguments.first {
case "codecs":
    CodecBench.run(Array(arguments.dropFirst()))
case "resample":
    ResampleBench.run(Array(arguments.dropFirst()))
case "convert":
    ResampleBench.convertFile(Array(arguments.dropFirst()))
case "timeline":
    TimelineBench.run(Array(arguments.dropFirst()))
case "extract":
    StreamExtract.run(Array(arguments.dropFirst()))
case "analysis":
    AnalysisBench.run(Array(arguments.dropFirst()))
default:
    print(
        """
        usage: rtp2mp3-bench codecs [--minutes N] [--runs N] [--write-streams DIR]
               rtp2mp3-bench resample [--minutes N] [--runs N] [--write-streams DIR] [--only 8k_to_16k]
               rtp2mp3-bench convert IN_RATE OUT_RATE IN OUT
               rtp2mp3-bench timeline CAPTURE [--runs N]
               rtp2mp3-bench extract CAPTURE DIR
               rtp2mp3-bench analysis [--minutes N] [--runs N]
          codecs    decode throughput of G.711 µ-law, A-law, G.722 and the library codecs (G.729, AMR, AMR-WB,
                    GSM, Opus, Speex; and the 8→16 kHz resampler), in samples per second, median of --runs runs
                    over --minutes of audio (default 60, 5)
          resample  sample-rate conversion throughput (8→16, 16→8, 8→24, 8→48, 16→48, 48→16, 32→16,
                    12→16, 44.1→48 kHz) in input samples per second, same medians and defaults;
                    --write-streams writes the inputs as DIR/x-RATE.s16 (raw 16-bit little-endian mono)
          convert   a raw 16-bit little-endian mono file through the resampler (latency compensated), for
                    comparison with ffmpeg or sox on the same input
          timeline  the capture (in memory) through CaptureIngest and the timeline build: packets per second;
                    then the longest call rendered to PCM without encoding: samples per second (median of
                    --runs, default 3)
          extract   each RTP stream's G.711/G.722 payloads in sequence order to DIR/stream-N.{ul,al,g722}
                    (N by first arrival), for ffmpeg
          analysis  the call's picture, talk-time meter and quality model fed as pass 2 feeds them, over
                    --minutes of two-leg speech at 8 and 16 kHz: CPU µs per second of call (median of --runs)
        """
    )
    if let first = arguments.first, first != "-h" && first != "--help" {
        print("rtp2mp3-bench: error: unknown section \(first)")
        exit(64)
    }
}
