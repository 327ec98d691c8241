/// A captured RTP packet reduced to what the timeline needs, with its payload kept in the stream's byte store.
/// Small and flat so an hour-long call (360,000 packets) costs a few megabytes beyond its payloads.
struct PacketRecord {
    var arrival: Int64
    var packetNumber: Int32
    var sequenceNumber: UInt16
    var payloadType: UInt8
    var marker: Bool
    var timestamp: UInt32
    var payloadOffset: Int
    var payloadLength: Int32
    /// RFC 3550 §A.1 extended sequence number (cycles × 65536 + seq), filled in by the analysis.
    var extendedSequence: Int64 = 0
    /// The timestamp unwrapped past 2^32 (RFC 3550 §5.1 wraps it), filled in by the analysis.
    var extendedTimestamp: Int64 = 0
}

/// Everything one stream sent, in arrival order, with its payloads in one contiguous store.
struct StreamRecording {
    let key: StreamKey
    var records: [PacketRecord] = []
    var payloads: [UInt8] = []

    init(key: StreamKey) {
        self.key = key
    }

    mutating func append(_ packet: MediaPacket) {
        records.append(
            PacketRecord(
                arrival: packet.arrival,
                packetNumber: Int32(clamping: packet.packetNumber),
                sequenceNumber: packet.sequenceNumber,
                payloadType: packet.payloadType,
                marker: packet.marker,
                timestamp: packet.timestamp,
                payloadOffset: payloads.count,
                payloadLength: Int32(clamping: packet.payload.count)
            )
        )
        payloads.append(contentsOf: packet.payload)
    }

    func payload(of record: PacketRecord) -> ArraySlice<UInt8> {
        payloads[record.payloadOffset..<(record.payloadOffset + Int(record.payloadLength))]
    }
}

/// Unwraps a 16- or 32-bit RTP counter into a monotonic 64-bit value, choosing for each new value the
/// candidate closest to the previous one (RFC 3550 §A.1 does this for sequence numbers; the same rule serves
/// timestamps, which wrap at 2^32).
struct CounterUnwrapper {
    let modulus: Int64
    private var last: Int64?

    init(bits: Int) {
        modulus = Int64(1) << Int64(bits)
    }

    mutating func unwrap(_ value: UInt32) -> Int64 {
        let raw = Int64(value)
        guard let last else {
            // Start one full cycle up so values slightly before the first (reordering) stay positive.
            let first = modulus + raw
            self.last = first
            return first
        }
        let base = last - (last % modulus)
        var best = base + raw
        for candidate in [base + raw - modulus, base + raw + modulus]
        where abs(candidate - last) < abs(best - last) {
            best = candidate
        }
        self.last = best
        return best
    }
}
