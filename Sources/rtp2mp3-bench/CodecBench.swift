import AudioCodecs
import Foundation
import TestSupport

/// The `codecs` section: decode throughput of the codecs on about an hour of speech-like audio.
///
/// The audio is 10 s of synthetic speech material (a vowel with a pitch contour, a chirp, noise bursts)
/// repeated to the requested length, then encoded once; decoding it packet by packet is timed. With
/// `--write-streams DIR` the raw streams are also written (`x.ul`, `x.al`, `x.g722`) for ffmpeg. The library codecs
/// follow (``LibraryCodecBench``).
enum CodecBench {
    static func run(_ arguments: [String]) {
        var minutes = 60
        var runs = 5
        var streamDirectory: String?
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--minutes": minutes = Int(value) ?? minutes
            case "--runs": runs = max(1, Int(value) ?? runs)
            case "--write-streams": streamDirectory = value
            default:
                print("rtp2mp3-bench: error: unknown option \(arguments[index])")
                exit(64)
            }
            index += 2
        }

        let narrowband = repeated(speechMaterial(sampleRate: 8000), toCount: minutes * 60 * 8000)
        let wideband = repeated(speechMaterial(sampleRate: 16000), toCount: minutes * 60 * 16000)
        let muLaw = G711.encodeMuLaw(narrowband)
        let aLaw = G711.encodeALaw(narrowband)
        var encoder = G722Encoder()
        let g722 = encoder.encode(wideband)
        print("audio_minutes=\(minutes) runs=\(runs)")

        if let directory = streamDirectory {
            write(muLaw, to: directory + "/x.ul")
            write(aLaw, to: directory + "/x.al")
            write(g722, to: directory + "/x.g722")
        }

        // Decoding is timed as the pipeline does it: one 20 ms RTP payload at a time, appended to a reused
        // buffer (cleared, capacity kept), so the figures are the codec's and not page faults of a
        // gigabyte-sized output array. The checksum keeps the work observable.
        report("pcmu_decode", samples: muLaw.count, runs: runs) {
            perPacket(muLaw, packetBytes: 160) { G711.decodeMuLaw($0, appendingTo: &$1) }
        }
        report("pcma_decode", samples: aLaw.count, runs: runs) {
            perPacket(aLaw, packetBytes: 160) { G711.decodeALaw($0, appendingTo: &$1) }
        }
        report("g722_decode", samples: g722.count * 2, runs: runs) {
            var decoder = G722Decoder()
            return perPacket(g722, packetBytes: 160) { decoder.decode($0, appendingTo: &$1) }
        }
        LibraryCodecBench.run(minutes: minutes, runs: runs, streamDirectory: streamDirectory)
        report("resample_8k_to_16k", samples: narrowband.count, runs: runs) {
            var resampler = Resampler(from: 8000, to: 16000, compensatesLatency: true)
            var output: [Int16] = []
            output.reserveCapacity(1024)
            var checksum = 0
            narrowband.withUnsafeBufferPointer { samples in
                var start = 0
                while start < samples.count {
                    let end = min(start + 160, samples.count)
                    output.removeAll(keepingCapacity: true)
                    resampler.process(UnsafeBufferPointer(rebasing: samples[start..<end]), appendingTo: &output)
                    checksum &+= Int(output.last ?? 0)
                    start = end
                }
            }
            return checksum
        }
        report("g722_encode", samples: wideband.count, runs: max(1, runs / 2)) {
            var encoder = G722Encoder()
            var codes: [UInt8] = []
            codes.reserveCapacity(1024)
            var checksum = 0
            wideband.withUnsafeBufferPointer { samples in
                var start = 0
                while start < samples.count {
                    let end = min(start + 320, samples.count)
                    codes.removeAll(keepingCapacity: true)
                    encoder.encode(UnsafeBufferPointer(rebasing: samples[start..<end]), appendingTo: &codes)
                    checksum &+= Int(codes.last ?? 0)
                    start = end
                }
            }
            return checksum
        }
    }

    /// Decodes `stream` one packet of `packetBytes` at a time into a reused buffer; returns a checksum.
    static func perPacket(
        _ stream: [UInt8],
        packetBytes: Int,
        _ decode: (UnsafeRawBufferPointer, inout [Int16]) -> Void
    ) -> Int {
        var output: [Int16] = []
        output.reserveCapacity(packetBytes * 2)
        var checksum = 0
        stream.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(start + packetBytes, bytes.count)
                output.removeAll(keepingCapacity: true)
                decode(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), &output)
                checksum &+= Int(output.last ?? 0)
                start = end
            }
        }
        return checksum
    }

    /// Times `body` `runs` times and prints the medians of wall-clock and thread CPU time, in seconds, and
    /// the throughput in samples per second from the CPU time (which other processes on a shared machine do
    /// not inflate).
    static func report(_ name: String, samples: Int, runs: Int, _ body: () -> Int) {
        var wall: [Double] = []
        var cpu: [Double] = []
        var produced = 0
        for _ in 0..<runs {
            let clock = ContinuousClock()
            let cpuStart = threadCPUSeconds()
            let start = clock.now
            produced &+= body()
            let elapsed = clock.now - start
            cpu.append(threadCPUSeconds() - cpuStart)
            wall.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        let wallMedian = wall.sorted()[runs / 2]
        let cpuMedian = cpu.sorted()[runs / 2]
        print(
            "bench=\(name) samples=\(samples) median_seconds=\(String(format: "%.4f", wallMedian))"
                + " median_cpu_seconds=\(String(format: "%.4f", cpuMedian))"
                + " samples_per_second=\(String(format: "%.0f", Double(samples) / cpuMedian)) check=\(produced % 1000)"
        )
    }

    /// CPU time consumed by the calling thread.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Ten seconds of speech-like material at `sampleRate`: vowel, chirp across the band, noise bursts.
    static func speechMaterial(sampleRate: Int) -> [Int16] {
        let vowel = Signals.vowel(count: sampleRate * 6, sampleRate: sampleRate)
        let chirp = Signals.chirp(
            from: 100,
            to: Double(sampleRate) * 0.45,
            amplitude: 6000,
            count: sampleRate * 2,
            sampleRate: sampleRate
        )
        let noise = Signals.noiseBursts(amplitude: 3000, burst: sampleRate / 10, count: sampleRate * 2)
        return vowel + chirp + noise
    }

    static func repeated(_ material: [Int16], toCount count: Int) -> [Int16] {
        var samples: [Int16] = []
        samples.reserveCapacity(count)
        while samples.count < count {
            samples.append(contentsOf: material.prefix(count - samples.count))
        }
        return samples
    }

    static func write(_ bytes: [UInt8], to path: String) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            print("rtp2mp3-bench: error: cannot write \(path)")
            exit(74)
        }
    }
}
