import PayloadFormats

/// Pass 1 evidence for placing one segment: per second of RTP time, the least and the most delayed packet.
struct SegmentAccumulator: Sendable {
    let startSequence: Int64
    let firstArrival: Int64
    let firstTimestamp: Int64
    /// The RTP clock rate of the segment's codec, Hz.
    let clockRate: Int64
    let reason: SegmentReason
    var packets = 0
    var lowestTimestamp: Int64
    var highestTimestamp: Int64
    /// The duration, in clock ticks, of the packet with the highest timestamp (it ends the segment); that of the
    /// last packet that gave one, when that packet's payload could not be read.
    var lastDurationTicks = 0
    /// The frames of the segment's payloads by kind (SPEC §4), why the damaged ones are, and the coding modes of
    /// the payloads (bounded: a codec has at most a few dozen modes).
    var frames = FrameCounts()
    var damage: [PayloadDamage: Int] = [:]
    var modes: [CodecMode: Int] = [:]
    /// Per whole second of RTP time since `firstTimestamp`: the (t, transit) of the least-delayed packet and the
    /// largest transit, transit being capture time minus RTP time, in seconds, relative to `firstArrival`.
    var windows: [Int: Window] = [:]

    struct Window: Sendable {
        var leastT: Double
        var leastTransit: Double
        var mostTransit: Double
    }

    init(startSequence: Int64, firstArrival: Int64, firstTimestamp: Int64, clockRate: Int64, reason: SegmentReason) {
        self.startSequence = startSequence
        self.firstArrival = firstArrival
        self.firstTimestamp = firstTimestamp
        self.clockRate = clockRate
        self.reason = reason
        lowestTimestamp = firstTimestamp
        highestTimestamp = firstTimestamp
    }

    /// Adds a packet; `census` is what its payload holds (nil for lanes that carry no audio).
    mutating func add(arrival: Int64, timestamp: Int64, census: PayloadCensus?) {
        packets += 1
        lowestTimestamp = min(lowestTimestamp, timestamp)
        if let census { count(census) }
        if timestamp >= highestTimestamp {
            highestTimestamp = timestamp
            if let ticks = census?.duration?.ticks { lastDurationTicks = ticks }
        }
        let t = Double(timestamp - firstTimestamp) / Double(clockRate)
        let transit = Double(arrival &- firstArrival) / 1e9 - t
        let second = Int(t.rounded(.down))
        if let window = windows[second] {
            if transit < window.leastTransit {
                windows[second] = Window(
                    leastT: t,
                    leastTransit: transit,
                    mostTransit: max(window.mostTransit, transit)
                )
            } else if transit > window.mostTransit {
                windows[second]!.mostTransit = transit
            }
        } else {
            windows[second] = Window(leastT: t, leastTransit: transit, mostTransit: transit)
        }
    }

    /// Whether RTP time places a packet at its arrival as the segment's first packet does, within `threshold`
    /// plus 0.1 % of the RTP time between them (a far larger clock drift than any sender's, SPEC §3.4).
    func explains(arrival: Int64, timestamp: Int64, threshold: Int64) -> Bool {
        let t = Double(timestamp - firstTimestamp) / Double(clockRate)
        let transit = Double(arrival &- firstArrival) / 1e9 - t
        return abs(transit) <= Double(threshold) / 1e9 + abs(t) * 1e-3
    }

    private mutating func count(_ census: PayloadCensus) {
        frames += census.frames
        if let reason = census.damage { damage[reason, default: 0] += 1 }
        if let mode = census.mode { modes[mode, default: 0] += 1 }
    }

    /// Least-squares slope of the per-10-second minimum delays against RTP time (SPEC §3.4): the sender's
    /// clock drift relative to the capture clock, or nil when the segment is too short (under a minute) to
    /// tell drift from jitter.
    func measuredDrift() -> Double? {
        guard let first = windows.keys.min(), let last = windows.keys.max(), last - first >= 60 else { return nil }
        var minima: [Int: (t: Double, transit: Double)] = [:]
        for (second, window) in windows {
            let group = (second - first) / 10
            if let best = minima[group], best.transit <= window.leastTransit { continue }
            minima[group] = (window.leastT, window.leastTransit)
        }
        guard minima.count >= 4 else { return nil }
        let points = Array(minima.values)
        let n = Double(points.count)
        let meanT = points.reduce(0) { $0 + $1.t } / n
        let meanY = points.reduce(0) { $0 + $1.transit } / n
        var numerator = 0.0
        var denominator = 0.0
        for point in points {
            numerator += (point.t - meanT) * (point.transit - meanY)
            denominator += (point.t - meanT) * (point.t - meanT)
        }
        guard denominator > 0 else { return nil }
        // More than 1000 ppm is not a clock; it is a broken capture or sender.
        return min(max(numerator / denominator, -0.001), 0.001)
    }

    /// The anchor (capture time of `firstTimestamp` on the least-delay line) for a given drift, and the largest
    /// delay of any packet above that line (how long pass 2 must wait before a position is complete).
    func placement(drift: Double) -> (anchor: Int64, maximumDelay: Int64) {
        var least = Double.infinity
        for window in windows.values {
            least = min(least, window.leastTransit - drift * window.leastT)
        }
        var most = 0.0
        for (second, window) in windows {
            // Any packet of this window lies within one second of `second`: bound its delay from above.
            let lowT = Double(second)
            most = max(most, window.mostTransit - drift * (drift >= 0 ? lowT : lowT + 1) - least)
        }
        return (firstArrival &+ Int64(saturating: least * 1e9), Int64(saturating: most * 1e9))
    }
}
