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
    /// A transit difference |D| beyond this, in timestamp units, is a sender restart, not jitter.
    private let restartUnits: Double

    /// A stream on an RTP clock of `clockRate` Hz. A difference between two packets' spacings of more than
    /// `restartMilliseconds` is taken for a sender restart (RTP time no longer explains capture time; the timeline
    /// re-anchors there, SPEC §3.4) and left out of J.
    public init(clockRate: Int, restartMilliseconds: Double = 60_000) {
        self.clockRate = max(1, clockRate)
        restartUnits = Double(self.clockRate) * max(0, restartMilliseconds) / 1000
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
            // A jump beyond the restart threshold is a sender restart, not jitter (the timeline re-anchors there).
            if difference.isFinite && difference < restartUnits {
                jitter += (difference - jitter) / 16
            }
        }
        previous = (arrival, timestamp)
        return milliseconds
    }
}
