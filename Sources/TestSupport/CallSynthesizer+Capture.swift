import Capture

extension CallSynthesizer {
    /// Container choices for a synthesized capture.
    public enum Container: String, Sendable, CaseIterable {
        case pcap
        case pcapng
        case rtpdump
    }

    /// The call as a capture file: every packet (SIP included when asked) written with `CaptureWriter` over
    /// Ethernet (IPv4 or IPv6 by the endpoints' addresses), optionally gzip-compressed.
    public func capture(container: Container = .pcap, gzip: Bool = false) -> [UInt8] {
        let bytes = Self.capture([self], container: container)
        return gzip ? GzipWriter.compress(bytes) : bytes
    }

    /// Several calls in one capture (calls one after another, or at once), their packets in capture-time order.
    /// An rtpdump file names the first call's first destination and holds no SIP.
    public static func capture(_ calls: [CallSynthesizer], container: Container = .pcap) -> [UInt8] {
        var writer: CaptureWriter
        switch container {
        case .pcap: writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false))
        case .pcapng: writer = CaptureWriter(format: .pcapng(bigEndian: false), resolution: .decimal(9))
        case .rtpdump:
            writer = CaptureWriter(
                format: .rtpdump(
                    address: calls.first?.legs.first?.destination
                        ?? Endpoint(address: IPAddress(ipv4: 0x7F00_0001), port: 5004)
                )
            )
        }
        let packets = calls.flatMap { $0.packets() }.enumerated()
            .sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }.map(\.element)
        for packet in packets {
            if container == .rtpdump && packet.leg == nil { continue }
            writer.addUDP(
                timestamp: packet.arrival,
                source: packet.source,
                destination: packet.destination,
                payload: packet.payload
            )
        }
        return writer.finish()
    }
}
