public import Capture

extension MediaPacket {
    /// The RTP packet a classified datagram carries (for SRTP, the packet decrypted from it).
    public init(datagram: UDPDatagram, packet: RTPPacket) {
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
        add(datagram, kind: PayloadClassifier.classify(datagram))
    }

    /// Adds a datagram already classified (`kind` as `PayloadClassifier` gave it). ZRTP and DTLS also go to the
    /// key-exchange watch (SPEC §2.4 evidence (b)).
    public mutating func add(_ datagram: UDPDatagram, kind: PayloadKind) {
        switch kind {
        case .rtp(let packet):
            add(MediaPacket(datagram: datagram, packet: packet))
        case .sip:
            addSIP(
                datagram.payload,
                arrival: datagram.timestamp,
                packetNumber: datagram.packetNumber,
                source: datagram.source,
                destination: datagram.destination
            )
        case .zrtp, .dtls:
            encryption.keyExchanges.observe(datagram, kind: kind)
            countNonAudio(kind.category.rawValue)
        default:
            countNonAudio(kind.category.rawValue)
        }
    }

    /// Adds a SIP message reassembled from TCP (SPEC §3.2: SIP is read over UDP and TCP).
    public mutating func add(_ message: SIPStreamMessage) {
        addSIP(
            message.bytes,
            arrival: message.timestamp,
            packetNumber: message.packetNumber,
            source: message.source,
            destination: message.destination
        )
    }

    /// Adds what a capture's transport layer carries: a UDP datagram or a SIP message over TCP.
    public mutating func add(_ payload: TransportPayload) {
        switch payload {
        case .udp(let datagram): add(datagram)
        case .sip(let message): add(message)
        }
    }

    private mutating func addSIP(
        _ bytes: [UInt8],
        arrival: Int64,
        packetNumber: Int,
        source: Endpoint,
        destination: Endpoint
    ) {
        guard let message = try? SIPMessage(parsing: bytes), let callID = message.callID else {
            countNonAudio("sip-unparsed")
            return
        }
        add(
            SignallingMessage(
                arrival: arrival,
                packetNumber: packetNumber,
                source: source,
                destination: destination,
                callID: callID,
                fromTag: message.fromTag,
                method: message.method,
                statusCode: message.statusCode,
                cseqMethod: message.cseq?.method,
                media: Self.announcedMedia(message)
            )
        )
    }

    /// The audio media an SDP body announces (offer, answer, re-INVITE, UPDATE, PRACK: any message with one),
    /// also inside a multipart body (SIP-I/SIP-T).
    static func announcedMedia(_ message: SIPMessage) -> [AnnouncedMedia] {
        var media: [AnnouncedMedia] = []
        if let session = sdp(of: message) {
            for section in session.audio {
                guard let address = section.connectionAddress ?? session.connectionAddress else { continue }
                var payloadTypes: [UInt8: Codec] = [:]
                for (payloadType, map) in section.rtpMaps {
                    payloadTypes[payloadType] = Codec(encodingName: map.encodingName)
                }
                media.append(
                    AnnouncedMedia(
                        endpoint: Endpoint(address: address, port: section.port),
                        payloadTypes: payloadTypes,
                        security: section.security
                    )
                )
            }
        }
        return media
    }

    /// The SDP body of a SIP message as the timeline reads it (also inside a multipart body), or nil: what the
    /// pipeline's SRTP step reads SDES keys from, so keys and media come from the same bodies.
    public static func sdp(of message: SIPMessage) -> SDPSession? {
        let type = message.contentType?.lowercased()
        if message.body.isEmpty { return nil }
        if type?.hasPrefix("multipart/") == true { return message.sdp }
        return type?.contains("sdp") ?? true ? SDPSession(parsing: message.body) : nil
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
