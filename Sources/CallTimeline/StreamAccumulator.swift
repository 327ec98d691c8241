/// Pass 1 over one RTP stream: statistics and placement evidence in memory that does not grow with the length
/// of the call (a few numbers per second of audio at most). Payloads are not kept; pass 2 reads them again.
struct StreamAccumulator: Sendable {
    let key: StreamKey
    var tracker = SequenceTracker()
    var packets = 0
    var duplicated = 0
    var reordered = 0
    var maxReorderDelay: Int64 = 0
    var firstArrival: Int64 = 0
    var lastArrival: Int64 = 0
    var firstPacketNumber = 0
    var lowestSequence = Int64.max
    var highestSequence = Int64.min
    /// One lane per payload type: audio, events and comfort noise of a stream share its sequence numbers but
    /// not its timing, so each is segmented and placed on its own.
    var lanes: [UInt8: LaneAccumulator] = [:]

    init(key: StreamKey) {
        self.key = key
    }

    var unique: Int { packets - duplicated }

    mutating func add(_ packet: MediaPacket, options: TimelineOptions) {
        if packets == 0 {
            firstArrival = packet.arrival
            firstPacketNumber = packet.packetNumber
        }
        packets += 1
        lastArrival = max(lastArrival, packet.arrival)
        let verdict = tracker.track(
            sequenceNumber: packet.sequenceNumber,
            timestamp: packet.timestamp,
            arrival: packet.arrival
        )
        if verdict.isDuplicate {
            duplicated += 1
            return
        }
        if verdict.isReordered {
            reordered += 1
            maxReorderDelay = max(maxReorderDelay, verdict.reorderDelay)
        }
        lowestSequence = min(lowestSequence, verdict.sequence)
        highestSequence = max(highestSequence, verdict.sequence)
        lanes[packet.payloadType, default: LaneAccumulator(payloadType: packet.payloadType)].add(
            packet,
            sequence: verdict.sequence,
            timestamp: verdict.timestamp,
            isReordered: verdict.isReordered,
            options: options
        )
    }
}

/// Pass 1 over the packets of one payload type in a stream.
struct LaneAccumulator: Sendable {
    let payloadType: UInt8
    var packets = 0
    /// Payloads shaped like RFC 4733 events (for a dynamic type no SDP names).
    var eventShaped = 0
    var segments: [SegmentAccumulator] = []
    /// Where each segment starts (extended sequence number), ascending, to assign late packets.
    var boundaries: [Int64] = []
    private var lastInOrder: (arrival: Int64, timestamp: Int64)?
    /// RFC 3550 §A.8 jitter state (in RTP timestamp units at 8000 Hz).
    var jitter = 0.0
    private var previousTransit: Double?
    private var firstArrival: Int64 = 0
    private var firstTimestamp: Int64 = 0
    /// RFC 4733 events by start timestamp.
    var events: [Int64: EventAccumulator] = [:]
    var eventOrder: [Int64] = []
    private var eventsAbandoned = false
    /// Late packets (SPEC §4), judged against the packets on both sides.
    private var lateness: LatenessMeter?
    /// Packets delayed by more than `lateThreshold` beyond the least delay of the two seconds before them and
    /// that of the two seconds after them (``LatenessMeter``).
    var late: Int { lateness?.finalLate ?? 0 }

    init(payloadType: UInt8) {
        self.payloadType = payloadType
    }

    /// All lanes use an 8000 Hz clock: every codec this product decodes (and telephone-event, CN) has one.
    static let clockRate: Int64 = 8000

    mutating func add(
        _ packet: MediaPacket,
        sequence: Int64,
        timestamp: Int64,
        isReordered: Bool,
        options: TimelineOptions
    ) {
        if packets == 0 {
            firstArrival = packet.arrival
            firstTimestamp = timestamp
        }
        packets += 1
        let payload = packet.payload
        if payload.count >= 4, payload.count % 4 == 0, payload[0] <= 16 { eventShaped += 1 }

        // Jitter, in arrival order (RFC 3550 §A.8).
        let transit = Double(packet.arrival &- firstArrival) * Double(Self.clockRate) / 1e9 - Double(timestamp)
        if let previousTransit { jitter += (abs(transit - previousTransit) - jitter) / 16 }
        previousTransit = transit

        // Late: the delay (capture time less RTP time, both from the first packet; in Double, as a sender may jump
        // its timestamps anywhere) beyond that of the packets on both sides.
        let delay = Int64(
            (Double(packet.arrival &- firstArrival) - Double(timestamp - firstTimestamp) * 1e9 / Double(Self.clockRate))
                .rounded()
        )
        if lateness == nil { lateness = LatenessMeter(threshold: options.lateThreshold) }
        lateness?.add(arrival: packet.arrival, delay: delay)

        // Only a dynamic payload type can be telephone-event (RFC 4733 has no static type); an audio lane would
        // start a new "event" with every packet, so a lane with far more starts than a caller could dial is
        // not one, and its event list is dropped (memory stays bounded).
        if packet.payloadType >= 96, payload.count >= 4, !eventsAbandoned {
            recordEvent(packet, timestamp: timestamp)
            if events.count > 4096 {
                events = [:]
                eventOrder = []
                eventsAbandoned = true
            }
        }

        // A new segment where RTP time stops explaining capture time (SPEC §3.4): a timestamp that jumps back,
        // or a jump between RTP and capture time beyond the threshold, or a pause beyond the call-split limit.
        // A lane whose first packet arrives late (behind a packet of another payload type) starts its first
        // segment there: every packet belongs to a segment (found by the fuzzer).
        if !isReordered || segments.isEmpty {
            if let last = lastInOrder {
                let rtpDelta = Double(timestamp - last.timestamp) * 1e9 / Double(Self.clockRate)
                let arrivalDelta = packet.arrival &- last.arrival
                if timestamp < last.timestamp
                    || abs(Double(arrivalDelta) - rtpDelta) > Double(options.reanchorThreshold)
                    || arrivalDelta > options.maximumGap
                {
                    startSegment(sequence: sequence, packet: packet, timestamp: timestamp, reason: .reanchor)
                }
            } else {
                startSegment(sequence: sequence, packet: packet, timestamp: timestamp, reason: .first)
            }
            lastInOrder = (packet.arrival, timestamp)
        }
        let index = segmentIndex(for: sequence)
        segments[index].add(arrival: packet.arrival, timestamp: timestamp, payloadBytes: payload.count)
    }

    private mutating func startSegment(
        sequence: Int64,
        packet: MediaPacket,
        timestamp: Int64,
        reason: SegmentReason
    ) {
        segments.append(
            SegmentAccumulator(
                startSequence: sequence,
                firstArrival: packet.arrival,
                firstTimestamp: timestamp,
                reason: reason
            )
        )
        boundaries.append(sequence)
    }

    /// The segment a packet belongs to: the last one starting at or before its sequence number.
    func segmentIndex(for sequence: Int64) -> Int {
        var low = 0
        var high = boundaries.count
        while low < high {
            let mid = (low + high) / 2
            if boundaries[mid] <= sequence { low = mid + 1 } else { high = mid }
        }
        return max(0, low - 1)
    }

    private mutating func recordEvent(_ packet: MediaPacket, timestamp: Int64) {
        let p = packet.payload
        let duration = Int(p[2]) << 8 | Int(p[3])
        if events[timestamp] == nil {
            eventOrder.append(timestamp)
            events[timestamp] = EventAccumulator(
                code: p[0],
                volume: Int(p[1] & 0x3F),
                firstArrival: packet.arrival,
                firstDuration: duration
            )
        }
        events[timestamp]!.maxDuration = max(events[timestamp]!.maxDuration, duration)
        events[timestamp]!.ended = events[timestamp]!.ended || p[1] & 0x80 != 0
        if packet.arrival < events[timestamp]!.firstArrival {
            events[timestamp]!.firstArrival = packet.arrival
            events[timestamp]!.firstDuration = duration
        }
    }
}

/// One RFC 4733 event as pass 1 saw it.
struct EventAccumulator: Sendable {
    var code: UInt8
    var volume: Int
    var firstArrival: Int64
    var firstDuration: Int
    var maxDuration = 0
    var ended = false
}

/// Pass 1 evidence for placing one segment: per second of RTP time, the least and the most delayed packet.
struct SegmentAccumulator: Sendable {
    let startSequence: Int64
    let firstArrival: Int64
    let firstTimestamp: Int64
    let reason: SegmentReason
    var packets = 0
    var lowestTimestamp: Int64
    var highestTimestamp: Int64
    /// Payload bytes of the packet with the highest timestamp (its duration ends the segment).
    var lastPayloadBytes = 0
    /// Per whole second of RTP time since `firstTimestamp`: the (t, transit) of the least-delayed packet and the
    /// largest transit, transit being capture time minus RTP time, in seconds, relative to `firstArrival`.
    var windows: [Int: Window] = [:]

    struct Window: Sendable {
        var leastT: Double
        var leastTransit: Double
        var mostTransit: Double
    }

    init(startSequence: Int64, firstArrival: Int64, firstTimestamp: Int64, reason: SegmentReason) {
        self.startSequence = startSequence
        self.firstArrival = firstArrival
        self.firstTimestamp = firstTimestamp
        self.reason = reason
        lowestTimestamp = firstTimestamp
        highestTimestamp = firstTimestamp
    }

    mutating func add(arrival: Int64, timestamp: Int64, payloadBytes: Int) {
        packets += 1
        lowestTimestamp = min(lowestTimestamp, timestamp)
        if timestamp >= highestTimestamp {
            highestTimestamp = timestamp
            lastPayloadBytes = payloadBytes
        }
        let t = Double(timestamp - firstTimestamp) / Double(LaneAccumulator.clockRate)
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
