private import CZlib

/// Inflates gzip files (RFC 1952 members around RFC 1951 deflate data) with zlib, pushed compressed bytes as they
/// arrive and pulled for output a bounded piece at a time, so memory stays flat however large the file.
///
/// zlib reads each member's header (FEXTRA, FNAME, FCOMMENT, FHCRC) and checks its CRC-32 and ISIZE; members that
/// follow one another are inflated as one stream, as gzip(1) does. What ends the file early, or follows the last
/// member without being one, is a warning and what was inflated is kept. Output is bounded by `Limits`, so a gzip
/// bomb ends in a `.limitExceeded` error, not in exhausted memory.
///
/// ```swift
/// var inflater = GzipInflater(name: "call.pcap.gz")
/// inflater.append(chunk)                                // as the file arrives
/// while try inflater.inflate(into: &output) > 0 { … }   // take `output`, then empty it
/// inflater.finish()                                     // at its end, then inflate the rest
/// ```
///
/// A value type: a copy carries on from where the original was (zlib's `inflateCopy`), independently.
package struct GzipInflater: Sendable {
    /// Bounds against gzip bombs.
    package struct Limits: Sendable, Hashable {
        /// Most inflated bytes in all (default 4 GiB, far above a one-call capture).
        package var maxOutputBytes: Int64
        /// Most inflated bytes per compressed byte, checked once `ratioCheckThreshold` bytes came out. Real captures
        /// compress 2–30:1; deflate's own ceiling is about 1032:1. Nil turns the check off.
        package var maxRatio: Int64?
        /// Output from which the ratio is enforced (small inputs may compress very well).
        package var ratioCheckThreshold: Int64

        package init(maxOutputBytes: Int64 = 1 << 32, maxRatio: Int64? = 250, ratioCheckThreshold: Int64 = 16 << 20) {
            self.maxOutputBytes = maxOutputBytes
            self.maxRatio = maxRatio
            self.ratioCheckThreshold = ratioCheckThreshold
        }
    }

    /// Whether bytes start a gzip member (RFC 1952 §2.3.1: ID1 0x1f, ID2 0x8b).
    package static func isGzip(_ first: UInt8, _ second: UInt8) -> Bool { first == 0x1F && second == 0x8B }

    package let name: String
    package let limits: Limits
    private var stream: Stream
    /// Inflated bytes so far.
    package private(set) var totalOutput: Int64 = 0
    /// Members inflated and checked to their end.
    package private(set) var membersCompleted = 0
    /// Truncation and trailing data, once found.
    package private(set) var warnings: [GzipError] = []

    package init(name: String, limits: Limits = Limits()) {
        self.name = name
        self.limits = limits
        stream = Stream()
    }

    /// Compressed bytes read so far: where the next error or warning would be.
    package var compressedOffset: Int { stream.consumedTotal }

    /// Takes more of the compressed file (copied: the caller's buffer may go).
    package mutating func append(_ chunk: UnsafeRawBufferPointer) {
        unique()
        stream.append(chunk)
    }

    /// Says the compressed file is complete.
    package mutating func finish() {
        unique()
        stream.inputEnded = true
    }

    /// Appends up to `maxOutput` inflated bytes to `output` (across member boundaries) and returns how many. 0
    /// means more input is needed or, after `finish()`, that the file is over.
    @discardableResult
    package mutating func inflate(into output: inout [UInt8], maxOutput: Int = 1 << 18) throws(GzipError) -> Int {
        unique()
        var produced = 0
        while produced < maxOutput {
            let step = try stream.step(into: &output, maxOutput: maxOutput - produced, name: name)
            if step.memberEnded { membersCompleted += 1 }
            if let warning = step.warning, !warnings.contains(where: { $0.code == warning.code }) {
                warnings.append(warning)
            }
            produced += step.produced
            totalOutput += Int64(step.produced)
            try checkLimits()
            if step.produced == 0 && !step.memberEnded { break }
        }
        return produced
    }

    private func checkLimits() throws(GzipError) {
        let consumed = Int64(max(1, stream.consumedTotal))
        if totalOutput > limits.maxOutputBytes {
            throw GzipError(
                .limitExceeded,
                input: name,
                reason: "expected at most \(limits.maxOutputBytes) inflated bytes, found more",
                byteOffset: stream.consumedTotal
            )
        }
        if let ratio = limits.maxRatio, totalOutput >= limits.ratioCheckThreshold, totalOutput > ratio * consumed {
            throw GzipError(
                .limitExceeded,
                input: name,
                reason: "expected at most \(ratio) inflated bytes per compressed byte, found \(totalOutput) from "
                    + "\(consumed)",
                byteOffset: stream.consumedTotal
            )
        }
    }

    /// Copy on write: a shared stream is copied (zlib state and all) before this value changes it.
    private mutating func unique() {
        if !isKnownUniquelyReferenced(&stream) { stream = stream.copy() }
    }
}
