import Capture
import FuzzSupport

/// Fuzzes the gzip inflater (RFC 1952 members around RFC 1951 deflate): headers with every optional field,
/// stored/fixed/dynamic blocks, back-references, several members, trailing data. It must throw or finish, never
/// trap, never write more than its limit, and read the same whether the input arrives whole or byte by byte.
@main
enum FuzzGzip {
    static func main() {
        FuzzDriver.run { bytes in
            // Small limits so that a bomb in the corpus costs milliseconds, not gigabytes.
            let limits = GzipDecoder.Limits(maxOutputBytes: 4 << 20, maxRatio: 1_100, ratioCheckThreshold: 64 << 10)
            let whole = inflate(bytes, chunkSize: max(1, bytes.count), limits: limits)
            let chunked = inflate(bytes, chunkSize: 1 + bytes.count % 13, limits: limits)
            // The ratio limit is measured on the input consumed so far, which may differ by a few bytes with the
            // chunking: a failure may come earlier in one reading, but what both produced must agree.
            let common = min(whole.output.count, chunked.output.count)
            let agree =
                whole.failure != nil || chunked.failure != nil
                ? whole.output[..<common] == chunked.output[..<common]
                : whole.output == chunked.output && whole.complete == chunked.complete
            guard agree else {
                fatalError(
                    "whole and chunked inflation differ: \(whole.output.count) bytes, \(whole.failure ?? "ok"), "
                        + "complete \(whole.complete) vs \(chunked.output.count), \(chunked.failure ?? "ok"), "
                        + "complete \(chunked.complete)"
                )
            }
        }
    }

    struct Outcome {
        var output: [UInt8] = []
        var failure: String?
        var complete = false
    }

    static func inflate(_ bytes: [UInt8], chunkSize: Int, limits: GzipDecoder.Limits) -> Outcome {
        var decoder = GzipDecoder(name: "fuzz", limits: limits)
        var outcome = Outcome()
        var start = 0
        do {
            repeat {
                let end = min(bytes.count, start + chunkSize)
                decoder.append(Array(bytes[start..<end]))
                start = end
                if start == bytes.count { decoder.finish() }
                while try decoder.decompress(into: &outcome.output, maxOutput: 1 << 16) > 0 {
                    guard outcome.output.count <= limits.maxOutputBytes + 258 else {
                        fatalError("\(outcome.output.count) bytes out, over the \(limits.maxOutputBytes) limit")
                    }
                }
            } while start < bytes.count
            outcome.complete = decoder.isComplete
        } catch {
            outcome.failure = "\(error)"
        }
        return outcome
    }
}
