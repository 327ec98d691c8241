/// Everything the picture keeps of one leg, aggregated per pixel column as it arrives, so that memory and the
/// SVG's size depend on the picture's width, never on the call's length or its number of packets.
struct LegColumns: Sendable {
    let columns: Int
    /// Leg samples the whole call spans (duration × rate), at least 1.
    let totalSamples: Int

    /// Per column: the largest |sample|, the sum of squares (integer, so that it does not depend on how the samples
    /// were cut into blocks) and the number of samples.
    private(set) var peak: [UInt16]
    private(set) var energy: [Int64]
    private(set) var count: [Int32]
    /// Per column: the ``IntervalKind`` bits marked in it.
    private(set) var intervals: [UInt8]
    /// Per column: the largest jitter given in it, ms (−1: none).
    private(set) var jitter: [Float]
    /// Per column holding DTMF: its digits in order, at most `digitLimit` (then `…`).
    private(set) var digits: [Int: String] = [:]
    /// Per column holding changes: their labels and kinds, at most `changeLimit` (then counted in `hiddenChanges`).
    private(set) var changes: [Int: [(label: String, kind: ChangeKind)]] = [:]
    private(set) var hiddenChanges: [Int: Int] = [:]

    static let digitLimit = 8
    static let changeLimit = 2

    /// Where the next appended sample lies (leg samples from the start of the call).
    private var position = 0
    private var column = 0
    /// The first sample of the next column.
    private var boundary = 0

    init(columns: Int, totalSamples: Int) {
        self.columns = columns
        self.totalSamples = max(1, totalSamples)
        peak = [UInt16](repeating: 0, count: columns)
        energy = [Int64](repeating: 0, count: columns)
        count = [Int32](repeating: 0, count: columns)
        intervals = [UInt8](repeating: 0, count: columns)
        jitter = [Float](repeating: -1, count: columns)
        boundary = firstSample(of: 1)
    }

    /// The first leg sample of column `index` (the columns share the samples out evenly, rounding up).
    private func firstSample(of index: Int) -> Int {
        (index * totalSamples + columns - 1) / columns
    }

    /// Takes the next samples; samples past the end of the call go to the last column.
    mutating func append(_ samples: UnsafeBufferPointer<Int16>) {
        var index = 0
        while index < samples.count {
            let isLast = column == columns - 1
            let end = isLast ? samples.count : min(samples.count, index + boundary - position)
            var largest: UInt16 = 0
            var squares: Int64 = 0
            var cursor = index
            while cursor < end {
                let value = samples[cursor]
                if value.magnitude > largest { largest = value.magnitude }
                squares &+= Int64(value) &* Int64(value)
                cursor &+= 1
            }
            peak[column] = max(peak[column], largest)
            // Exact: whatever blocks the samples come in, the same sums (at most 2³⁰ per sample, and no column of
            // a day-long call at 384 kHz holds 2³³ samples).
            energy[column] &+= squares
            count[column] &+= Int32(truncatingIfNeeded: end - index)
            position += end - index
            index = end
            if !isLast && position == boundary {
                column += 1
                boundary = firstSample(of: column + 1)
            }
        }
    }

    /// The columns an interval of `[start, end)` in fractions of the call covers: at least one.
    func columnRange(start: Double, end: Double) -> ClosedRange<Int> {
        let first = clampedColumn(start)
        let last = max(first, clampedColumn(end.nextDown))
        return first...last
    }

    /// The column of a point in fractions of the call.
    func clampedColumn(_ fraction: Double) -> Int {
        guard fraction.isFinite else { return fraction > 0 ? columns - 1 : 0 }
        return min(columns - 1, Int((min(1, max(0, fraction)) * Double(columns)).rounded(.down)))
    }

    mutating func mark(_ kind: IntervalKind, columns range: ClosedRange<Int>) {
        for index in range { intervals[index] |= kind.bit }
    }

    mutating func mark(digit: String, column index: Int) {
        let existing = digits[index, default: ""]
        if existing.count < Self.digitLimit {
            digits[index] = existing + digit
        } else if !existing.hasSuffix("…") {
            digits[index] = existing + "…"
        }
    }

    mutating func mark(change label: String, kind: ChangeKind, column index: Int) {
        if changes[index, default: []].count < Self.changeLimit {
            changes[index, default: []].append((label, kind))
        } else {
            hiddenChanges[index, default: 0] += 1
        }
    }

    mutating func jitter(_ milliseconds: Double, column index: Int) {
        guard milliseconds.isFinite, milliseconds >= 0 else { return }
        jitter[index] = max(jitter[index], Float(min(milliseconds, 1e6)))
    }
}
