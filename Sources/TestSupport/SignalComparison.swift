import Foundation

/// How closely two decodes of the same stream agree: the figures the codec tests report against ffmpeg.
public struct SignalComparison: Sendable, CustomStringConvertible {
    /// Pearson correlation of the two signals over their common length (1 = the same waveform up to a gain).
    public var correlation: Double
    /// RMS level of `actual` relative to `reference`, in dB.
    public var levelDifferenceDB: Double
    /// RMS level of `reference` in dBFS.
    public var referenceLevelDBFS: Double
    /// The largest sample difference.
    public var maximumDifference: Int
    /// The shift of `actual` against `reference` (positive: `actual` late) that correlates best within the
    /// `maximumLag` searched, and the correlation there; 0 and ``correlation`` when no search was asked for.
    public var bestLag = 0
    public var correlationAtBestLag: Double
    /// Samples compared (the shorter length), and the two lengths.
    public var compared: Int
    public var referenceCount: Int
    public var actualCount: Int

    /// Compares `actual` with `reference` sample for sample from the start, and, with `maximumLag`, also at every
    /// shift up to that many samples either way.
    public init(reference: [Int16], actual: [Int16], maximumLag: Int = 0) {
        let count = min(reference.count, actual.count)
        var sumA = 0.0
        var sumB = 0.0
        for index in 0..<count {
            sumA += Double(reference[index])
            sumB += Double(actual[index])
        }
        let meanA = count > 0 ? sumA / Double(count) : 0
        let meanB = count > 0 ? sumB / Double(count) : 0
        var covariance = 0.0
        var varianceA = 0.0
        var varianceB = 0.0
        var energyA = 0.0
        var energyB = 0.0
        var maximum = 0
        for index in 0..<count {
            let a = Double(reference[index])
            let b = Double(actual[index])
            covariance += (a - meanA) * (b - meanB)
            varianceA += (a - meanA) * (a - meanA)
            varianceB += (b - meanB) * (b - meanB)
            energyA += a * a
            energyB += b * b
            maximum = max(maximum, abs(Int(reference[index]) - Int(actual[index])))
        }
        correlation = varianceA > 0 && varianceB > 0 ? covariance / (varianceA * varianceB).squareRoot() : 0
        levelDifferenceDB = 10 * log10(max(energyB, 1e-9) / max(energyA, 1e-9))
        referenceLevelDBFS = 10 * log10(max(energyA / Double(max(count, 1)), 1e-9) / (32768.0 * 32768.0))
        maximumDifference = maximum
        correlationAtBestLag = correlation
        for lag in -maximumLag...maximumLag where lag != 0 {
            let shifted = Self.correlation(reference, actual, lag: lag)
            if shifted > correlationAtBestLag {
                correlationAtBestLag = shifted
                bestLag = lag
            }
        }
        compared = count
        referenceCount = reference.count
        actualCount = actual.count
    }

    /// Pearson correlation of `reference[n]` with `actual[n + lag]` where both exist.
    static func correlation(_ reference: [Int16], _ actual: [Int16], lag: Int) -> Double {
        let start = max(0, -lag)
        let end = min(reference.count, actual.count - lag)
        guard end - start > 1 else { return 0 }
        var sumA = 0.0
        var sumB = 0.0
        var sumAB = 0.0
        var sumAA = 0.0
        var sumBB = 0.0
        for index in start..<end {
            let a = Double(reference[index])
            let b = Double(actual[index + lag])
            sumA += a
            sumB += b
            sumAB += a * b
            sumAA += a * a
            sumBB += b * b
        }
        let n = Double(end - start)
        let covariance = sumAB - sumA * sumB / n
        let varianceA = sumAA - sumA * sumA / n
        let varianceB = sumBB - sumB * sumB / n
        return varianceA > 0 && varianceB > 0 ? covariance / (varianceA * varianceB).squareRoot() : 0
    }

    public var description: String {
        let lag = bestLag == 0 ? "" : String(format: " (%.5f at a lag of %d samples)", correlationAtBestLag, bestLag)
        return String(format: "correlation %.5f", correlation) + lag
            + String(
                format: ", level %+.2f dB (reference %.1f dBFS), max difference %d, %d samples (reference %d, ours %d)",
                levelDifferenceDB,
                referenceLevelDBFS,
                maximumDifference,
                compared,
                referenceCount,
                actualCount
            )
    }
}
