import Capture
import FuzzSupport

/// Fuzzes the per-datagram parsers (SPEC §2.3): RTP (RFC 3550, RFC 8285 extensions), the payload classifier
/// (RTCP, STUN, DTLS, ZRTP, keep-alives), RFC 4733 telephone events, RFC 3389 comfort noise, SIP and SDP. The
/// parsers throw or return nil on bad input; they must never trap, and what they return must be consistent
/// (the payload lies inside the packet).
@main
enum FuzzSignalling {
    static func main() {
        FuzzDriver.run { bytes in
            rtp(bytes)
            _ = PayloadClassifier.classify(bytes)
            _ = PayloadClassifier.classify(bytes, isTruncated: true)
            _ = try? TelephoneEvent(parsing: bytes)
            _ = TelephoneEvent.isPlausible(bytes)
            _ = try? ComfortNoise(parsing: bytes)
            sip(bytes)
            sdp(SDPSession(parsing: bytes))
        }
    }

    static func rtp(_ bytes: [UInt8]) {
        for truncated in [false, true] {
            guard let packet = try? RTPPacket(parsing: bytes, isTruncated: truncated) else { continue }
            guard packet.payloadRange.lowerBound >= 12, packet.payloadRange.upperBound <= bytes.count,
                packet.payload.count == packet.payloadRange.count
            else {
                fatalError("payload \(packet.payloadRange) outside a \(bytes.count)-byte packet")
            }
            _ = packet.headerExtension?.elements.count
            _ = try? TelephoneEvent(parsing: packet.payload)
            _ = try? ComfortNoise(parsing: packet.payload)
        }
    }

    static func sip(_ bytes: [UInt8]) {
        _ = SIPMessage.looksLikeSIP(bytes)
        guard let message = try? SIPMessage(parsing: bytes) else { return }
        _ = (message.method, message.statusCode, message.callID, message.fromTag, message.toTag)
        _ = (message.fromURI, message.toURI, message.cseq?.number, message.contentLength, message.contentType)
        if let session = message.sdp { sdp(session) }
    }

    static func sdp(_ session: SDPSession) {
        for media in session.audio {
            _ = (media.rtpMaps.count, media.formatParameters.count, media.packetTime, media.rtcpPort)
        }
    }
}
