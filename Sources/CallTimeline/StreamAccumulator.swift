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
    /// The record of the stream's latest packet (with `firstPacketNumber`, where pass 2 finds all of them).
    var lastPacketNumber = 0
    var lowestSequence = Int64.max
    var highestSequence = Int64.min
    /// One lane per payload type: audio, events and comfort noise of a stream share its sequence numbers but
    /// not its timing, so each is segmented and placed on its own.
    var lanes: [UInt8: LaneAccumulator] = [:]

    init(key: StreamKey) {
        self.key = key
    }

    var unique: Int { packets - duplicated }

    /// Adds a packet of the stream. A lane (payload type) seen for the first time starts with the codec `book`
    /// resolves for it, or, when it cannot yet (a dynamic payload type whose SDP has not been seen), holds its
    /// packets (see ``LaneAccumulator``); `mayHold` false commits such a lane to `book`'s guess at once. Returns
    /// true when a lane started holding.
    @discardableResult
    mutating func add(
        _ packet: MediaPacket,
        options: TimelineOptions,
        book: PayloadTypeBook,
        mayHold: Bool = true
    ) -> Bool {
        if packets == 0 {
            firstArrival = packet.arrival
            firstPacketNumber = packet.packetNumber
        }
        packets += 1
        lastPacketNumber = packet.packetNumber
        lastArrival = max(lastArrival, packet.arrival)
        let verdict = tracker.track(
            sequenceNumber: packet.sequenceNumber,
            timestamp: packet.timestamp,
            arrival: packet.arrival
        )
        if verdict.isDuplicate {
            duplicated += 1
            return false
        }
        if verdict.isReordered {
            reordered += 1
            maxReorderDelay = max(maxReorderDelay, verdict.reorderDelay)
        }
        lowestSequence = min(lowestSequence, verdict.sequence)
        highestSequence = max(highestSequence, verdict.sequence)
        var startedHolding = false
        if !lanes.keys.contains(packet.payloadType) {
            let codec = book.codec(payloadType: packet.payloadType, stream: key, options: options)
            var lane = LaneAccumulator(payloadType: packet.payloadType, codec: codec)
            if codec == nil && !mayHold { lane.resolve(lane.guess(book: book), options: options, provisional: true) }
            lanes[packet.payloadType] = lane
            startedHolding = lane.isHolding
        }
        let lanePacket = LanePacket(
            packet: packet,
            sequence: verdict.sequence,
            timestamp: verdict.timestamp,
            isReordered: verdict.isReordered
        )
        // Changed in place through the dictionary's values: `lanes[payloadType]!` copied the lane (its held packets,
        // segments and meters) on every packet.
        guard let index = lanes.index(forKey: packet.payloadType) else { return startedHolding }
        lanes.values[index].add(lanePacket, options: options)
        if lanes.values[index].holdsTooMuch {
            // No SDP named the payload type in time: time the lane with the best guess so far; the analysis
            // says whether pass 1 must run again (CallTimeline.payloadTypesToRelearn).
            let guess = lanes.values[index].guess(book: book)
            lanes.values[index].resolve(guess, options: options, provisional: true)
        }
        return startedHolding
    }
}
