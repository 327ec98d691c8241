/// The picture of one call (SPEC §4): one lane per leg, caller on top, on one time axis; in each lane the level of
/// the decoded audio, the intervals that were lost, concealed, comfort noise or silence, DTMF digits, codec and
/// SSRC changes, and the jitter over time; a header with the call, its start, its length and each leg's MOS.
///
/// It is fed as pass 2 renders the call, and aggregates per pixel column as it goes: memory and the SVG's size
/// depend on the picture's width, not on the call's length (an hour-long call is a few hundred KB at most).
///
/// ```swift
/// var picture = PictureBuilder(durationMilliseconds: ms, legs: [a, b])
/// picture.append(samples: pcm, leg: 0)                          // each leg's PCM at its rate, from the start
/// picture.mark(.concealed, startMilliseconds: 1200, durationMilliseconds: 40, leg: 0)
/// picture.mark(dtmf: "5", atMilliseconds: 8000, leg: 1)
/// picture.mark(change: "SSRC 0x1234ABCD", kind: .ssrc, atMilliseconds: 15000, leg: 0)
/// picture.jitter(atMilliseconds: 2000, milliseconds: 3.5, leg: 0)
/// let svg = picture.svg(header: header)
/// ```
///
/// Output is deterministic: the same calls in the same order give the same bytes.
public struct PictureBuilder: Sendable {
    /// The call's length, ms (every time given is an offset from the call's start, in ms).
    public let durationMilliseconds: Double
    public let legs: [PictureLeg]
    package let layout: PictureLayout
    var lanes: [LegColumns]

    /// A picture `width` pixels wide (1200 by default) of a call lasting `durationMilliseconds`, with one lane per
    /// leg (leg A first: it is drawn on top). At most two legs are drawn.
    public init(durationMilliseconds: Double, legs: [PictureLeg], width: Int = 1200) {
        let duration = durationMilliseconds.isFinite ? max(durationMilliseconds, 1) : 1
        self.durationMilliseconds = duration
        self.legs = Array(legs.prefix(2))
        layout = PictureLayout(width: width, legCount: self.legs.count)
        let columns = layout.columns
        lanes = self.legs.map { leg in
            // At most a day of samples at the leg's rate (a longer call is refused before rendering).
            let rate = Double(min(max(leg.sampleRate, 1), 384_000))
            let total = Int((min(duration, 86_400_000) * rate / 1000).rounded())
            return LegColumns(columns: columns, totalSamples: total)
        }
    }

    /// Takes the next decoded samples of leg `leg` (0 = A), at the leg's rate, continuing where the previous ones
    /// ended; the first sample is the call's first instant. Pass 2 calls this for every block it renders.
    public mutating func append(samples: UnsafeBufferPointer<Int16>, leg: Int) {
        guard lanes.indices.contains(leg) else { return }
        lanes[leg].append(samples)
    }

    /// Takes the next decoded samples of leg `leg`.
    public mutating func append(samples: [Int16], leg: Int) {
        samples.withUnsafeBufferPointer { append(samples: $0, leg: leg) }
    }

    /// Marks an interval of leg `leg` filled with `kind` (a gap of the report's gap map).
    public mutating func mark(
        _ kind: IntervalKind,
        startMilliseconds: Double,
        durationMilliseconds length: Double,
        leg: Int
    ) {
        guard lanes.indices.contains(leg), startMilliseconds.isFinite, length.isFinite else { return }
        let range = lanes[leg].columnRange(
            start: startMilliseconds / durationMilliseconds,
            end: (startMilliseconds + max(0, length)) / durationMilliseconds
        )
        lanes[leg].mark(kind, columns: range)
    }

    /// Marks a DTMF digit (`0`–`9`, `*`, `#`, `A`–`D`; longer names are cut to their first character) pressed on
    /// leg `leg` at `atMilliseconds`.
    public mutating func mark(dtmf digit: String, atMilliseconds time: Double, leg: Int) {
        guard lanes.indices.contains(leg), let first = digit.first, time.isFinite else { return }
        let shown = digit.hasPrefix("event") ? "?" : String(first)
        lanes[leg].mark(digit: shown, column: lanes[leg].clampedColumn(time / durationMilliseconds))
    }

    /// Marks the start of a new segment of leg `leg` at `atMilliseconds`: `label` says what changed
    /// (`SSRC 0x1234ABCD`, `PCMU → G722`).
    public mutating func mark(change label: String, kind: ChangeKind, atMilliseconds time: Double, leg: Int) {
        guard lanes.indices.contains(leg), time.isFinite else { return }
        lanes[leg].mark(change: label, kind: kind, column: lanes[leg].clampedColumn(time / durationMilliseconds))
    }

    /// Records the leg's interarrival jitter (RFC 3550 §A.8) as it stood at `atMilliseconds`; the picture draws
    /// the largest value of each pixel column.
    public mutating func jitter(atMilliseconds time: Double, milliseconds: Double, leg: Int) {
        guard lanes.indices.contains(leg), time.isFinite else { return }
        lanes[leg].jitter(milliseconds, column: lanes[leg].clampedColumn(time / durationMilliseconds))
    }

    /// The picture as SVG text (UTF-8, self-contained: no script, no external font or image).
    public func svg(header: PictureHeader) -> String {
        var writer = SVGWriter()
        render(header: header, into: &writer)
        return writer.text
    }

    /// The picture as the bytes of an `.svg` file.
    public func svgBytes(header: PictureHeader) -> [UInt8] {
        Array(svg(header: header).utf8)
    }
}
