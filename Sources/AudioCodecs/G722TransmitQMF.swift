/// The transmit quadrature mirror filter of ITU-T G.722 (transmit QMF): splits two 16 kHz input samples into one
/// lower and one higher sub-band sample (15-bit) at 8 kHz.
///
/// The delay line holds input samples oldest first, in a linear buffer rewound when full (see
/// ``G722ReceiveQMF``).
struct G722TransmitQMF: Sendable {
    var line = [Int32](repeating: 0, count: Self.lineLength)
    var position = 22

    static let lineLength = 24 + 2 * 256

    /// Calls `body` with the delay line's storage and position (one uniqueness check per call).
    mutating func withLine(_ body: (UnsafeMutablePointer<Int32>, inout Int) -> Void) {
        var position = self.position
        line.withUnsafeMutableBufferPointer { body($0.baseAddress!, &position) }
        self.position = position
    }

    /// Pushes two input samples (the earlier first) and returns the sub-band samples XL and XH.
    @inline(__always)
    static func analyze(
        _ first: Int32,
        _ second: Int32,
        line: UnsafeMutablePointer<Int32>,
        position: inout Int
    ) -> (lower: Int32, higher: Int32) {
        line[position] = first
        line[position &+ 1] = second
        position &+= 2
        let base = line + (position &- 24)
        // G.722 transmit QMF: XA = Σ h(2i)·x(j−2i) and XB = Σ h(2i+1)·x(j−1−2i), x(j) the newest sample. In the
        // oldest-first window x(j−2i) sits at odd n = 23 − 2i with weight h(2i) = h(23 − n) = h(n) (the
        // filter is symmetric), and x(j−1−2i) at even n with weight h(n) too.
        var sumA: Int32 = 0
        var sumB: Int32 = 0
        G722Tables.qmfCoefficients.withUnsafeBufferPointer { coefficients in
            let h = coefficients.baseAddress!
            var n = 0
            while n < 24 {
                sumB &+= h[n] &* base[n]
                sumA &+= h[n &+ 1] &* base[n &+ 1]
                n &+= 2
            }
        }
        if position == lineLength {
            line.update(from: line + (lineLength - 22), count: 22)
            position = 22
        }
        // XL = (XA + XB) >> 14 and XH = (XA − XB) >> 14 for 16-bit input (coefficients in 2^-13 units,
        // G.722's factor 2, and the 16-bit input being 4× the 14-bit one), limited to 15 bits.
        return (limit15((sumA &+ sumB) >> 14), limit15((sumA &- sumB) >> 14))
    }
}
