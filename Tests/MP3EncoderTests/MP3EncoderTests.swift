import Foundation
import MP3Encoder
import TestSupport
import Testing

/// One encoder configuration under test, with the tones that identify its channels.
struct EncodeCase: Sendable, CustomTestStringConvertible {
    var sampleRate: Int
    var channels: Int
    var mode: MP3Encoder.Mode?
    var seconds = 2

    var testDescription: String {
        "\(sampleRate) Hz \(channels == 1 ? "mono" : "stereo") \(mode.map { "\($0)" } ?? "default")"
    }

    var isVBR: Bool { if case .vbr = mode { true } else { false } }
    var resolvedMode: MP3Encoder.Mode { mode ?? .default(sampleRate: sampleRate, channels: channels) }
    /// Whether LAME writes the Xing/Info + LAME tag frame: always for VBR, for CBR when the frame can hold it.
    var hasTag: Bool {
        switch resolvedMode {
        case .vbr: true
        case .cbr(let kbps): MP3Encoder.tagFits(sampleRate: sampleRate, channels: channels, kbps: kbps)
        }
    }
    var count: Int { sampleRate * seconds }
    /// Tone A (left) and B (right): inside the telephone band at 8 kHz, wideband at 16 kHz.
    var frequencyA: Double { 1000 }
    var frequencyB: Double { sampleRate == 8000 ? 1500 : 3000 }
    static let amplitude = 8000.0  // about -12 dBFS

    var left: [Int16] {
        Signal.tone(frequency: frequencyA, amplitude: Self.amplitude, sampleRate: sampleRate, count: count)
    }
    var right: [Int16]? {
        channels == 1
            ? nil : Signal.tone(frequency: frequencyB, amplitude: Self.amplitude, sampleRate: sampleRate, count: count)
    }

    func encode() throws -> EncodedFile {
        try EncodedFile.encode(left: left, right: right, sampleRate: sampleRate, mode: mode)
    }

    static let all: [EncodeCase] = [
        EncodeCase(sampleRate: 8000, channels: 2, mode: nil),
        EncodeCase(sampleRate: 16000, channels: 2, mode: nil),
        EncodeCase(sampleRate: 8000, channels: 1, mode: nil),
        EncodeCase(sampleRate: 16000, channels: 1, mode: nil),
        EncodeCase(sampleRate: 8000, channels: 2, mode: .vbr(quality: 4)),
        EncodeCase(sampleRate: 16000, channels: 2, mode: .vbr(quality: 4)),
        EncodeCase(sampleRate: 8000, channels: 1, mode: .vbr(quality: 6)),
        EncodeCase(sampleRate: 16000, channels: 1, mode: .cbr(kbps: 32)),  // too small a frame for the tag
        EncodeCase(sampleRate: 8000, channels: 1, mode: .cbr(kbps: 16)),  // likewise
    ]
}

@Suite("MP3Encoder: configuration and stream layout")
struct MP3EncoderTests {
    /// SPEC §4 defaults: 32 kbit/s for 8 kHz stereo, 48 for 16 kHz stereo; mono 3/4 of that, rounded up to a
    /// rate whose frame holds the LAME tag.
    @Test(
        "default bitrates",
        arguments: [(8000, 2, 32), (16000, 2, 48), (8000, 1, 24), (16000, 1, 40)]
    )
    func defaults(sampleRate: Int, channels: Int, kbps: Int) throws {
        #expect(MP3Encoder.Mode.default(sampleRate: sampleRate, channels: channels) == .cbr(kbps: kbps))
        let encoder = try MP3Encoder(sampleRate: sampleRate, channels: channels)
        #expect(encoder.mode == .cbr(kbps: kbps))
        #expect(encoder.frameSize == 576)  // MPEG-2 and 2.5 layer III
        #expect(encoder.encoderDelay == 576)  // LAME 3.100
    }

    /// Settings LAME cannot honour are refused up front with a code, not silently rounded.
    @Test(
        "invalid settings are refused",
        arguments: [
            (7000, 1, MP3Encoder.Mode.cbr(kbps: 16), MP3EncoderError.Code.unsupportedSampleRate),
            (8000, 3, .cbr(kbps: 16), .unsupportedChannelCount),
            (8000, 2, .cbr(kbps: 33), .unsupportedBitrate),
            (8000, 2, .cbr(kbps: 320), .unsupportedBitrate),
            (16000, 2, .vbr(quality: 10), .unsupportedVBRQuality),
        ]
    )
    func invalid(sampleRate: Int, channels: Int, mode: MP3Encoder.Mode, code: MP3EncoderError.Code) {
        #expect(throws: MP3EncoderError.self) { try MP3Encoder(sampleRate: sampleRate, channels: channels, mode: mode) }
        do {
            _ = try MP3Encoder(sampleRate: sampleRate, channels: channels, mode: mode)
        } catch {
            #expect(error.code == code)
            #expect(!error.description.isEmpty)
        }
    }

    /// No clock, no randomness: the same PCM and settings give the same bytes (SPEC §4).
    @Test("two encodes are byte-identical", arguments: EncodeCase.all)
    func deterministic(_ encodeCase: EncodeCase) throws {
        let first = try encodeCase.encode()
        let second = try encodeCase.encode()
        #expect(first.bytes == second.bytes)
    }

    /// The stream starts, right after the ID3 tag, with a frame of the configured rate, bitrate and channel mode
    /// (STEREO, not joint) that carries "Info" (CBR) or "Xing" (VBR) and "LAME" and the frame count; the tag frame
    /// fits the placeholder exactly; all frames follow each other to the end of the file.
    @Test("first frame is the Xing/Info + LAME tag", arguments: EncodeCase.all)
    func lameTagFrame(_ encodeCase: EncodeCase) throws {
        let file = try encodeCase.encode()
        let header = try #require(FrameHeader(file.bytes[file.tagSize...]))
        #expect(header.sampleRate == encodeCase.sampleRate)
        #expect(header.channelMode == (encodeCase.channels == 1 ? 3 : 0))
        if case .cbr(let kbps) = encodeCase.resolvedMode { #expect(header.bitrateKbps == kbps) }
        var offset = file.tagSize
        if encodeCase.hasTag {
            #expect(file.lameTagFrame.count == header.length)
            #expect(file.placeholderFrame.count == header.length)
            #expect(file.lameTagFrame != file.placeholderFrame)
            let xingOffset = file.tagSize + 4 + header.sideInfoLength
            let magic = String(decoding: file.bytes[xingOffset..<xingOffset + 4], as: UTF8.self)
            #expect(magic == (encodeCase.isVBR ? "Xing" : "Info"))
            let frame = file.bytes[file.tagSize..<file.tagSize + header.length]
            #expect(String(decoding: frame, as: UTF8.self).contains("LAME"))
            // The Xing frame count (big-endian, after the 4-byte flags) equals the audio frames LAME encoded.
            let count = file.bytes[xingOffset + 8..<xingOffset + 12].reduce(0) { $0 << 8 | Int($1) }
            #expect(count == file.totalFrames)
            offset += header.length
        } else {
            #expect(file.lameTagFrame.isEmpty)
        }
        var frames = 0
        while offset < file.bytes.count, let next = FrameHeader(file.bytes[offset...]) {
            offset += next.length
            frames += 1
        }
        #expect(offset == file.bytes.count)
        #expect(frames == file.totalFrames)
    }

    /// `tagFits` predicts exactly when LAME writes a CBR tag frame, on both sides of the boundary.
    @Test(
        "tagFits matches LAME",
        arguments: [
            (8000, 1, 16), (8000, 1, 24), (8000, 2, 16), (8000, 2, 24), (16000, 1, 32), (16000, 1, 40),
            (16000, 2, 32), (16000, 2, 40), (32000, 1, 32), (44100, 2, 40), (44100, 2, 48),
        ]
    )
    func tagFits(sampleRate: Int, channels: Int, kbps: Int) throws {
        let encoder = try MP3Encoder(sampleRate: sampleRate, channels: channels, mode: .cbr(kbps: kbps))
        var out = [UInt8]()
        try encoder.finish(appendingTo: &out)
        #expect(
            MP3Encoder.tagFits(sampleRate: sampleRate, channels: channels, kbps: kbps)
                == !encoder.lameTagFrame().isEmpty
        )
    }

    /// Interleaved input is the same signal as planar input, so it gives the same bytes.
    @Test("interleaved and planar input encode alike")
    func interleaved() throws {
        let encodeCase = EncodeCase(sampleRate: 8000, channels: 2, mode: nil)
        let left = encodeCase.left
        let right = try #require(encodeCase.right)
        var samples = [Int16]()
        for index in left.indices { samples += [left[index], right[index]] }
        let planarEncoder = try MP3Encoder(sampleRate: 8000, channels: 2)
        let interleavedEncoder = try MP3Encoder(sampleRate: 8000, channels: 2)
        var planar = [UInt8]()
        var interleaved = [UInt8]()
        try left.withUnsafeBufferPointer { l in
            try right.withUnsafeBufferPointer { r in try planarEncoder.encode(left: l, right: r, appendingTo: &planar) }
        }
        try samples.withUnsafeBufferPointer {
            try interleavedEncoder.encode(interleaved: $0, appendingTo: &interleaved)
        }
        try planarEncoder.finish(appendingTo: &planar)
        try interleavedEncoder.finish(appendingTo: &interleaved)
        #expect(planar == interleaved)
        #expect(planarEncoder.lameTagFrame() == interleavedEncoder.lameTagFrame())
    }

    /// Misuse is an error, not a crash: a missing right channel, input after finish, a tag frame written over
    /// something that is not the placeholder.
    @Test("misuse throws")
    func misuse() throws {
        let encoder = try MP3Encoder(sampleRate: 8000, channels: 2)
        var out = [UInt8]()
        let samples = [Int16](repeating: 0, count: 160)
        #expect(encoder.lameTagFrame().isEmpty)
        let error = #expect(throws: MP3EncoderError.self) {
            try samples.withUnsafeBufferPointer { try encoder.encode(left: $0, right: nil, appendingTo: &out) }
        }
        #expect(error?.code == .channelMismatch)
        try encoder.finish(appendingTo: &out)
        #expect(!encoder.lameTagFrame().isEmpty)
        #expect(throws: MP3EncoderError.self) { try encoder.finish(appendingTo: &out) }
        var notAStream = [UInt8](repeating: 0, count: 1000)
        let tagError = #expect(throws: MP3EncoderError.self) {
            try encoder.writeLAMETagFrame(into: &notAStream, streamOffset: 10)
        }
        #expect(tagError?.code == .tagPlaceholderMissing)
    }

    /// An empty recording still yields a valid stream: the tag frame and LAME's flush.
    @Test("no input gives a valid, short stream")
    func empty() throws {
        let file = try EncodedFile.encode(left: [], right: [], sampleRate: 8000)
        #expect(!file.lameTagFrame.isEmpty)
        #expect(FrameHeader(file.bytes[file.tagSize...]) != nil)
    }

    /// The LAME version is reported for the TSSE frame.
    @Test("LAME version")
    func version() {
        #expect(MP3Encoder.lameVersion.hasPrefix("3."))
    }
}
