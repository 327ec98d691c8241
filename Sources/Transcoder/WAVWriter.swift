/// WAVE files of 16-bit linear PCM (the RIFF "WAVE" form of the Microsoft/IBM Multimedia Programming Interface and
/// Data Specifications 1.0, 1991: a `fmt ` chunk with WAVE_FORMAT_PCM, then one `data` chunk).
///
/// Streaming use: write `header(sampleRate:channels:frameCount: 0)`, append the samples with `append`, count the
/// frames, and when the stream ends overwrite the first 44 bytes with the header for the real count. RIFF sizes are
/// 32-bit, so a file holds at most `maximumFrameCount(channels:)` frames; beyond that `header` throws rather than
/// writing a size that wraps.
public struct WAVWriter: Hashable, Sendable {
    /// Samples per second per channel.
    public let sampleRate: Int
    /// Interleaved channels (1 mono, 2 stereo: left = leg A, right = leg B).
    public let channels: Int
    /// Frames (one sample per channel) appended so far.
    public private(set) var frameCount = 0

    /// The size of the header this writer produces: RIFF header 12 + `fmt ` chunk 24 + `data` chunk header 8.
    public static let headerSize = 44

    /// Bytes per sample: 16-bit PCM.
    private static let bytesPerSample = 2

    /// A writer for the given format; nothing is written until `header` or `append` is called.
    public init(sampleRate: Int, channels: Int) throws(WAVWriterError) {
        try Self.validate(sampleRate: sampleRate, channels: channels)
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// The most frames a WAVE file of this format can hold: the RIFF chunk size (file size − 8) is a UInt32.
    public static func maximumFrameCount(channels: Int) -> Int {
        (Int(UInt32.max) - (headerSize - 8)) / (bytesPerSample * max(1, channels))
    }

    /// The 44-byte header for `frameCount` frames of 16-bit PCM.
    public static func header(sampleRate: Int, channels: Int, frameCount: Int) throws(WAVWriterError) -> [UInt8] {
        try validate(sampleRate: sampleRate, channels: channels)
        guard frameCount >= 0, frameCount <= maximumFrameCount(channels: channels) else {
            throw WAVWriterError(
                .tooLarge,
                detail: "expected at most \(maximumFrameCount(channels: channels)) frames (4 GiB RIFF limit) for "
                    + "\(channels) channel(s), found \(frameCount)"
            )
        }
        let blockAlign = channels * bytesPerSample
        let dataSize = frameCount * blockAlign
        var bytes = [UInt8]()
        bytes.reserveCapacity(headerSize)
        bytes += Array("RIFF".utf8)
        appendLittleEndian(UInt32(headerSize - 8 + dataSize), to: &bytes)
        bytes += Array("WAVE".utf8)
        bytes += Array("fmt ".utf8)
        appendLittleEndian(UInt32(16), to: &bytes)  // PCM fmt chunk: 16 bytes
        appendLittleEndian(UInt16(1), to: &bytes)  // WAVE_FORMAT_PCM
        appendLittleEndian(UInt16(channels), to: &bytes)
        appendLittleEndian(UInt32(sampleRate), to: &bytes)
        appendLittleEndian(UInt32(sampleRate * blockAlign), to: &bytes)  // byte rate
        appendLittleEndian(UInt16(blockAlign), to: &bytes)
        appendLittleEndian(UInt16(bytesPerSample * 8), to: &bytes)  // bits per sample
        bytes += Array("data".utf8)
        appendLittleEndian(UInt32(dataSize), to: &bytes)
        return bytes
    }

    /// The header for the frames appended so far.
    public func header() throws(WAVWriterError) -> [UInt8] {
        try Self.header(sampleRate: sampleRate, channels: channels, frameCount: frameCount)
    }

    /// Appends one block as little-endian interleaved samples and counts its frames. `right` is required for
    /// stereo (same length as `left`) and must be `nil` for mono. Throws when the file would pass the 4 GiB limit,
    /// appending nothing.
    public mutating func append(
        left: UnsafeBufferPointer<Int16>,
        right: UnsafeBufferPointer<Int16>?,
        to output: inout [UInt8]
    ) throws(WAVWriterError) {
        if channels == 2 {
            guard let right, right.count == left.count else {
                throw WAVWriterError(
                    .channelMismatch,
                    detail: "expected a right channel of \(left.count) samples, found \(right?.count ?? 0)"
                )
            }
        } else if right != nil {
            throw WAVWriterError(.channelMismatch, detail: "expected no right channel for mono")
        }
        let newCount = frameCount + left.count
        guard newCount <= Self.maximumFrameCount(channels: channels) else {
            throw WAVWriterError(
                .tooLarge,
                detail: "expected at most \(Self.maximumFrameCount(channels: channels)) frames (4 GiB RIFF limit), "
                    + "found \(newCount)"
            )
        }
        Self.interleave(left: left, right: right, appendingTo: &output)
        frameCount = newCount
    }

    /// Appends `left` (and `right`, sample by sample after each left one) as 16-bit little-endian PCM.
    public static func interleave(
        left: UnsafeBufferPointer<Int16>,
        right: UnsafeBufferPointer<Int16>?,
        appendingTo output: inout [UInt8]
    ) {
        let channels = right == nil ? 1 : 2
        let frames = min(left.count, right?.count ?? left.count)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: frames * channels * bytesPerSample))
        output.withUnsafeMutableBufferPointer { buffer in
            var index = start
            for frame in 0..<frames {
                let l = UInt16(bitPattern: left[frame])
                buffer[index] = UInt8(truncatingIfNeeded: l)
                buffer[index + 1] = UInt8(truncatingIfNeeded: l >> 8)
                index += 2
                if let right {
                    let r = UInt16(bitPattern: right[frame])
                    buffer[index] = UInt8(truncatingIfNeeded: r)
                    buffer[index + 1] = UInt8(truncatingIfNeeded: r >> 8)
                    index += 2
                }
            }
        }
    }

    private static func validate(sampleRate: Int, channels: Int) throws(WAVWriterError) {
        guard (1...2).contains(channels) else {
            throw WAVWriterError(.unsupportedFormat, detail: "expected 1 or 2 channels, found \(channels)")
        }
        guard sampleRate > 0, sampleRate * channels * bytesPerSample <= Int(UInt32.max) else {
            throw WAVWriterError(.unsupportedFormat, detail: "expected a positive sample rate, found \(sampleRate)")
        }
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: T.bitWidth, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }
}
