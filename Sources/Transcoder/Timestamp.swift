/// RFC 3339 text for capture times (UTC), computed without the wall clock or a calendar library.
enum Timestamp {
    /// `2026-11-29T10:00:00.123Z` for nanoseconds since the Unix epoch.
    static func rfc3339(nanoseconds: Int64) -> String {
        let milliseconds = nanoseconds.dividedFloor(by: 1_000_000)
        let seconds = milliseconds.dividedFloor(by: 1000)
        let (year, month, day) = civilDate(daysSinceEpoch: seconds.dividedFloor(by: 86_400))
        let secondOfDay = seconds - seconds.dividedFloor(by: 86_400) * 86_400
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(milliseconds - seconds * 1000, 3))Z"
    }

    /// Proleptic Gregorian date of a day count (Howard Hinnant's `civil_from_days` algorithm).
    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = z.dividedFloor(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    fileprivate func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
