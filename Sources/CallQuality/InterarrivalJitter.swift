/// The interarrival jitter of one RTP stream as RFC 3550 §6.4.1 and §A.8 define it, updated packet by packet in
/// arrival order, for drawing the jitter over time (pass 1 reports only its value at the end of the stream).
///
/// J(i) = J(i−1) + (|D(i−1, i)| − J(i−1)) / 16, where D is the difference between two packets' spacing on arrival
/// and their spacing in RTP time, both in RTP timestamp units.
public struct InterarrivalJitter: Sendable {
    /// The RTP clock rate of the stream's timestamps, Hz.
    public let clockRate: Int
    /// J in timestamp units.
    private var jitter = 0.0
    private var previous: (arrival: Int64, timestamp: UInt32)?

    public init(clockRate: Int) {
        self.clockRate = max(1, clockRate)
    }

    /// The jitter so far, ms.
    public var milliseconds: Double { jitter * 1000 / Double(clockRate) }

    /// Takes the next packet in arrival order: its capture time (ns) and RTP timestamp. Returns the jitter in ms.
    @discardableResult
    public mutating func add(arrivalNanoseconds arrival: Int64, timestamp: UInt32) -> Double {
        if let previous {
            let arrivalDelta = Double(arrival &- previous.arrival) * Double(clockRate) / 1e9
            // RTP timestamps wrap at 2³²; the signed difference is right across a wrap.
            let rtpDelta = Double(Int32(bitPattern: timestamp &- previous.timestamp))
            let difference = abs(arrivalDelta - rtpDelta)
            // A jump of more than a minute is a sender restart, not jitter (the timeline re-anchors there).
            if difference.isFinite && difference < Double(clockRate) * 60 {
                jitter += (difference - jitter) / 16
            }
        }
        previous = (arrival, timestamp)
        return milliseconds
    }
}
