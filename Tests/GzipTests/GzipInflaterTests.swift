import Foundation
import Gzip
import TestSupport
import Testing

/// Inflates everything, fed in chunks of `chunkSize` and taken out at most `maxOutput` bytes at a time; returns
/// the output and the inflater (its warnings and counts), or throws its error.
func gunzip(
    _ bytes: [UInt8],
    chunkSize: Int = 17,
    maxOutput: Int = 100,
    limits: GzipInflater.Limits = .init()
) throws(GzipError) -> ([UInt8], GzipInflater) {
    var inflater = GzipInflater(name: "t.gz", limits: limits)
    var output = [UInt8]()
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunkSize)
        Array(bytes[offset..<end]).withUnsafeBytes { inflater.append($0) }
        while try inflater.inflate(into: &output, maxOutput: maxOutput) > 0 {}
        offset = end
    }
    inflater.finish()
    while try inflater.inflate(into: &output, maxOutput: maxOutput) > 0 {}
    return (output, inflater)
}

/// The text Python's gzip.compress(level 9, mtime 0) was given for `dynamicVector` (CPython 3.x, zlib).
let dynamicVectorText: [UInt8] = Array(
    (0..<40).map { "RTP packet \($0): sequence \($0 * 3) timestamp \($0 * 160) ssrc cafef00d\n" }.joined().utf8
)

/// gzip -9 output (zlib, dynamic Huffman block) of `dynamicVectorText`, generated with Python's gzip module.
let dynamicVector: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x7d, 0xd5, 0x4b, 0x4e, 0xc3, 0x40,
    0x10, 0x45, 0xd1, 0x39, 0xab, 0xf0, 0x12, 0xba, 0xab, 0xba, 0xfa, 0xc3, 0x2a, 0x50, 0xc4, 0x06,
    0x2c, 0xe3, 0x48, 0x08, 0x05, 0x05, 0x1c, 0xf6, 0x8f, 0x67, 0xdc, 0x16, 0xd2, 0x9b, 0x65, 0x72,
    0x27, 0xe5, 0x93, 0xd7, 0x97, 0xd7, 0x97, 0xe5, 0xbe, 0x6e, 0x1f, 0xfb, 0x63, 0x49, 0xcf, 0xcb,
    0xb1, 0x7f, 0xfd, 0xec, 0x9f, 0xdb, 0xbe, 0xa4, 0xe5, 0xf1, 0x7e, 0xdb, 0x8f, 0xc7, 0x7a, 0xbb,
    0x9f, 0xbf, 0x8f, 0xe3, 0x7b, 0x5b, 0xb6, 0xf5, 0xba, 0x5f, 0x53, 0x7a, 0x7b, 0xba, 0xfc, 0x25,
    0x19, 0x89, 0x23, 0xc9, 0x55, 0x44, 0x86, 0xa8, 0x22, 0x72, 0x13, 0x91, 0x23, 0x1a, 0x88, 0x4a,
    0x17, 0x51, 0x41, 0x94, 0x0d, 0x55, 0x2d, 0xa2, 0x0a, 0x56, 0x81, 0xaa, 0x27, 0x51, 0x55, 0x56,
    0x1d, 0xd5, 0x50, 0xb7, 0x68, 0xa8, 0x2c, 0xf3, 0x82, 0x59, 0x5d, 0xa3, 0x33, 0x2b, 0xcc, 0x4c,
    0xdd, 0x63, 0x30, 0x6b, 0xcc, 0x8a, 0x3a, 0x48, 0xa6, 0x0c, 0x4f, 0xf3, 0x77, 0x56, 0xdd, 0xc4,
    0x63, 0xf2, 0xd1, 0xd4, 0x51, 0x32, 0x85, 0x38, 0x89, 0xe4, 0xa1, 0xae, 0x92, 0x89, 0xc4, 0xa9,
    0xc4, 0x92, 0x3a, 0x4b, 0xa6, 0x93, 0x42, 0x27, 0x66, 0xf2, 0x2e, 0x94, 0x52, 0x28, 0xe5, 0xcc,
    0x54, 0x47, 0x2b, 0x85, 0x56, 0x2c, 0xe4, 0x5d, 0xa8, 0x25, 0xa8, 0xc5, 0x9a, 0xbc, 0x0b, 0xb9,
    0x04, 0xb9, 0x58, 0x97, 0x77, 0xa1, 0x97, 0xa0, 0x17, 0x4f, 0xea, 0x2e, 0x46, 0x2f, 0x35, 0xcd,
    0x7f, 0x71, 0xd5, 0xd1, 0x4b, 0xa5, 0x17, 0x77, 0x39, 0x28, 0xd3, 0xa2, 0x4c, 0x93, 0x12, 0xea,
    0x2e, 0x46, 0x2f, 0x95, 0x5e, 0xbc, 0xaa, 0xbb, 0x18, 0xbd, 0x34, 0x7a, 0xf1, 0x2e, 0xef, 0x42,
    0x2f, 0x8d, 0x5e, 0x4e, 0x2e, 0xaa, 0xa3, 0x97, 0x46, 0x2f, 0x45, 0x0f, 0x2d, 0xbd, 0x74, 0x7a,
    0x29, 0x72, 0x6b, 0x8d, 0x5e, 0x3a, 0xbd, 0x14, 0x39, 0xb7, 0x46, 0x2f, 0x9d, 0x5e, 0x8a, 0x1c,
    0x5c, 0xa7, 0x97, 0x91, 0xe6, 0x75, 0x57, 0x1d, 0xbd, 0x0c, 0x7a, 0x29, 0x72, 0x74, 0x9d, 0x5e,
    0x06, 0xbd, 0x84, 0x5c, 0x5d, 0x9f, 0x1e, 0x21, 0x7a, 0x09, 0x39, 0xbb, 0x3e, 0xbd, 0x43, 0x89,
    0x60, 0x42, 0x0e, 0xaf, 0x4f, 0x4f, 0x51, 0xa2, 0x98, 0x90, 0xcb, 0xeb, 0xd3, 0x6b, 0x94, 0x48,
    0x26, 0xe4, 0xf4, 0x3a, 0xc9, 0xe4, 0x4c, 0x33, 0x21, 0xb7, 0xd7, 0xfb, 0x14, 0x12, 0x4d, 0x95,
    0xe3, 0xeb, 0x63, 0x0a, 0xa9, 0xa6, 0xfe, 0x5f, 0xdf, 0x5f, 0xfb, 0x6f, 0x0d, 0xde, 0xaf, 0x08,
    0x00, 0x00,
]

@Suite("GzipInflater (zlib)")
struct GzipInflaterTests {
    /// Proves a dynamic-Huffman stream from zlib inflates exactly, fed in small chunks with small output bounds.
    @Test("zlib dynamic Huffman vector")
    func dynamicHuffman() throws {
        #expect((dynamicVector[10] >> 1) & 3 == 2)  // BTYPE 2: dynamic
        let (output, inflater) = try gunzip(dynamicVector)
        #expect(output == dynamicVectorText)
        #expect(inflater.membersCompleted == 1)
        #expect(inflater.warnings.isEmpty)
        #expect(inflater.compressedOffset == dynamicVector.count)
    }

    /// Proves stored and fixed-Huffman members (the test writer's own deflate), and the header fields FEXTRA,
    /// FNAME, FCOMMENT and FHCRC, whatever the chunking.
    @Test("stored and fixed members with every header field", arguments: [false, true])
    func headerFields(stored: Bool) throws {
        let data = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 * $0 / 7) }
        let header = GzipWriter.Header(fileName: "call.pcap", comment: "test", extra: [1, 2, 3], headerCRC: true)
        let member = GzipWriter.compress(
            data,
            strategy: stored ? .stored(blockSize: 999) : .fixedHuffman,
            header: header
        )
        #expect(try gunzip(member).0 == data)
        #expect(try gunzip(member, chunkSize: 1, maxOutput: 7).0 == data)
        #expect(try gunzip(member, chunkSize: member.count, maxOutput: 1 << 18).0 == data)
    }

    /// Proves members that follow one another inflate as one stream (gzip(1) behaviour), an empty one included.
    @Test("concatenated members")
    func members() throws {
        let stream = GzipWriter.compress([1, 2, 3]) + GzipWriter.compress([], strategy: .stored()) + dynamicVector
        let (output, inflater) = try gunzip(stream)
        #expect(output == [1, 2, 3] + dynamicVectorText)
        #expect(inflater.membersCompleted == 3)
    }

    /// Proves CRC-32, ISIZE, header CRC, method and block-type corruption are errors that give zlib's reason and
    /// an offset inside the input.
    @Test("corruption is an error with zlib's reason and the offset")
    func corruption() {
        var crc = dynamicVector
        crc[crc.count - 8] ^= 1
        var size = dynamicVector
        size[size.count - 1] ^= 1
        var method = dynamicVector
        method[2] = 7
        var headerCRC = GzipWriter.compress([1], header: .init(headerCRC: true))
        headerCRC[10] ^= 0xFF
        let blockType3: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        // A fixed block whose first symbol is a match with distance 1 before any output.
        let farDistance: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255, 0x03, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        let cases: [([UInt8], String)] = [
            (crc, "incorrect data check"), (size, "incorrect length check"), (method, "unknown compression method"),
            (headerCRC, "header crc mismatch"), (blockType3, "invalid block type"),
            (farDistance, "invalid distance too far back"),
        ]
        for (bytes, reason) in cases {
            let error = #expect(throws: GzipError.self) { _ = try gunzip(bytes) }
            #expect(error?.code == .data)
            #expect(error?.reason == reason)
            #expect(error.map { (0...bytes.count).contains($0.byteOffset) } == true)
            #expect(error?.description.hasPrefix("t.gz: malformed gzip data: \(reason) at byte ") == true)
        }
    }

    /// Proves a cut stream and trailing garbage are warnings (what was inflated is kept), not errors.
    @Test("truncation and trailing data are warnings")
    func warnings() throws {
        let (partial, cut) = try gunzip(Array(dynamicVector.dropLast(30)))
        #expect(cut.warnings.map(\.code) == [.truncated])
        #expect(dynamicVectorText.starts(with: partial))
        let (whole, trailing) = try gunzip(dynamicVector + [0, 0, 0, 0])
        #expect(whole == dynamicVectorText)
        #expect(trailing.warnings.map(\.code) == [.trailingData])
        #expect(trailing.warnings.first?.byteOffset == dynamicVector.count)
        // One byte of a magic and then nothing is trailing data too, not a member to wait for.
        #expect(try gunzip(dynamicVector + [0x1F]).1.warnings.map(\.code) == [.trailingData])
    }

    /// Proves the bomb guard: an absolute output limit and a ratio limit each stop inflation with
    /// `.limitExceeded` long before the bomb's full size is produced (8 MiB of zeros at about 160:1).
    @Test("gzip bomb")
    func bomb() {
        let bomb = GzipWriter.zeros(size: 8 << 20)
        let absolute = #expect(throws: GzipError.self) {
            _ = try gunzip(
                bomb,
                chunkSize: 4096,
                maxOutput: 1 << 16,
                limits: .init(maxOutputBytes: 1 << 20, maxRatio: nil)
            )
        }
        #expect(absolute?.code == .limitExceeded)
        let ratio = #expect(throws: GzipError.self) {
            _ = try gunzip(
                bomb,
                chunkSize: 4096,
                maxOutput: 1 << 16,
                limits: .init(maxRatio: 100, ratioCheckThreshold: 1 << 20)
            )
        }
        #expect(ratio?.code == .limitExceeded)
        #expect(ratio?.reason.contains("at most 100 inflated bytes per compressed byte") == true)
    }

    /// Proves a copy of an inflater carries on from where the original was, independently of it (zlib's
    /// inflateCopy behind the value type).
    @Test("a copy carries on independently")
    func copies() throws {
        var first = GzipInflater(name: "t.gz")
        var output = [UInt8]()
        Array(dynamicVector.prefix(100)).withUnsafeBytes { first.append($0) }
        try first.inflate(into: &output)
        var second = first
        var secondOutput = output
        let rest = Array(dynamicVector.dropFirst(100))
        rest.withUnsafeBytes { first.append($0) }
        first.finish()
        while try first.inflate(into: &output) > 0 {}
        rest.withUnsafeBytes { second.append($0) }
        second.finish()
        while try second.inflate(into: &secondOutput) > 0 {}
        #expect(output == dynamicVectorText)
        #expect(secondOutput == dynamicVectorText)
    }

    /// Proves a real capture compressed by gzip(1) (dynamic blocks, FNAME) inflates to the plain file.
    @Test("real capture through gzip(1)", .enabled(if: TestData.shouldRun && GzipTool.path != nil))
    func realCapture() throws {
        let plain = try TestData.bytes("captures/wireshark-samples/SIP_DTMF2.pcap")
        let compressed = try GzipTool.compress(try TestData.url("captures/wireshark-samples/SIP_DTMF2.pcap"))
        #expect(try gunzip(compressed, chunkSize: 4096, maxOutput: 1 << 16).0 == plain)
    }
}

/// gzip(1), where the system has it.
enum GzipTool {
    static let path = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func compress(_ url: URL) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "/bin/gzip")
        process.arguments = ["-c", "-9", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let compressed = [UInt8](pipe.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        return compressed
    }
}
