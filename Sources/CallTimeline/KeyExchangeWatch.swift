public import Capture

/// Pass 1 evidence (b) of SPEC §2.4: ZRTP (RFC 6189) and DTLS (RFC 6347) packets between two endpoints. Such
/// packets on the endpoints of an RTP stream mean its media is, or is about to be, SRTP keyed in-band, with keys
/// that never appear on the wire.
///
/// ```swift
/// var watch = KeyExchangeWatch()
/// watch.observe(datagram, kind: PayloadClassifier.classify(datagram))   // every datagram of pass 1
/// watch.evidence(source: stream.source, destination: stream.destination) // at analysis
/// ```
public struct KeyExchangeWatch: Sendable {
    private struct Pair: Hashable {
        var low: Endpoint
        var high: Endpoint

        init(_ a: Endpoint, _ b: Endpoint) {
            low = min(a, b)
            high = max(a, b)
        }
    }

    private var zrtp: [Pair: KeyExchangeSighting] = [:]
    private var dtls: [Pair: KeyExchangeSighting] = [:]

    /// At most this many endpoint pairs are remembered per protocol (a flood of DTLS-looking junk stays bounded).
    public static let pairLimit = 4096
    static let messageLimit = 12

    public init() {}

    /// Notes a datagram of pass 1 if it is ZRTP or DTLS (`kind` as `PayloadClassifier` gave it).
    public mutating func observe(_ datagram: UDPDatagram, kind: PayloadKind) {
        let pair = Pair(datagram.source, datagram.destination)
        switch kind {
        case .zrtp:
            note(&zrtp, pair, arrival: datagram.timestamp) { sighting in
                if let message = Self.zrtpMessage(datagram.payload), !sighting.messages.contains(message),
                    sighting.messages.count < Self.messageLimit
                {
                    sighting.messages.append(message)
                }
            }
        case .dtls:
            // RFC 6347 §4.1: content type 22 is a handshake record.
            note(&dtls, pair, arrival: datagram.timestamp) {
                $0.handshake = $0.handshake || datagram.payload.first == 22
            }
        default:
            break
        }
    }

    private func note(
        _ table: inout [Pair: KeyExchangeSighting],
        _ pair: Pair,
        arrival: Int64,
        _ update: (inout KeyExchangeSighting) -> Void
    ) {
        if table[pair] == nil {
            guard table.count < Self.pairLimit else { return }
            table[pair] = KeyExchangeSighting(packets: 0, firstArrival: arrival)
        }
        table[pair]!.packets += 1
        table[pair]!.firstArrival = min(table[pair]!.firstArrival, arrival)
        update(&table[pair]!)
    }

    /// The ZRTP and DTLS sightings between a stream's two endpoints (either direction).
    public func evidence(source: Endpoint, destination: Endpoint) -> [EncryptionEvidence] {
        let pair = Pair(source, destination)
        return [zrtp[pair].map(EncryptionEvidence.zrtp), dtls[pair].map(EncryptionEvidence.dtls)].compactMap { $0 }
    }

    /// RFC 6189 §5: after the 12-byte header, the preamble 0x505a, a length, then an 8-character type block
    /// (`Hello   `, `Commit  `, `DHPart1 `, `Confirm1`, …); the type with its padding spaces removed.
    static func zrtpMessage(_ payload: [UInt8]) -> String? {
        guard payload.count >= 24, payload[12] == 0x50, payload[13] == 0x5A else { return nil }
        let block = payload[16..<24]
        guard block.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        let name = String(decoding: block, as: UTF8.self)
        return name.hasSuffix(" ") ? String(name.reversed().drop { $0 == " " }.reversed()) : name
    }
}
