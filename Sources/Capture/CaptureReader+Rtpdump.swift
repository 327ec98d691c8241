// rtptools rtpdump files ("-F dump"): a text line `#!rtpplay1.0 address/port\n`, the binary RD_hdr_t
// (start time, source address, port), then RD_packet_t records (length, plen, offset in ms) each followed by
// the RTP or RTCP packet as received, without UDP/IP headers. All numbers are big-endian.
//
// Each record becomes a raw-IPv4 (LINKTYPE_IPV4) frame with a synthesized IPv4 and UDP header, so the rest of
// the pipeline sees ordinary UDP datagrams:
// - destination: the address and port the file names (RD_hdr_t, or the text line when RD_hdr_t holds 0.0.0.0).
//   rtptools' rtpdump writes there the address it bound and received on (a unicast local address or the
//   multicast group), so it is where the packets went; RTCP records (plen == 0) were received on port + 1
//   (RFC 3550 §11).
// - source: 0.0.0.0, port 0: rtpdump does not record senders. Streams still separate by SSRC.
// - timestamp: RD_hdr_t start + the record's offset in milliseconds.
// - a record shorter than its plen (a header-only dump) is a truncated frame: the IP lengths say plen.
extension CaptureReader {
    struct RtpdumpState: Sendable {
        var start: Int64?
        var address: UInt32 = 0
        var port: UInt16 = 0
    }

    mutating func readRtpdump(_ state: inout RtpdumpState) throws(CaptureError) -> Step {
        guard let start = state.start else { return try readRtpdumpHeader(&state) }
        guard available >= 8 else { return .needMore }
        let packetNumber = packetCount + 1
        let length = Int(buffer.be16(head))
        let originalLength = Int(buffer.be16(head + 2))
        let offsetMilliseconds = Int64(buffer.be32(head + 4))
        guard length >= 8 else {
            throw recordError(
                .badRecord,
                expected: "a record length of at least 8",
                found: "\(length)",
                packet: packetNumber
            )
        }
        guard available >= length else { return .needMore }
        let payload = buffer[(head + 8)..<(head + length)]
        let isRTCP = originalLength == 0
        let wireLength = isRTCP ? payload.count : max(originalLength, payload.count)
        let port = isRTCP ? state.port &+ 1 : state.port
        let byteOffset = bytesConsumed
        head += length
        return packetRecord(packetNumber, timestamp: start + offsetMilliseconds * 1_000_000) {
            LinkFrame(
                timestamp: start + offsetMilliseconds * 1_000_000,
                linkType: .ipv4,
                data: Self.synthesizeIPv4UDP(
                    destination: state.address,
                    destinationPort: port,
                    payload: payload,
                    wirePayloadLength: wireLength
                ),
                originalLength: 28 + wireLength,
                packetNumber: packetNumber,
                byteOffset: byteOffset
            )
        }
    }

    private mutating func readRtpdumpHeader(_ state: inout RtpdumpState) throws(CaptureError) -> Step {
        let prefix = Array("#!rtpplay".utf8)
        let searchEnd = min(buffer.count, head + 1024)
        guard let newline = buffer[head..<searchEnd].firstIndex(of: 0x0A) else {
            if searchEnd - head >= 1024 {
                throw recordError(.notACapture, expected: "an rtpdump text line under 1024 bytes", found: "longer")
            }
            return .needMore
        }
        guard newline - head >= prefix.count, Array(buffer[head..<(head + prefix.count)]) == prefix else {
            throw recordError(.notACapture, expected: "#!rtpplay", found: buffer.hex(head, count: 9))
        }
        let line = String(decoding: buffer[(head + prefix.count)..<newline], as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 1)
        guard parts.first == "1.0" else {
            throw recordError(.unsupportedVersion, expected: "rtpplay1.0", found: "rtpplay\(parts.first ?? "")")
        }
        guard available >= newline + 1 - head + 16 else { return .needMore }
        var textAddress: UInt32 = 0
        var textPort: UInt16 = 0
        if parts.count == 2 {
            let target = parts[1].split(separator: "/")
            if let address = target.first.flatMap({ IPAddress($0) }), let value = address.ipv4Value {
                textAddress = value
            }
            if target.count == 2, let port = UInt16(target[1].trimmingSuffix(" \r")) { textPort = port }
        }
        let binary = newline + 1
        let seconds = Int64(buffer.be32(binary))
        let microseconds = Int64(buffer.be32(binary + 4))
        let address = buffer.be32(binary + 8)
        let port = buffer.be16(binary + 12)
        state.address = address != 0 ? address : textAddress
        state.port = port != 0 ? port : textPort
        state.start = seconds * 1_000_000_000 + microseconds * 1_000
        head = binary + 16
        return .consumed
    }

    /// IPv4 (RFC 791, no options, checksum 0) + UDP (RFC 768, checksum 0) headers around a payload.
    static func synthesizeIPv4UDP(
        destination: UInt32,
        destinationPort: UInt16,
        payload: ArraySlice<UInt8>,
        wirePayloadLength: Int
    ) -> [UInt8] {
        let udpLength = min(65_535 - 20, 8 + wirePayloadLength)
        let totalLength = 20 + udpLength
        var bytes = [UInt8]()
        bytes.reserveCapacity(28 + payload.count)
        let address = [
            UInt8(destination >> 24), UInt8((destination >> 16) & 0xFF), UInt8((destination >> 8) & 0xFF),
            UInt8(destination & 0xFF),
        ]
        bytes += [0x45, 0, UInt8(totalLength >> 8), UInt8(totalLength & 0xFF), 0, 0, 0, 0, 64, 17, 0, 0]
        bytes += [0, 0, 0, 0] + address  // source 0.0.0.0, destination the recorded address
        bytes += [0, 0, UInt8(destinationPort >> 8), UInt8(destinationPort & 0xFF)]
        bytes += [UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0]
        bytes += payload
        return bytes
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ characters: String) -> Substring {
        var text = self
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return text
    }
}
