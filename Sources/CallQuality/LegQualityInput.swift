/// What the quality model needs to know of one leg: its codec, how it was packetized, what became of its packets,
/// and how much their arrival varied.
///
/// The packet counts are those of a listener behind a fixed 60 ms jitter buffer (see ``QualityModel``): `lost`
/// packets never arrived (RFC 3550 §6.4.1 cumulative loss: concealed and silenced alike), `late` ones arrived
/// more than the buffer's depth after the least-delayed packets (pass 1 counts them with
/// `TimelineOptions.lateThreshold`, 60 ms by default). Both count as lost.
public struct LegQualityInput: Sendable, Equatable {
    /// The codec the leg used (the one of most packets when it changed).
    public var codec: CodecIdentity
    /// Whether lost audio is concealed (rtp2mp3 always conceals losses up to 60 ms).
    public var concealed = true
    /// Audio per packet, ms (20 for most senders).
    public var packetMilliseconds = 20.0
    /// Packets due: expected from the sequence numbers (RFC 3550 §A.3), received or not.
    public var expectedPackets: Int
    /// Packets that never arrived.
    public var lostPackets: Int
    /// Packets later than the jitter buffer's depth; nil when not measured (then estimated from the jitter).
    public var latePackets: Int?
    /// Runs of consecutive missing (lost or late) packets; nil when not measured (then BurstR = 1, random loss).
    public var lossBursts: Int?
    /// RFC 3550 §A.8 interarrival jitter, ms.
    public var jitterMilliseconds: Double
    /// One-way network delay, ms, where known (from RTCP round trips, say); nil: not measured, 0 assumed.
    public var networkDelayMilliseconds: Double?

    public init(
        codec: CodecIdentity,
        expectedPackets: Int,
        lostPackets: Int,
        latePackets: Int?,
        lossBursts: Int?,
        jitterMilliseconds: Double,
        packetMilliseconds: Double = 20,
        networkDelayMilliseconds: Double? = nil
    ) {
        self.codec = codec
        self.expectedPackets = expectedPackets
        self.lostPackets = lostPackets
        self.latePackets = latePackets
        self.lossBursts = lossBursts
        self.jitterMilliseconds = jitterMilliseconds
        self.packetMilliseconds = packetMilliseconds
        self.networkDelayMilliseconds = networkDelayMilliseconds
    }

    /// The input from a leg's ``LossPattern`` (which counts the late packets among the missing ones).
    public init(
        codec: CodecIdentity,
        pattern: LossPattern,
        jitterMilliseconds: Double,
        packetMilliseconds: Double = 20,
        networkDelayMilliseconds: Double? = nil
    ) {
        self.init(
            codec: codec,
            expectedPackets: pattern.packets,
            lostPackets: pattern.missing - pattern.late,
            latePackets: pattern.late,
            lossBursts: pattern.bursts,
            jitterMilliseconds: jitterMilliseconds,
            packetMilliseconds: packetMilliseconds,
            networkDelayMilliseconds: networkDelayMilliseconds
        )
    }
}
