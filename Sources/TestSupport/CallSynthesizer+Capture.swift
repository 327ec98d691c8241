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

    /// `count` two-party calls of `seconds` one after another, half a second apart, each between its own two
    /// addresses (every third reusing the first caller's port), alternately G.711 µ-law and G.722, the caller's leg
    /// with some loss, reordering and jitter (so that pass 2's reorder buffers hold packets).
    public static func sequentialCalls(_ count: Int, seconds: Double = 2) -> [CallSynthesizer] {
        (0..<count).map { index in
            let callerPort: UInt16 = index % 3 == 0 ? 40000 : UInt16(41000 + index)
            var a = SynthLeg(
                codec: index % 2 == 0 ? .pcmu : .g722,
                source: Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: callerPort),
                destination: Endpoint(
                    address: IPAddress(ipv4: 10, 0, UInt8(1 + index / 250), UInt8(1 + index % 250)),
                    port: 50000
                )
            )
            a.durationSeconds = seconds
            a.ssrc = UInt32(0x1000 + 2 * index)
            a.lossProbability = 0.03
            a.reorderProbability = 0.05
            a.jitterMilliseconds = 8
            a.seed = UInt64(1 + index)
            var b = SynthLeg(codec: a.codec, source: a.destination, destination: a.source)
            b.durationSeconds = seconds
            b.startMilliseconds = 30
            b.ssrc = UInt32(0x1001 + 2 * index)
            b.pitchHz = 220
            b.jitterMilliseconds = 4
            b.seed = UInt64(100 + index)
            var call = CallSynthesizer(legs: [a, b])
            call.startTime += Int64(Double(index) * (seconds + 0.5) * 1e9)
            return call
        }
    }
}
