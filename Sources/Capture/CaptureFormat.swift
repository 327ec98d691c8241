/// The container a capture turned out to be (detected from its magic bytes).
public enum CaptureFormat: Hashable, Sendable, CustomStringConvertible {
    /// Classic libpcap; `nanoseconds` for magic a1b23c4d, `bigEndian` for the file's byte order.
    case pcap(nanoseconds: Bool, bigEndian: Bool)
    /// pcapng; the byte order of the first section (each section may differ).
    case pcapng(bigEndian: Bool)
    /// rtptools `#!rtpplay1.0` dump.
    case rtpdump

    public var description: String {
        switch self {
        case .pcap(let nanoseconds, let bigEndian):
            "pcap (\(nanoseconds ? "ns" : "µs"), \(bigEndian ? "big" : "little")-endian)"
        case .pcapng(let bigEndian): "pcapng (\(bigEndian ? "big" : "little")-endian)"
        case .rtpdump: "rtpdump"
        }
    }
}
