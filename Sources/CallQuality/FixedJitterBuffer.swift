/// The receiver the quality model assumes (``QualityModel``): a jitter buffer of fixed depth that plays each packet
/// that long after its place on the sender's clock, fed packet by packet in sequence order with how late each came,
/// and telling which would have missed their turn (``LossPattern/Mark/late``).
///
/// Lateness is measured against a line of least delay (pass 2 uses the segment's placement, SPEC §3.4): a packet more
/// than the buffer's depth above it is late. A buffer that never moved its play-out point would lose every packet
/// after a lasting step in delay (a route change, or a sender that paused without advancing its timestamps, as the
/// projectrtp IVR capture does three times by 200 ms), which is not what a listener hears: the buffer runs dry once,
/// then plays on. So the play-out point moves, as a receiver's does when it starts again after running dry: after
/// ``resynchronizingRun`` late packets in a row it moves up to the least late of them (which then has the whole
/// depth to spare), and whenever a packet arrives before the play-out point it moves back down toward the line.
/// Jitter (delays that come and go) still makes late packets; a lasting step costs ``resynchronizingRun`` of them.
/// The rule is this product's model of a receiver, not a standard's: the report says the buffer is assumed.
public struct FixedJitterBuffer: Sendable {
    /// The buffer's depth, ms.
    public let depthMilliseconds: Double
    /// Late packets in a row after which the buffer takes a lasting delay change and re-synchronises (three 20 ms
    /// packets: 60 ms, the depth itself; a jitter spike's packets rarely come three in a row that late).
    public static let resynchronizingRun = 3

    /// How far above the least-delay line the play-out point has moved, ms.
    private var shift = 0.0
    private var lateRun = 0
    private var runMinimum = Double.infinity

    public init(depthMilliseconds: Double = QualityModel.jitterBufferMilliseconds) {
        self.depthMilliseconds = depthMilliseconds
    }

    /// The fate of the next packet, which arrived `lateness` ms after its place on the least-delay line.
    public mutating func mark(lateness: Double) -> LossPattern.Mark {
        guard lateness.isFinite else { return .received }
        let behind = lateness - shift
        if behind > depthMilliseconds {
            lateRun += 1
            runMinimum = min(runMinimum, behind)
            if lateRun >= Self.resynchronizingRun {
                shift += runMinimum
                lateRun = 0
                runMinimum = .infinity
            }
            return .late
        }
        lateRun = 0
        runMinimum = .infinity
        // Early: the play-out point comes back down, never below the line.
        if behind < 0 { shift = max(0, shift + behind) }
        return .received
    }

    /// Starts again on a new least-delay line (a new segment: another sender, or the same one re-anchored).
    public mutating func restart() {
        shift = 0
        lateRun = 0
        runMinimum = .infinity
    }
}
