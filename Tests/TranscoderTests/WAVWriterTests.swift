import Testing
import Transcoder

@Suite("WAVWriter: RIFF/WAVE 16-bit PCM")
struct WAVWriterTests {
    /// The canonical 44-byte header, field by field, for 8 kHz stereo and 100 frames.
    @Test("header layout")
    func header() throws {
        let bytes = try WAVWriter.header(sampleRate: 8000, channels: 2, frameCount: 100)
        let expected: [UInt8] =
            Array("RIFF".utf8) + [0xB4, 0x01, 0, 0]  // 36 + 400
            + Array("WAVE".utf8) + Array("fmt ".utf8) + [16, 0, 0, 0]
            + [1, 0, 2, 0]  // PCM, 2 channels
            + [0x40, 0x1F, 0, 0]  // 8000 Hz
            + [0x00, 0x7D, 0, 0]  // 32000 bytes/s
            + [4, 0, 16, 0]  // block align 4, 16 bits
            + Array("data".utf8) + [0x90, 0x01, 0, 0]  // 400 bytes
        #expect(bytes == expected)
        #expect(bytes.count == WAVWriter.headerSize)
    }

    /// Streaming: samples interleave L R little-endian, the writer counts frames, and its final header matches.
    @Test("streaming append and final header")
    func streaming() throws {
        var writer = try WAVWriter(sampleRate: 16000, channels: 2)
        var out = try writer.header()
        let left: [Int16] = [1, -2, 0x1234]
        let right: [Int16] = [-1, 3, -32768]
        try left.withUnsafeBufferPointer { l in
            try right.withUnsafeBufferPointer { r in try writer.append(left: l, right: r, to: &out) }
        }
        #expect(writer.frameCount == 3)
        #expect(Array(out[44...]) == [1, 0, 0xFF, 0xFF, 0xFE, 0xFF, 3, 0, 0x34, 0x12, 0x00, 0x80])
        let final = try writer.header()
        #expect(final == (try WAVWriter.header(sampleRate: 16000, channels: 2, frameCount: 3)))
        #expect(Array(final[40..<44]) == [12, 0, 0, 0])
    }

    /// Mono writes the samples as they are.
    @Test("mono")
    func mono() throws {
        var writer = try WAVWriter(sampleRate: 8000, channels: 1)
        var out: [UInt8] = []
        try [Int16(-2), 5].withUnsafeBufferPointer { try writer.append(left: $0, right: nil, to: &out) }
        #expect(out == [0xFE, 0xFF, 5, 0])
        #expect(Array(try writer.header()[22..<24]) == [1, 0])
    }

    /// RIFF sizes are 32-bit: one frame past the limit is an error, the limit itself is fine.
    @Test("4 GiB limit")
    func limit() throws {
        let maximum = WAVWriter.maximumFrameCount(channels: 2)
        #expect(maximum == (Int(UInt32.max) - 36) / 4)
        let bytes = try WAVWriter.header(sampleRate: 8000, channels: 2, frameCount: maximum)
        #expect(Array(bytes[4..<8]) != [0, 0, 0, 0])
        #expect(throws: WAVWriterError.self) {
            try WAVWriter.header(sampleRate: 8000, channels: 2, frameCount: maximum + 1)
        }
    }

    /// Unsupported formats and mismatched channels are refused with a code.
    @Test("refusals")
    func refusals() throws {
        #expect(throws: WAVWriterError.self) { try WAVWriter(sampleRate: 8000, channels: 3) }
        #expect(throws: WAVWriterError.self) { try WAVWriter(sampleRate: 0, channels: 1) }
        var writer = try WAVWriter(sampleRate: 8000, channels: 2)
        var out: [UInt8] = []
        #expect(throws: WAVWriterError.self) {
            try [Int16(1)].withUnsafeBufferPointer { try writer.append(left: $0, right: nil, to: &out) }
        }
        #expect(out.isEmpty)
    }
}
