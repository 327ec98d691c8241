public import Capture

extension MediaPacket {
    /// The RTP packet a classified datagram carries, if it is one.
    init(datagram: UDPDatagram, packet: RTPPacket) {
        self.init(
            arrival: datagram.timestamp,
            packetNumber: datagram.packetNumber,
            source: datagram.source,
            destination: datagram.destination,
            ssrc: packet.ssrc,
            sequenceNumber: packet.sequenceNumber,
            timestamp: packet.timestamp,
            payloadType: packet.payloadType,
            marker: packet.marker,
            payload: Array(packet.payload)
        )
    }
}

extension CallTimelineBuilder {
    /// Classifies a UDP datagram from the capture and adds what it carries: RTP to its stream, SIP to the
    /// dialogs, anything else to the non-audio counts (RTCP, STUN, DTLS, ZRTP, keep-alives; SPEC §2.3).
    public mutating func add(_ datagram: UDPDatagram) {
        let kind = PayloadClassifier.classify(datagram)
        switch kind {
        case .rtp(let packet):
            add(MediaPacket(datagram: datagram, packet: packet))
        case .sip:
            guard let message = try? SIPMessage(parsing: datagram.payload), let callID = message.callID else {
                countNonAudio("sip-unparsed")
                return
            }
            add(Self.signalling(message, callID: callID, datagram: datagram))
        default:
            countNonAudio(kind.category.rawValue)
        }
    }

    static func signalling(_ message: SIPMessage, callID: String, datagram: UDPDatagram) -> SignallingMessage {
        var media: [AnnouncedMedia] = []
        if !message.body.isEmpty, message.contentType?.lowercased().contains("sdp") ?? true {
            let session = SDPSession(parsing: message.body)
            for section in session.audio {
                guard let address = section.connectionAddress ?? session.connectionAddress else { continue }
                var payloadTypes: [UInt8: Codec] = [:]
                for (payloadType, map) in section.rtpMaps {
                    payloadTypes[payloadType] = Codec(encodingName: map.encodingName)
                }
                media.append(
                    AnnouncedMedia(endpoint: Endpoint(address: address, port: section.port), payloadTypes: payloadTypes)
                )
            }
        }
        return SignallingMessage(
            arrival: datagram.timestamp,
            packetNumber: datagram.packetNumber,
            source: datagram.source,
            destination: datagram.destination,
            callID: callID,
            fromTag: message.fromTag,
            method: message.method,
            statusCode: message.statusCode,
            cseqMethod: message.cseq?.method,
            media: media
        )
    }
}

extension CallRenderer {
    /// Pass 2 of a capture datagram: RTP goes to its stream (if it is part of the call), anything else only
    /// moves the clock.
    public mutating func add(_ datagram: UDPDatagram) {
        if case .rtp(let packet) = PayloadClassifier.classify(datagram),
            renders(StreamKey(source: datagram.source, destination: datagram.destination, ssrc: packet.ssrc))
        {
            // Only the call's streams are copied out of the datagram.
            add(MediaPacket(datagram: datagram, packet: packet))
        } else {
            observe(time: datagram.timestamp)
        }
    }
}
