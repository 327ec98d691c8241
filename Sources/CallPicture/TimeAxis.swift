/// The time axis: tick spacing chosen by the call's duration (tenths of a second to hours) so that ticks are at
/// least `minimumSpacing` pixels apart, and their labels.
struct TimeAxis: Sendable, Equatable {
    /// Seconds between ticks.
    let step: Double
    /// Tick times, seconds from the start of the call.
    let ticks: [Double]
    /// The call's length, seconds.
    let duration: Double

    /// Steps a reader counts in: 1-2-5 below a minute, then minutes and hours in their usual divisions.
    static let steps: [Double] = [
        0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    ]

    init(duration: Double, width: Double, minimumSpacing: Double = 80) {
        let duration = duration.isFinite && duration > 0 ? duration : 1
        self.duration = duration
        let maximumTicks = max(1, width / minimumSpacing)
        let step = Self.steps.first { duration / $0 <= maximumTicks } ?? Self.steps[Self.steps.count - 1]
        self.step = step
        ticks = (0...Int((duration / step).rounded(.down))).map { Double($0) * step }
    }

    /// A tick's label: `0.5 s` steps below a second, `0:05` (m:ss) under an hour, `1:05:00` (h:mm:ss) from an
    /// hour on, so that a label never reads as minutes in one picture and hours in another.
    func label(_ seconds: Double) -> String {
        if step < 1 {
            let tenths = Int((seconds * 10).rounded())
            return "\(tenths / 10).\(tenths % 10) s"
        }
        let whole = Int(seconds.rounded())
        if duration < 3600 {
            return "\(whole / 60):\(twoDigits(whole % 60))"
        }
        return "\(whole / 3600):\(twoDigits(whole / 60 % 60)):\(twoDigits(whole % 60))"
    }

    /// A duration as the header shows it: `12.3 s` under a minute, `4:05` under an hour, `1:02:03` beyond.
    static func durationText(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "0 s" }
        if seconds < 60 {
            let tenths = Int((seconds * 10).rounded())
            return "\(tenths / 10).\(tenths % 10) s"
        }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60):\(twoDigits(whole % 60))" }
        return "\(whole / 3600):\(twoDigits(whole / 60 % 60)):\(twoDigits(whole % 60))"
    }
}

/// `n` with a leading zero below 10.
func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// A capture time as UTC text, `2024-05-01 12:34:56 UTC` (the proleptic Gregorian calendar; days from the epoch
/// to a civil date by H. Hinnant's `civil_from_days` algorithm, chrono-Compatible Low-Level Date Algorithms).
func utcText(epochNanoseconds: Int64) -> String {
    let seconds = epochNanoseconds >= 0 ? epochNanoseconds / 1_000_000_000 : (epochNanoseconds + 1) / 1_000_000_000 - 1
    let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
    let secondOfDay = Int(seconds - days * 86400)
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    let time = "\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay / 60 % 60)):\(twoDigits(secondOfDay % 60))"
    return "\(year)-\(twoDigits(Int(month)))-\(twoDigits(Int(day))) \(time) UTC"
}
