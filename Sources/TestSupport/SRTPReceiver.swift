public import Capture
public import SecureRTP

/// What a pipeline pass does with SRTP, in a few lines, for tests: reads a capture's datagrams in order, gives
/// every SDP body's keys to the unprotector and every RTP (and RTCP) datagram to it, and keeps the verdicts.
public struct SRTPReceiver {
    /// One datagram of the capture and what the unprotector said of it (nil: not RTP/RTCP, e.g. SIP).
    public struct Outcome {
        public var datagram: UDPDatagram
        public var verdict: SRTPVerdict?
        public var isControl: Bool
    }

    public let unprotector: SRTPUnprotector
    public private(set) var outcomes: [Outcome] = []

    public init(keys: SRTPKeyRing = SRTPKeyRing()) {
        unprotector = SRTPUnprotector(keys: keys)
    }

    /// Runs every datagram of `capture` through the unprotector.
    public mutating func run(capture: [UInt8], name: String = "test.pcap") throws {
        for datagram in try Self.datagrams(capture, name: name) { add(datagram) }
    }

    /// One datagram, as a pass would hand it over.
    public mutating func add(_ datagram: UDPDatagram) {
        switch PayloadClassifier.classify(datagram) {
        case .rtp:
            outcomes.append(Outcome(datagram: datagram, verdict: unprotector.unprotect(datagram), isControl: false))
        case .rtcp:
            outcomes.append(
                Outcome(datagram: datagram, verdict: unprotector.unprotectControl(datagram), isControl: true)
            )
        case .sip:
            if let sdp = (try? SIPMessage(parsing: datagram.payload))?.sdp {
                unprotector.add(sdp: sdp, packetNumber: datagram.packetNumber)
            }
            outcomes.append(Outcome(datagram: datagram, verdict: nil, isControl: false))
        default:
            outcomes.append(Outcome(datagram: datagram, verdict: nil, isControl: false))
        }
    }

    /// The verdicts of the RTP datagrams, in capture order.
    public var mediaVerdicts: [SRTPVerdict] {
        outcomes.compactMap { $0.isControl ? nil : $0.verdict }
    }

    /// Every UDP datagram of a capture, in order.
    public static func datagrams(_ capture: [UInt8], name: String = "test.pcap") throws -> [UDPDatagram] {
        var reader = DatagramReader(name: name)
        var datagrams: [UDPDatagram] = []
        try reader.append(capture)
        while let datagram = try reader.next() { datagrams.append(datagram) }
        try reader.finish()
        while let datagram = try reader.next() { datagrams.append(datagram) }
        return datagrams
    }
}
