import PayloadFormats

/// A packet of a lane as pass 1 takes it: the packet and the stream's verdicts on it.
struct LanePacket: Sendable {
    var packet: MediaPacket
    var sequence: Int64
    var timestamp: Int64
    var isReordered: Bool
}

/// Pass 1 over the packets of one payload type in a stream, timed by the RTP clock of its codec (SPEC §3.4):
/// jitter, late packets, re-anchoring, the placement windows and the segment's end all count timestamp units of
/// that clock (8000 Hz for G.711, 16000 for AMR-WB, 48000 for Opus, …).
///
/// The clock must be known from the first packet, but a dynamic payload type is named by SDP that may come later
/// than the first packets (a callee's early media before its 200 OK). A lane whose payload type cannot be
/// resolved yet *holds* its packets (payloads included) until it can: up to ``holdLimit`` — 10 s of capture time,
/// 1,000 packets or 512 KiB of payload, whichever comes first — and replays them once the codec is known
/// (``resolve(_:options:)``), so the result is exactly what it would be had the SDP come first. A lane still
/// unresolved at the limit is timed with a guess (`guess(book:)`) and marked ``isProvisional``: the analysis then
/// compares the guess with its final answer and, where they differ, asks for pass 1 to run again with the answer
/// (`CallTimeline.payloadTypesToRelearn`).
struct LaneAccumulator: Sendable {
    let payloadType: UInt8
    /// The codec the lane is timed with; nil while it holds its packets.
    private(set) var codec: Codec?
    /// Whether `codec` is a guess made when holding the packets any longer would have cost too much memory.
    private(set) var isProvisional = false
    /// Cuts payloads into frames for the census (audio codecs only).
    private var depacketizer: Depacketizer?
    /// The codec's RTP clock rate, Hz.
    private(set) var clockRate: Int64 = 8000
    /// Packets waiting for the codec, in the order they came, and their payload bytes.
    private var held: [LanePacket] = []
    private var heldBytes = 0
    private var heldEventShaped = 0

    var packets = 0
    /// Payloads shaped like RFC 4733 events (for a dynamic type no SDP names).
    var eventShaped = 0
    var segments: [SegmentAccumulator] = []
    /// Where each segment starts (extended sequence number), ascending, to assign late packets.
    var boundaries: [Int64] = []
    private var lastInOrder: (arrival: Int64, timestamp: Int64)?
    /// RFC 3550 §A.8 jitter state, in timestamp units of `clockRate`.
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

    /// How much a lane holds while its payload type is unresolved: capture time since its first packet, packets,
    /// payload bytes. Ten seconds covers early media before an answer (RFC 3261 §13.2.1 lets a 200 OK come
    /// seconds after the first RTP) and a re-INVITE's change of mapping; the byte bound keeps a stream of 48 kHz
    /// stereo L16 (3.8 KB per 20 ms) to 2.7 s.
    static let holdLimit = (nanoseconds: Int64(10_000_000_000), packets: 1000, bytes: 512 * 1024)

    /// A lane timed with `codec`, or, when nil, holding its packets until ``resolve(_:options:)``.
    init(payloadType: UInt8, codec: Codec?) {
        self.payloadType = payloadType
        if let codec { setCodec(codec) }
    }

    /// Whether the lane waits for its codec.
    var isHolding: Bool { codec == nil }

    /// Whether the held packets reached ``holdLimit``.
    var holdsTooMuch: Bool {
        guard let first = held.first, let last = held.last else { return false }
        return held.count >= Self.holdLimit.packets || heldBytes >= Self.holdLimit.bytes
            || last.packet.arrival &- first.packet.arrival >= Self.holdLimit.nanoseconds
    }

    private mutating func setCodec(_ codec: Codec) {
        self.codec = codec
        depacketizer = Depacketizer(codec: codec)
        clockRate = Int64(codec.rtpClockRate)
    }

    /// Sets the codec of a holding lane and replays its packets with it; `provisional` when it is a guess.
    mutating func resolve(_ codec: Codec, options: TimelineOptions, provisional: Bool) {
        guard self.codec == nil else { return }
        setCodec(codec)
        isProvisional = provisional
        let waiting = held
        held = []
        heldBytes = 0
        for packet in waiting { add(packet, options: options) }
    }

    /// The codec to time a lane with when no SDP named it in time: any mapping of its payload type in the capture
    /// so far, else telephone-event when its payloads look like events (as the analysis decides at the end), else
    /// unknown.
    func guess(book: PayloadTypeBook) -> Codec {
        if let codec = book.guess(payloadType: payloadType) { return codec }
        return payloadType >= 96 && looksLikeEvents ? .telephoneEvent(clockRate: 8000) : .unknown
    }

    /// RFC 4733 §2.3: a telephone-event payload is 4 bytes (or a multiple, with redundancy), its event code small.
    /// A lane whose payloads (held or counted) nearly all look like that is telephone-event.
    var looksLikeEvents: Bool {
        let all = packets + held.count
        return all > 0 && (eventShaped + heldEventShaped) * 10 >= all * 9
    }

    static func isEventShaped(_ payload: [UInt8]) -> Bool {
        payload.count >= 4 && payload.count % 4 == 0 && payload[0] <= 16
    }

    mutating func add(_ lanePacket: LanePacket, options: TimelineOptions) {
        guard codec != nil else {
            held.append(lanePacket)
            heldBytes += lanePacket.packet.payload.count
            if Self.isEventShaped(lanePacket.packet.payload) { heldEventShaped += 1 }
            return
        }
        let packet = lanePacket.packet
        let timestamp = lanePacket.timestamp
        if packets == 0 {
            firstArrival = packet.arrival
            firstTimestamp = timestamp
        }
        packets += 1
        let payload = packet.payload
        if Self.isEventShaped(payload) { eventShaped += 1 }
        measureTiming(packet, timestamp: timestamp, options: options)

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
        segment(lanePacket, options: options)
        let index = segmentIndex(for: lanePacket.sequence)
        // A reordered packet whose RTP time its segment cannot explain (another sender's, or a hostile one) is
        // not placed: taken in, one far timestamp stretched a segment, and so the call, by hours (found by the
        // fuzzer: 0.5 s of packets made a 13-hour call). An in-order one re-anchors instead
        // (``segment(_:options:)``).
        let threshold = options.reanchorThreshold
        if lanePacket.isReordered,
            !segments[index].explains(arrival: packet.arrival, timestamp: timestamp, threshold: threshold)
        {
            return
        }
        let census = depacketizer.map { depacketizer in payload.withUnsafeBytes { depacketizer.census(of: $0) } }
        segments[index].add(arrival: packet.arrival, timestamp: timestamp, census: census)
    }

    /// RFC 3550 §A.8 jitter, in arrival order, and late packets: the delay (capture time less RTP time, both from
    /// the first packet; in Double, as a sender may jump its timestamps anywhere) beyond that of the packets on
    /// both sides (``LatenessMeter``).
    private mutating func measureTiming(_ packet: MediaPacket, timestamp: Int64, options: TimelineOptions) {
        let clock = Double(clockRate)
        let transit = Double(packet.arrival &- firstArrival) * clock / 1e9 - Double(timestamp)
        if let previousTransit { jitter += (abs(transit - previousTransit) - jitter) / 16 }
        previousTransit = transit

        let delay = Int64(
            (Double(packet.arrival &- firstArrival) - Double(timestamp - firstTimestamp) * 1e9 / clock).rounded()
        )
        if lateness == nil { lateness = LatenessMeter(threshold: options.lateThreshold) }
        lateness?.add(arrival: packet.arrival, delay: delay)
    }

    /// A new segment where RTP time stops explaining capture time (SPEC §3.4): a timestamp that jumps back, or a
    /// jump between RTP and capture time beyond the threshold, or a pause beyond the call-split limit. A lane
    /// whose first packet arrives late (behind a packet of another payload type) starts its first segment there:
    /// every packet belongs to a segment (found by the fuzzer).
    private mutating func segment(_ lanePacket: LanePacket, options: TimelineOptions) {
        let packet = lanePacket.packet
        let timestamp = lanePacket.timestamp
        guard !lanePacket.isReordered || segments.isEmpty else { return }
        if let last = lastInOrder {
            let rtpDelta = Double(timestamp - last.timestamp) * 1e9 / Double(clockRate)
            let arrivalDelta = packet.arrival &- last.arrival
            if timestamp < last.timestamp
                || abs(Double(arrivalDelta) - rtpDelta) > Double(options.reanchorThreshold)
                || arrivalDelta > options.maximumGap
            {
                startSegment(sequence: lanePacket.sequence, packet: packet, timestamp: timestamp, reason: .reanchor)
            }
        } else {
            startSegment(sequence: lanePacket.sequence, packet: packet, timestamp: timestamp, reason: .first)
        }
        lastInOrder = (packet.arrival, timestamp)
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
                clockRate: clockRate,
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
