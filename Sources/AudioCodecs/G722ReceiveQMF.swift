/// The receive quadrature mirror filter of ITU-T G.722 (receive QMF): recombines the reconstructed sub-band
/// signals RL and RH into two 16 kHz output samples per codeword.
///
/// G.722 computes the first output of codeword j from Σ h(2i)·XD(j−i) and the second from Σ h(2i+1)·XS(j−i),
/// i = 0…11, where XD = RL − RH and XS = RL + RH. Both fit 16 bits (RL and RH are 15-bit), so the decoder writes
/// a run of codewords' XD and XS into two 16-bit delay lines first, and the filter then computes eight codewords'
/// outputs at a time: twelve taps, each one multiply-add of eight lanes, with no sum across lanes. The lines are
/// linear buffers rewound when full, so the 11 values of history always sit just before the run.
struct G722ReceiveQMF: Sendable {
    /// XD and XS, oldest first; the next codeword's values go at `position`, after `history` older ones.
    var differences = [Int16](repeating: 0, count: Self.lineLength)
    var sums = [Int16](repeating: 0, count: Self.lineLength)
    var position = Self.history

    /// Past values each output needs besides its own codeword's.
    static let history = 11
    static let lineLength = history + 512

    /// h(2i) weighs XD(j−i) and h(2i+1) weighs XS(j−i), i = 0…11 (G.722's QMF coefficients, in 2^-13 units).
    /// Held as 16-bit values (the largest is 3876) for 16 × 16 → 32-bit vector multiplies.
    static let differenceTaps: [Int16] = (0..<12).map { Int16(G722Tables.qmfCoefficients[2 * $0]) }
    static let sumTaps: [Int16] = (0..<12).map { Int16(G722Tables.qmfCoefficients[2 * $0 + 1]) }

    /// The delay lines' storage and the position, handed to `body` (one uniqueness check per call).
    mutating func withLines(_ body: (inout Lines) -> Void) {
        var position = self.position
        differences.withUnsafeMutableBufferPointer { differences in
            sums.withUnsafeMutableBufferPointer { sums in
                Self.differenceTaps.withUnsafeBufferPointer { differenceTaps in
                    Self.sumTaps.withUnsafeBufferPointer { sumTaps in
                        var lines = Lines(
                            differences: differences.baseAddress!,
                            sums: sums.baseAddress!,
                            differenceTaps: differenceTaps.baseAddress!,
                            sumTaps: sumTaps.baseAddress!,
                            position: position
                        )
                        body(&lines)
                        position = lines.position
                    }
                }
            }
        }
        self.position = position
    }

    /// The filter's state as pointers, for the inner loops of ``G722Decoder``.
    struct Lines {
        let differences: UnsafeMutablePointer<Int16>
        let sums: UnsafeMutablePointer<Int16>
        let differenceTaps: UnsafePointer<Int16>
        let sumTaps: UnsafePointer<Int16>
        var position: Int

        /// How many codewords' XD and XS fit before the lines must be rewound.
        var room: Int { lineLength &- position }

        /// Filters the `count` codewords whose XD and XS were written from `position` on (at most `room`),
        /// writes their two output samples each to `output`, and moves past them.
        @inline(__always)
        mutating func filter(count: Int, into output: UnsafeMutablePointer<Int16>) {
            var index = 0
            while index &+ 8 <= count {
                let at = position &+ index
                var first = SIMD8<Int32>()
                var second = SIMD8<Int32>()
                // |XD|, |XS| ≤ 32767 and Σ|h| = 12964, so the sums stay far below 2^31.
                for tap in 0..<12 {
                    first &+= widen(load8(differences + (at &- tap))) &* widen(SIMD8(repeating: differenceTaps[tap]))
                    second &+= widen(load8(sums + (at &- tap))) &* widen(SIMD8(repeating: sumTaps[tap]))
                }
                first = outputScale(first)
                second = outputScale(second)
                let pair = output + 2 &* index
                for lane in 0..<8 {
                    pair[2 &* lane] = Int16(truncatingIfNeeded: first[lane])
                    pair[2 &* lane &+ 1] = Int16(truncatingIfNeeded: second[lane])
                }
                index &+= 8
            }
            while index < count {
                let at = position &+ index
                var first: Int32 = 0
                var second: Int32 = 0
                for tap in 0..<12 {
                    first &+= Int32(differences[at &- tap]) &* Int32(differenceTaps[tap])
                    second &+= Int32(sums[at &- tap]) &* Int32(sumTaps[tap])
                }
                output[2 &* index] = Int16(truncatingIfNeeded: min(max(first &>> 11, -32768), 32767))
                output[2 &* index &+ 1] = Int16(truncatingIfNeeded: min(max(second &>> 11, -32768), 32767))
                index &+= 1
            }
            position &+= count
            if position == lineLength {
                // Rewind: keep the history the next codewords need.
                differences.update(from: differences + (lineLength &- history), count: history)
                sums.update(from: sums + (lineLength &- history), count: history)
                position = history
            }
        }

        /// Output scaling: the coefficients are in 2^-13 units and G.722 doubles the sum, and the 16-bit output
        /// is the 14-bit G.722 output shifted left by 2: net >> 11, saturated to 16 bits.
        @inline(__always)
        func outputScale(_ sum: SIMD8<Int32>) -> SIMD8<Int32> {
            (sum &>> 11).clamped(lowerBound: SIMD8(repeating: -32768), upperBound: SIMD8(repeating: 32767))
        }
    }
}
