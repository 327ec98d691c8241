/// L16 (RFC 3551 §4.5.11): uncompressed 16-bit signed samples in network byte order (big-endian), at any rate and
/// with any number of channels, interleaved sample by sample. The decoder mixes the channels to mono.
public struct L16Decoder: Sendable {
    /// The sample rate (the RTP clock rate signalled for the payload type), in Hz.
    public let sampleRate: Int
    /// The number of interleaved channels in a payload.
    public let channels: Int

    /// A decoder for `channels` interleaved channels (at least 1) at `sampleRate`.
    public init(sampleRate: Int, channels: Int = 1) {
        precondition(channels >= 1, "L16Decoder: at least one channel")
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Decodes big-endian samples and appends one mono sample per frame of `channels` samples: the channels'
    /// mean, rounded to nearest. A trailing partial frame is ignored.
    public func decode(_ bytes: UnsafeRawBufferPointer, appendingTo samples: inout [Int16]) {
        let frameBytes = 2 * channels
        let count = bytes.count / frameBytes
        guard count > 0 else { return }
        samples.reserveCapacity(samples.count + count)
        if channels == 1 {
            for index in 0..<count {
                samples.append(Int16(bitPattern: UInt16(bytes[2 * index]) << 8 | UInt16(bytes[2 * index + 1])))
            }
            return
        }
        let divisor = Int64(channels)
        for frame in 0..<count {
            var sum: Int64 = 0
            for channel in 0..<channels {
                let offset = frame * frameBytes + 2 * channel
                sum += Int64(Int16(bitPattern: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])))
            }
            // Rounded to nearest, halves away from zero; the mean of Int16 values is an Int16.
            let rounded = (2 * sum + (sum < 0 ? -divisor : divisor)) / (2 * divisor)
            samples.append(Int16(rounded))
        }
    }

    /// Decodes big-endian samples into a new array.
    public func decode(_ bytes: [UInt8]) -> [Int16] {
        var samples: [Int16] = []
        bytes.withUnsafeBytes { decode($0, appendingTo: &samples) }
        return samples
    }
}
