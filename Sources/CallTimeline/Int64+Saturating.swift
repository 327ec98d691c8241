extension Int64 {
    /// The nearest Int64 to `value`, saturating instead of trapping: capture timestamps are input, and a hostile
    /// or broken capture may put them anywhere.
    init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.2e18 {
            self = .max
        } else if value <= -9.2e18 {
            self = .min
        } else {
            self = Int64(value.rounded())
        }
    }
}
