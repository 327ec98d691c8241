/// What the transport layer of a capture carries that the timeline reads.
public enum TransportPayload: Sendable {
    case udp(UDPDatagram)
    /// A SIP message carried over TCP.
    case sip(SIPStreamMessage)
}
