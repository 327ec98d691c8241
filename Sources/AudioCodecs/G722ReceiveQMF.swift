/// The receive quadrature mirror filter of ITU-T G.722 (receive QMF): recombines the reconstructed sub-band
/// signals RL and RH into two 16 kHz output samples.
///
/// The delay line holds the sum and difference signals XS = RL + RH and XD = RL − RH, interleaved oldest
/// first (XD at even, XS at odd positions). It is a linear buffer that is rewound once it is full (copying
/// the 22 newest values to the front), so the 24-tap filter always reads one contiguous window.
struct G722ReceiveQMF: Sendable {
    /// Delay line (XD, XS pairs) and the position after the newest pair.
    var line = [Int32](repeating: 0, count: Self.lineLength)
    var position = 22

    static let lineLength = 24 + 2 * 256

    /// Filter coefficients aligned with the window, oldest first: XD(j−i) is weighted by h(2i) and
    /// XS(j−i) by h(2i+1) (G.722 receive QMF), so position n takes h(22 − n) for even n and h(24 − n) for odd n.
    static let window: [Int32] = (0..<24).map { n in
        G722Tables.qmfCoefficients[n % 2 == 0 ? 22 - n : 24 - n]
    }

    /// Calls `body` with the delay line's storage and position (one uniqueness check per call).
    mutating func withLine(_ body: (UnsafeMutablePointer<Int32>, inout Int) -> Void) {
        var position = self.position
        line.withUnsafeMutableBufferPointer { body($0.baseAddress!, &position) }
        self.position = position
    }

    /// Pushes RL and RH and returns the two output samples (first, second) of this codeword.
    @inline(__always)
    static func synthesize(
        lower: Int32,
        higher: Int32,
        line: UnsafeMutablePointer<Int32>,
        position: inout Int
    ) -> (Int16, Int16) {
        // RL and RH are 15-bit, so XD and XS fit 16 bits (G.722 computes them with saturating 16-bit ops).
        line[position] = lower &- higher
        line[position &+ 1] = lower &+ higher
        position &+= 2
        let base = line + (position &- 24)
        var even: Int32 = 0
        var odd: Int32 = 0
        Self.window.withUnsafeBufferPointer { window in
            let h = window.baseAddress!
            // |XD|, |XS| ≤ 32767 and Σ|h| = 12964, so the sums stay far below 2^31.
            var n = 0
            while n < 24 {
                even &+= h[n] &* base[n]
                odd &+= h[n &+ 1] &* base[n &+ 1]
                n &+= 2
            }
        }
        if position == lineLength {
            // Rewind: keep the 22 newest values (11 pairs) the next window needs.
            (line).update(from: line + (lineLength - 22), count: 22)
            position = 22
        }
        // Output scaling: coefficients are in 2^-13 units and G.722 doubles the sum, and the 16-bit output
        // is the 14-bit G.722 output shifted left by 2: net >> 11, saturated to 16 bits.
        return (
            Int16(truncatingIfNeeded: min(max(even >> 11, -32768), 32767)),
            Int16(truncatingIfNeeded: min(max(odd >> 11, -32768), 32767))
        )
    }
}
