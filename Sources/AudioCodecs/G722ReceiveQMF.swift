/// The receive quadrature mirror filter of ITU-T G.722 (receive QMF): recombines the reconstructed sub-band
/// signals RL and RH into two 16 kHz output samples.
///
/// G.722 computes the first output from the sum of h(2i)·XD(j−i) and the second from h(2i+1)·XS(j−i), i = 0…11,
/// where XD = RL − RH and XS = RL + RH. Both fit 16 bits (RL and RH are 15-bit), as do the coefficients, so the
/// two delay lines are kept as 16-bit samples and each output is a dot product of 16-bit values accumulated in
/// 32 bits (``dotProduct(_:_:count:)``, 8 lanes at a time). The lines are linear buffers rewound when full, so
/// every window is contiguous.
struct G722ReceiveQMF: Sendable {
    /// XD and XS, oldest first; the window of a codeword is the `windowLength` values before `position`.
    var differences = [Int16](repeating: 0, count: Self.lineLength)
    var sums = [Int16](repeating: 0, count: Self.lineLength)
    var position = Self.windowLength - 1

    /// 12 taps padded to 16 with zero weights on the oldest values, for two 8-lane multiply-adds per output.
    static let windowLength = 16
    static let lineLength = windowLength + 512

    /// Weights aligned with the windows, oldest first: XD(j−i) by h(2i), XS(j−i) by h(2i+1); the 4 padding
    /// positions at the start weigh 0.
    static let differenceWeights: [Int16] = weights(phase: 0)
    static let sumWeights: [Int16] = weights(phase: 1)

    static func weights(phase: Int) -> [Int16] {
        let padding = windowLength - 12
        return [Int16](repeating: 0, count: padding)
            + (0..<12).map { k in Int16(G722Tables.qmfCoefficients[2 * (11 - k) + phase]) }
    }

    /// The delay lines' storage, the weights and the position, handed to `body` (one uniqueness check per call).
    mutating func withLines(_ body: (inout Lines) -> Void) {
        var position = self.position
        differences.withUnsafeMutableBufferPointer { differences in
            sums.withUnsafeMutableBufferPointer { sums in
                Self.differenceWeights.withUnsafeBufferPointer { differenceWeights in
                    Self.sumWeights.withUnsafeBufferPointer { sumWeights in
                        var lines = Lines(
                            differences: differences.baseAddress!,
                            sums: sums.baseAddress!,
                            differenceWeights: differenceWeights.baseAddress!,
                            sumWeights: sumWeights.baseAddress!,
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

    /// The filter's state as pointers, for the inner loop of ``G722Decoder``.
    struct Lines {
        let differences: UnsafeMutablePointer<Int16>
        let sums: UnsafeMutablePointer<Int16>
        let differenceWeights: UnsafePointer<Int16>
        let sumWeights: UnsafePointer<Int16>
        var position: Int

        /// Pushes RL and RH and returns the two output samples (first, second) of this codeword.
        @inline(__always)
        mutating func synthesize(lower: Int32, higher: Int32) -> (Int16, Int16) {
            differences[position] = Int16(truncatingIfNeeded: lower &- higher)
            sums[position] = Int16(truncatingIfNeeded: lower &+ higher)
            position &+= 1
            let start = position &- windowLength
            // |XD|, |XS| ≤ 32767 and Σ|h| = 12964, so the sums stay far below 2^31.
            let first = dotProduct(differences + start, differenceWeights, count: windowLength)
            let second = dotProduct(sums + start, sumWeights, count: windowLength)
            if position == lineLength {
                // Rewind: keep the newest values the next window needs.
                differences.update(from: differences + (lineLength - windowLength + 1), count: windowLength - 1)
                sums.update(from: sums + (lineLength - windowLength + 1), count: windowLength - 1)
                position = windowLength - 1
            }
            // Output scaling: coefficients are in 2^-13 units and G.722 doubles the sum, and the 16-bit output
            // is the 14-bit G.722 output shifted left by 2: net >> 11, saturated to 16 bits.
            return (
                Int16(truncatingIfNeeded: min(max(first >> 11, -32768), 32767)),
                Int16(truncatingIfNeeded: min(max(second >> 11, -32768), 32767))
            )
        }
    }
}
