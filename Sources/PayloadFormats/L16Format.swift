/// The L16 payload format (RFC 3551 §4.5.11): 16-bit big-endian samples at the signalled rate, channels interleaved.
public struct L16Format: Sendable, Hashable {
    /// The sample rate and RTP clock rate, in Hz.
    public var clockRate: Int
    /// The number of interleaved channels (at least 1).
    public var channels: Int

    public init(clockRate: Int, channels: Int = 1) {
        self.clockRate = clockRate
        self.channels = channels
    }

    /// Bytes per sample time: 2 per channel.
    public var bytesPerTick: Int { 2 * channels }
}
