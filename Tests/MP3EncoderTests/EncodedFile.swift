import Foundation
import MP3Encoder

/// A complete MP3 file as the pipeline writes it: ID3v2.4 tag, then the LAME stream whose first frame (the
/// placeholder) is overwritten with the final Xing/Info + LAME tag frame.
struct EncodedFile {
    var bytes: [UInt8]
    var tagSize: Int
    var encoderDelay: Int
    var encoderPadding: Int
    var frameSize: Int
    var totalFrames: Int
    var lameTagFrame: [UInt8]
    var placeholderFrame: [UInt8]

    /// Encodes `left` (and `right` for stereo) in blocks of `block` samples, to exercise LAME's buffering.
    static func encode(
        left: [Int16],
        right: [Int16]?,
        sampleRate: Int,
        mode: MP3Encoder.Mode? = nil,
        block: Int = 4000,
        tag: ID3Tag = ID3Tag(title: "test")
    ) throws -> EncodedFile {
        let encoder = try MP3Encoder(sampleRate: sampleRate, channels: right == nil ? 1 : 2, mode: mode)
        var stream = [UInt8]()
        var start = 0
        while start < left.count {
            let end = min(left.count, start + block)
            try left[start..<end].withUnsafeBufferPointer { l in
                if let right {
                    try right[start..<end].withUnsafeBufferPointer { r in
                        try encoder.encode(left: l, right: r, appendingTo: &stream)
                    }
                } else {
                    try encoder.encode(left: l, right: nil, appendingTo: &stream)
                }
            }
            start = end
        }
        try encoder.finish(appendingTo: &stream)
        let lameTag = encoder.lameTagFrame()
        let placeholder = Array(stream.prefix(lameTag.count))
        let tagBytes = tag.bytes()
        var file = tagBytes + stream
        try encoder.writeLAMETagFrame(into: &file, streamOffset: tagBytes.count)
        return EncodedFile(
            bytes: file,
            tagSize: tagBytes.count,
            encoderDelay: encoder.encoderDelay,
            encoderPadding: encoder.encoderPadding,
            frameSize: encoder.frameSize,
            totalFrames: encoder.totalFrames,
            lameTagFrame: lameTag,
            placeholderFrame: placeholder
        )
    }

    /// Writes the file to a fresh temporary path and returns it.
    func write() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mp3test-\(UUID().uuidString).mp3")
        try Data(bytes).write(to: url)
        return url
    }
}

/// Signal synthesis and analysis for the tests.
enum Signal {
    /// A sine of `frequency` Hz and peak `amplitude`, `count` samples at `sampleRate`.
    static func tone(frequency: Double, amplitude: Double, sampleRate: Int, count: Int) -> [Int16] {
        (0..<count).map { n in
            Int16((amplitude * sin(2 * Double.pi * frequency * Double(n) / Double(sampleRate))).rounded())
        }
    }

    /// The peak amplitude of the `frequency` component of `samples` (Goertzel algorithm: one DFT bin; with
    /// a Hann window so a neighbouring tone does not leak into the bin).
    static func amplitude(of frequency: Double, in samples: ArraySlice<Int16>, sampleRate: Int) -> Double {
        let count = samples.count
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
        var s1 = 0.0
        var s2 = 0.0
        var windowSum = 0.0
        for (n, sample) in samples.enumerated() {
            let window = 0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(count - 1))
            windowSum += window
            let s0 = Double(sample) * window + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        return 2 * power.squareRoot() / windowSum
    }

    static func decibels(_ ratio: Double) -> Double { 20 * log10(max(ratio, 1e-12)) }

    /// Splits interleaved stereo (or returns mono as is) into channels.
    static func deinterleave(_ samples: [Int16], channels: Int) -> [[Int16]] {
        (0..<channels).map { channel in stride(from: channel, to: samples.count, by: channels).map { samples[$0] } }
    }

    static func int16LE(_ data: Data) -> [Int16] {
        var words = [Int16]()
        words.reserveCapacity(data.count / 2)
        var index = data.startIndex
        while index + 1 < data.endIndex {
            words.append(Int16(bitPattern: UInt16(data[index]) | UInt16(data[index + 1]) << 8))
            index += 2
        }
        return words
    }
}

/// The fields of an MPEG audio layer III frame header the tests check (ISO/IEC 11172-3 §2.4.1.3, 13818-3).
struct FrameHeader {
    var version: Int  // 1, 2, or 25 for MPEG-2.5
    var bitrateKbps: Int
    var sampleRate: Int
    var padding: Bool
    var channelMode: Int  // 0 stereo, 1 joint stereo, 2 dual channel, 3 mono

    var length: Int {
        let samples = version == 1 ? 144 : 72
        return samples * bitrateKbps * 1000 / sampleRate + (padding ? 1 : 0)
    }

    /// Side information length, after which a Xing/Info tag starts.
    var sideInfoLength: Int {
        if version == 1 { return channelMode == 3 ? 17 : 32 }
        return channelMode == 3 ? 9 : 17
    }

    init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count >= 4 else { return nil }
        let b = Array(bytes.prefix(4))
        guard b[0] == 0xFF, b[1] & 0xE0 == 0xE0, (b[1] >> 1) & 3 == 1 else { return nil }  // sync, layer III
        switch (b[1] >> 3) & 3 {
        case 3: version = 1
        case 2: version = 2
        case 0: version = 25
        default: return nil
        }
        let bitrateIndex = Int(b[2] >> 4)
        let rateIndex = Int((b[2] >> 2) & 3)
        guard bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let mpeg1Rates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
        let mpeg2Rates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
        bitrateKbps = version == 1 ? mpeg1Rates[bitrateIndex] : mpeg2Rates[bitrateIndex]
        let baseRates = [44100, 48000, 32000]
        sampleRate = baseRates[rateIndex] / (version == 1 ? 1 : version == 2 ? 2 : 4)
        padding = (b[2] >> 1) & 1 == 1
        channelMode = Int(b[3] >> 6)
    }
}
