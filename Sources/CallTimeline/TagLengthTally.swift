/// Pass 1 evidence (c) of SPEC §2.4 for one payload type of a stream: how long payloads are for the timestamp
/// step to the next packet. A fixed-rate codec's payload is exactly its frames' bytes; SRTP appends its
/// authentication tag (10 bytes for HMAC-SHA1-80, 4 for HMAC-SHA1-32, 16 for AEAD; RFC 3711 §4.2, RFC 7714 §9),
/// possibly after an MKI, so every payload is longer by the same few bytes.
///
/// The codec need not be known while packets are read: the tally keeps (step, length) counts — a handful for a
/// real stream — and `finding(format:)` measures them against the codec once it is resolved.
public struct TagLengthTally: Sendable {
    private struct Shape: Hashable {
        var step: Int
        var length: Int
    }

    private var shapes: [Shape: Int] = [:]
    /// Pairs whose shape did not fit in the table (a variable-rate codec).
    private var overflow = 0
    private var previous: (sequence: UInt16, timestamp: UInt32, length: Int)?

    /// Distinct (step, length) shapes kept; a fixed-rate stream has one or two, silence suppression a few more.
    static let shapeLimit = 64
    /// Fewer measured pairs decide nothing.
    public static let minimumPairs = 20
    /// An MKI of up to this many bytes may sit between payload and tag (RFC 3711 §3.1; SDES writers use 1–4).
    public static let maximumMKILength = 4

    public init() {}

    /// Notes a packet (in arrival order): with the previous one, if its sequence number is the next, it makes a
    /// pair whose timestamp step and first payload length are counted.
    public mutating func add(sequenceNumber: UInt16, timestamp: UInt32, payloadLength: Int) {
        defer { previous = (sequenceNumber, timestamp, payloadLength) }
        guard let previous, sequenceNumber == previous.sequence &+ 1 else { return }
        let step = Int(Int32(bitPattern: timestamp &- previous.timestamp))
        guard step > 0, step <= 48_000 else { return }
        let shape = Shape(step: step, length: previous.length)
        if shapes[shape] != nil || shapes.count < Self.shapeLimit {
            shapes[shape, default: 0] += 1
        } else {
            overflow += 1
        }
    }

    /// The tag evidence for the codec `format`, or nil: at least 20 pairs measured, and in at least half of them
    /// the payload exceeds the frames of its step by the same 4, 10 or 16 bytes (plus at most 4 of MKI). Clear
    /// streams of fixed-rate codecs exceed by 0 (or, for G.729 with a comfort-noise frame, by 2).
    public func finding(format: FixedRateFormat) -> TagLengthFinding? {
        guard let (excess, count, measured) = dominantExcess(format: format), measured >= Self.minimumPairs,
            Self.isTagLength(excess), count * 2 >= measured
        else { return nil }
        return TagLengthFinding(codec: format.name, extraBytes: excess, pairs: count, measuredPairs: measured)
    }

    /// The most common excess of payload over frame bytes for `format`, how many pairs had it, and how many
    /// pairs were measured (0 for a clear stream; the figure `finding(format:)` judges).
    public func dominantExcess(format: FixedRateFormat) -> (excess: Int, pairs: Int, measured: Int)? {
        var byExcess: [Int: Int] = [:]
        var measured = overflow
        for (shape, count) in shapes {
            guard let expected = format.expectedBytes(ticks: shape.step) else { continue }
            byExcess[shape.length - expected, default: 0] += count
            measured += count
        }
        guard let (excess, count) = byExcess.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) else { return nil }
        return (excess, count, measured)
    }

    /// 4, 10 or 16, each with up to 4 bytes of MKI.
    static func isTagLength(_ excess: Int) -> Bool {
        [4, 10, 16].contains { excess >= $0 && excess - $0 <= maximumMKILength }
    }
}
