import Capture
import Foundation

/// Calls whose SRTP keys are agreed on the media path, so no capture holds them (SPEC §2.4): ZRTP (RFC 6189) and
/// DTLS-SRTP (RFC 5764). The senders' keys are the writer's own; nobody is given them.
extension SRTPCallWriter {
    /// A ZRTP call: SIP with plain `RTP/AVP` (and `a=zrtp-hash` when asked), each leg's first `clearPackets`
    /// packets in clear RTP, then the ZRTP exchange (Hello, HelloACK, Commit, DHPart1, DHPart2, Confirm1,
    /// Confirm2, Conf2ACK) on the media ports, then SRTP.
    public func zrtpPackets(clearPackets: Int = 25, zrtpHashInSDP: Bool = false) -> [SynthPacket] {
        let clear = call.packets()
        let protected = protectMedia(clear, from: clearPackets)
        var packets = clear.indices.map { index in
            var packet = clear[index]
            if let bytes = protected[index] { packet.payload = bytes }
            if packet.leg == nil, zrtpHashInSDP {
                packet.payload = Self.rewriteSDP(packet.payload) { _ in
                    ("RTP/AVP", ["a=zrtp-hash:1.10 " + String(repeating: "fe", count: 32)])
                }
            }
            return packet
        }
        guard call.legs.count >= 2,
            let switchPoint = clear.filter({ $0.leg == 0 }).dropFirst(max(0, clearPackets - 5)).first?.arrival
        else { return packets }
        let (a, b) = (call.legs[0], call.legs[1])
        let exchange: [(from: SynthLeg, to: SynthLeg, type: String, words: Int)] = [
            (a, b, "Hello   ", 22), (b, a, "Hello   ", 22), (b, a, "HelloACK", 3), (a, b, "HelloACK", 3),
            (a, b, "Commit  ", 29), (b, a, "DHPart1 ", 85), (a, b, "DHPart2 ", 85), (b, a, "Confirm1", 19),
            (a, b, "Confirm2", 19), (b, a, "Conf2ACK", 3),
        ]
        for (index, step) in exchange.enumerated() {
            let message = Self.zrtpMessage(
                type: step.type,
                words: step.words,
                sequence: UInt16(index + 1),
                ssrc: step.from.ssrc
            )
            packets.append(
                SynthPacket(
                    arrival: switchPoint - Int64(exchange.count - index) * 5_000_000,
                    source: step.from.source,
                    destination: step.to.source,
                    payload: message,
                    leg: nil
                )
            )
        }
        return packets.enumerated().sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }
            .map(\.element)
    }

    /// A DTLS-SRTP call: SDP with `UDP/TLS/RTP/SAVPF`, `a=fingerprint:sha-256 …` and `a=setup`, a DTLS handshake
    /// (ClientHello with use_srtp, ServerHello…ServerHelloDone, ClientKeyExchange…Finished) on the media ports
    /// before the first packet, then SRTP.
    public func dtlsPackets() -> [SynthPacket] {
        let clear = call.packets()
        let protected = protectMedia(clear, from: 0)
        let fingerprint = (0..<32).map { String(format: "%02X", ($0 * 37 + 11) & 0xFF) }.joined(separator: ":")
        var packets = clear.indices.map { index in
            var packet = clear[index]
            if let bytes = protected[index] {
                packet.payload = bytes
            } else if packet.leg == nil {
                let setup = String(decoding: packet.payload.prefix(3), as: UTF8.self) == "SIP" ? "active" : "actpass"
                packet.payload = Self.rewriteSDP(packet.payload) { _ in
                    ("UDP/TLS/RTP/SAVPF", ["a=fingerprint:sha-256 \(fingerprint)", "a=setup:\(setup)"])
                }
            }
            return packet
        }
        guard call.legs.count >= 2, let first = clear.first(where: { $0.leg != nil })?.arrival else { return packets }
        let (a, b) = (call.legs[0], call.legs[1])
        let flights: [(from: SynthLeg, to: SynthLeg, records: [(type: UInt8, handshake: UInt8?, length: Int)])] = [
            (a, b, [(22, 1, 120)]),
            (b, a, [(22, 2, 90), (22, 11, 400), (22, 12, 160), (22, 14, 0)]),
            (a, b, [(22, 16, 70), (20, nil, 1), (22, 20, 12)]),
            (b, a, [(20, nil, 1), (22, 20, 12)]),
        ]
        for (index, flight) in flights.enumerated() {
            var datagram: [UInt8] = []
            for (sequence, record) in flight.records.enumerated() {
                datagram += Self.dtlsRecord(
                    type: record.type,
                    handshake: record.handshake,
                    bodyLength: record.length,
                    sequence: sequence
                )
            }
            packets.append(
                SynthPacket(
                    arrival: first - Int64(flights.count - index) * 10_000_000,
                    source: flight.from.source,
                    destination: flight.to.source,
                    payload: datagram,
                    leg: nil
                )
            )
        }
        return packets.enumerated().sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }
            .map(\.element)
    }

    /// RFC 6189 §5: header (0x10 0x00, sequence, magic cookie `ZRTP`, source identifier), the message (preamble
    /// 0x505a, length in words, 8-character type, body) and the CRC-32C of all of it.
    static func zrtpMessage(type: String, words: Int, sequence: UInt16, ssrc: UInt32) -> [UInt8] {
        var bytes: [UInt8] = [0x10, 0x00, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0x5A, 0x52, 0x54, 0x50]
        bytes += [UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF)]
        bytes += [0x50, 0x5A, UInt8(words >> 8), UInt8(words & 0xFF)] + Array(type.utf8)
        bytes += (0..<(4 * words - 12)).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ Int(sequence)) }
        let crc = crc32c(bytes)
        return bytes + [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
    }

    /// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), which ZRTP uses (RFC 6189 §5, RFC 3309).
    static func crc32c(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    /// RFC 6347 §4.1 record (DTLS 1.2, epoch 0) holding a handshake message (§4.2.2 header) or a
    /// ChangeCipherSpec; the ClientHello body offers use_srtp (RFC 5764 §4.1.1).
    static func dtlsRecord(type: UInt8, handshake: UInt8?, bodyLength: Int, sequence: Int) -> [UInt8] {
        var fragment: [UInt8]
        if let handshake {
            var body = (0..<bodyLength).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ Int(handshake)) }
            if handshake == 1, body.count >= 47 {
                body.replaceSubrange(0..<2, with: [0xFE, 0xFD])
                body.replaceSubrange(
                    (body.count - 9)..<body.count,
                    with: [0x00, 0x0E, 0x00, 0x05, 0x00, 0x02, 0x00, 0x01, 0x00]
                )
            }
            let length = [UInt8(bodyLength >> 16), UInt8((bodyLength >> 8) & 0xFF), UInt8(bodyLength & 0xFF)]
            fragment = [handshake] + length + [0, UInt8(sequence)] + [0, 0, 0] + length + body
        } else {
            fragment = [1]
        }
        var record: [UInt8] = [type, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, UInt8(sequence)]
        record += [UInt8(fragment.count >> 8), UInt8(fragment.count & 0xFF)]
        return record + fragment
    }
}
