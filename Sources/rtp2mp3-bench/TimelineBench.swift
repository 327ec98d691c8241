import CallTimeline
import Capture
import Foundation
import Transcoder

/// The `timeline` section: everything rtp2mp3 does before LAME, timed on one capture already in memory.
///
/// 1. read (pass 1): the capture fed through `CaptureIngest` in 1 MiB chunks (container, link, IP, UDP, RTP
///    classification, per-stream statistics), as the CLI and the Lambda function do;
/// 2. build: `CaptureIngest.finish` (order, loss, placement, drift, legs and calls: the timeline);
/// 3. render (pass 2): the capture read again and the longest call rendered to PCM at its natural rate and
///    default layout (stereo), block by block after every chunk as `RecordingEncoder` does, nothing encoded.
///
/// Prints `packets=… read_seconds=… build_seconds=… packets_per_second=…` (read and build together) and
/// `render_seconds=… frames=… channels=… samples_per_second=…` (samples of all channels), medians of `--runs`.
enum TimelineBench {
    static func run(_ arguments: [String]) {
        var runs = 3
        var path: String?
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--runs":
                runs = max(1, Int(index + 1 < arguments.count ? arguments[index + 1] : "") ?? runs)
                index += 2
            case let argument where path == nil && !argument.hasPrefix("-"):
                path = argument
                index += 1
            default:
                print("rtp2mp3-bench: error: unknown option \(arguments[index])")
                exit(64)
            }
        }
        guard let path else {
            print("usage: rtp2mp3-bench timeline CAPTURE [--runs N]")
            exit(64)
        }
        let bytes = BenchFiles.read(path)
        let settings = TranscodeSettings()
        let clock = ContinuousClock()
        var readTimes: [Double] = []
        var buildTimes: [Double] = []
        var renderTimes: [Double] = []
        var packets = 0
        var frames = 0
        var channels = 0
        var rate = 0
        var check = 0
        for _ in 0..<runs {
            do {
                let started = clock.now
                var ingest = CaptureIngest(name: path, options: settings.timeline)
                try feed(bytes, to: &ingest)
                let read = clock.now
                let contents = try ingest.finish()
                let call = try contents.selectCall(settings.callNumber)
                let built = clock.now
                var renderer = contents.timeline.renderer(for: call, layout: settings.channels, decoders: .allCodecs)
                check &+= try render(bytes, name: path, into: &renderer)
                let rendered = clock.now
                readTimes.append(BenchFiles.seconds(read - started))
                buildTimes.append(BenchFiles.seconds(built - read))
                renderTimes.append(BenchFiles.seconds(rendered - built))
                packets = contents.frames
                frames = renderer.totalFrames
                channels = settings.channels.channelCount
                rate = renderer.sampleRate
            } catch {
                print("rtp2mp3-bench: error: \(error)")
                exit(65)
            }
        }
        let read = median(readTimes)
        let build = median(buildTimes)
        let render = median(renderTimes)
        let readBuild = median(zip(readTimes, buildTimes).map { $0 + $1 })
        print(
            "bench=timeline packets=\(packets) runs=\(runs) read_seconds=\(format(read))"
                + " build_seconds=\(format(build))"
                + " packets_per_second=\(String(format: "%.0f", Double(packets) / readBuild))"
                + " read_packets_per_second=\(String(format: "%.0f", Double(packets) / read))"
        )
        print(
            "bench=render frames=\(frames) sample_rate=\(rate) channels=\(channels) render_seconds=\(format(render))"
                + " samples_per_second=\(String(format: "%.0f", Double(frames * channels) / render))"
                + " realtime=\(String(format: "%.0f", Double(frames) / Double(max(rate, 1)) / render))"
                + " check=\(check % 1000)"
        )
    }

    /// Feeds `bytes` to `ingest` in `BenchFiles.chunkBytes` chunks, as `LocalFiles.read` hands a file over.
    static func feed(_ bytes: [UInt8], to ingest: inout CaptureIngest) throws {
        var start = 0
        while start < bytes.count {
            let end = min(start + BenchFiles.chunkBytes, bytes.count)
            var failure: TranscodeError?
            bytes[start..<end].withUnsafeBytes { chunk in
                do throws(TranscodeError) { try ingest.append(chunk) } catch { failure = error }
            }
            if let failure { throw failure }
            start = end
        }
    }

    /// Pass 2 as `RecordingEncoder` runs it (`CaptureReplay`, gzip-compressed captures inflated on the way):
    /// every datagram of the capture to the renderer, and the blocks that are complete rendered after every chunk.
    /// Returns a checksum of the output so the rendering cannot be optimised away.
    static func render(_ bytes: [UInt8], name: String, into renderer: inout CallRenderer) throws -> Int {
        var replay = CaptureReplay(name: name)
        var left: [Int16] = []
        var right: [Int16] = []
        left.reserveCapacity(renderBlockFrames)
        right.reserveCapacity(renderBlockFrames)
        var check = 0
        func drain() {
            while renderer.render(maxFrames: renderBlockFrames, left: &left, right: &right) > 0 {
                check &+= Int(left[left.count / 2]) &+ Int(right.last ?? 0)
                left.removeAll(keepingCapacity: true)
                right.removeAll(keepingCapacity: true)
            }
        }
        var start = 0
        while start < bytes.count {
            let end = min(start + BenchFiles.chunkBytes, bytes.count)
            var failure: TranscodeError?
            bytes[start..<end].withUnsafeBytes { chunk in
                do throws(TranscodeError) {
                    try replay.append(chunk, to: &renderer) { (_: inout CallRenderer) throws(TranscodeError) in }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            drain()
            start = end
        }
        try replay.finish(into: &renderer)
        drain()
        return check
    }

    /// The block size `RecordingEncoder` renders with.
    static let renderBlockFrames = 32256

    static func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }

    static func format(_ seconds: Double) -> String { String(format: "%.4f", seconds) }
}
