import CallTimeline
import Capture
import TestSupport
import Transcoder

#if canImport(Glibc)
import Glibc
#endif

/// Shared helpers of the hardening tests: feeding bytes through the pipeline's read side, and figures.
enum Hardening {
    /// What `CaptureIngest` made of an input: the contents, or the error it gave instead.
    typealias Reading = Result<CaptureContents, TranscodeError>

    /// Feeds `bytes` in chunks of `chunkSize` (as the CLI and the S3 GET do), then finishes.
    static func ingest(_ bytes: [UInt8], chunkSize: Int = 1 << 16, name: String = "hostile") -> Reading {
        var ingest = CaptureIngest(name: name)
        do throws(TranscodeError) {
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + chunkSize)
                try ingest.append(Array(bytes[start..<end]))
                start = end
            }
            return .success(try ingest.finish())
        } catch {
            return .failure(error)
        }
    }

    /// The error of a reading, or nil when it succeeded.
    static func failure(_ reading: Reading) -> TranscodeError? {
        if case .failure(let error) = reading { return error }
        return nil
    }

    /// The process's peak resident set (VmHWM) in MiB, for the printed figures (tests run in parallel, so it is
    /// an upper bound for any one test, never asserted).
    static func peakMemoryMiB() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return -1 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmHWM:") {
                return (Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
            }
        }
        return -1
    }

    static let alice = Endpoint(address: IPAddress(ipv4: 192, 0, 2, 10), port: 40_000)
    static let bob = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 20), port: 50_000)

    /// Little-endian bytes.
    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }

    /// A little-endian µs pcap global header.
    static func pcapHeader(snapLength: UInt32 = 65_535, linkType: UInt32 = 1) -> [UInt8] {
        le32(0xA1B2_C3D4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(snapLength) + le32(linkType)
    }

    /// A pcap record header (seconds, microseconds, captured and original lengths).
    static func pcapRecordHeader(seconds: UInt32 = 1, captured: UInt32, original: UInt32) -> [UInt8] {
        le32(seconds) + le32(0) + le32(captured) + le32(original)
    }

    /// A little-endian pcapng block: type, total length, body (padded to 32 bits), total length.
    static func pcapngBlock(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        let length = UInt32(12 + padded.count)
        return le32(type) + le32(length) + padded + le32(length)
    }

    /// A little-endian pcapng section header block.
    static let pcapngSectionHeader = pcapngBlock(
        0x0A0D_0D0A,
        le32(0x1A2B_3C4D) + le16(1) + le16(0) + le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF)
    )
}
