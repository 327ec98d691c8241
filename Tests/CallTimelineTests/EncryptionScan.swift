import CallTimeline
import Capture
import TestSupport

/// Pass 1 of a capture as far as SPEC §2.4's evidence goes, for the tests: every datagram to the key-exchange
/// watch, every RTP packet to its stream's payload detector, every SDP section remembered by its media address;
/// then each stream's evidence, each payload type judged by the codec its SDP (or RFC 3551) names.
struct EncryptionScan {
    struct Key: Hashable, Comparable {
        var source: Endpoint
        var destination: Endpoint
        var ssrc: UInt32

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.source, lhs.destination, lhs.ssrc) < (rhs.source, rhs.destination, rhs.ssrc)
        }
    }

    var detectors: [Key: PayloadEncryptionDetector] = [:]
    var payloadTypes: [Key: Set<UInt8>] = [:]
    var watch = KeyExchangeWatch()
    var announced: [Endpoint: SDPMedia] = [:]

    init(capture: [UInt8], name: String = "test.pcap") throws {
        for datagram in try SRTPReceiver.datagrams(capture, name: name) { add(datagram) }
    }

    mutating func add(_ datagram: UDPDatagram) {
        let kind = PayloadClassifier.classify(datagram)
        watch.observe(datagram, kind: kind)
        switch kind {
        case .rtp(let packet):
            let key = Key(source: datagram.source, destination: datagram.destination, ssrc: packet.ssrc)
            detectors[key, default: PayloadEncryptionDetector()].add(
                payloadType: packet.payloadType,
                sequenceNumber: packet.sequenceNumber,
                timestamp: packet.timestamp,
                payload: packet.payload
            )
            payloadTypes[key, default: []].insert(packet.payloadType)
        case .sip:
            guard let sdp = (try? SIPMessage(parsing: datagram.payload))?.sdp else { return }
            for media in sdp.media {
                guard let address = media.connectionAddress else { continue }
                announced[Endpoint(address: address, port: media.port)] = media
            }
        default:
            break
        }
    }

    var streams: [Key] { detectors.keys.sorted() }

    /// The evidence of every kind for one stream.
    func evidence(_ key: Key) -> [EncryptionEvidence] {
        let sections = [announced[key.source], announced[key.destination]]
        var evidence = PayloadEncryptionDetector.evidence(announcedBy: sections.map { $0?.security })
        evidence += watch.evidence(source: key.source, destination: key.destination)
        for payloadType in (payloadTypes[key] ?? []).sorted() {
            let map =
                sections.compactMap { $0?.rtpMap(for: payloadType) }.first ?? RTPMap.staticPayloadType(payloadType)
            guard let map else { continue }
            evidence += detectors[key]!.evidence(
                payloadType: payloadType,
                encodingName: map.encodingName,
                channels: map.channels
            )
        }
        return evidence
    }
}
