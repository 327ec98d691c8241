/// How long a payload plays and whether it fits its codec: what pass 1 of the timeline needs to know where a
/// packet ends, without cutting frames.
public struct PayloadDuration: Sendable, Hashable {
    /// The payload's duration in RTP clock ticks (``Codec/rtpClockRate``).
    public var ticks: Int
    /// False when the payload's size or layout does not fit its codec: its frames are
    /// ``CodecFrame/Kind/damaged`` (concealed and counted, never decoded as noise).
    public var fitsCodec: Bool

    public init(ticks: Int, fitsCodec: Bool) {
        self.ticks = ticks
        self.fitsCodec = fitsCodec
    }
}
