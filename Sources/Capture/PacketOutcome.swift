/// What `PacketDecoder.decode(_:)` made of one frame.
public enum PacketOutcome: Sendable {
    /// A complete UDP datagram (reassembled if it was fragmented).
    case datagram(UDPDatagram)
    /// A TCP segment, for the SIP stream reassembler (`SIPStreamReassembler`).
    case segment(TCPSegment)
    /// A fragment, held until the rest of its datagram arrives.
    case pending
    /// Nothing usable, and why.
    case skipped(SkipReason)
}
