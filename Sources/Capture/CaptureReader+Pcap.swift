// Classic libpcap files (draft-ietf-opsawg-pcap): a 24-byte file header, then 16-byte record headers.
extension CaptureReader {
    struct PcapState: Sendable {
        var bigEndian: Bool
        var nanoseconds: Bool
        var headerRead = false
        var snapLength = 0
        var linkType = LinkType.ethernet
    }

    mutating func readPcap(_ state: inout PcapState) throws(CaptureError) -> Step {
        if !state.headerRead {
            guard available >= 24 else { return .needMore }
            let major = buffer.u16(head + 4, bigEndian: state.bigEndian)
            let minor = buffer.u16(head + 6, bigEndian: state.bigEndian)
            guard major == 2 else {
                throw recordError(.unsupportedVersion, expected: "pcap version 2.x", found: "\(major).\(minor)")
            }
            state.snapLength = Int(buffer.u32(head + 16, bigEndian: state.bigEndian))
            // The low 16 bits are the LINKTYPE_ value; the upper bits carry FCS information (ignored: the IP
            // length fields bound what we read).
            state.linkType = LinkType(rawValue: buffer.u32(head + 20, bigEndian: state.bigEndian) & 0xFFFF)
            state.headerRead = true
            head += 24
            return .consumed
        }
        guard available >= 16 else { return .needMore }
        let packetNumber = packetCount + 1
        let seconds = Int64(buffer.u32(head, bigEndian: state.bigEndian))
        let fraction = Int64(buffer.u32(head + 4, bigEndian: state.bigEndian))
        let captured = Int(buffer.u32(head + 8, bigEndian: state.bigEndian))
        let original = Int(buffer.u32(head + 12, bigEndian: state.bigEndian))
        let bound = min(max(state.snapLength, limits.minimumRecordBound), limits.maximumRecordBytes)
        guard captured <= bound else {
            throw recordError(
                .oversizedRecord,
                expected: "a captured length of at most \(bound) bytes (snaplen \(state.snapLength))",
                found: "\(captured) bytes",
                packet: packetNumber
            )
        }
        guard available >= 16 + captured else { return .needMore }
        let timestamp = seconds * 1_000_000_000 + fraction * (state.nanoseconds ? 1 : 1_000)
        let step = packetRecord(packetNumber, timestamp: timestamp) {
            LinkFrame(
                timestamp: timestamp,
                linkType: state.linkType,
                data: Array(buffer[(head + 16)..<(head + 16 + captured)]),
                originalLength: max(original, captured),
                packetNumber: packetNumber,
                byteOffset: bytesConsumed
            )
        }
        head += 16 + captured
        return step
    }
}
