public import Capture
public import PayloadFormats

/// Which leg goes to the left channel (SPEC §3.2).
public enum LeftChannelRule: Sendable, Hashable, CustomStringConvertible {
    /// The caller from SIP when present, else the leg whose first packet came first.
    case automatic
    /// The party that sent the INVITE (falls back to automatic without SIP).
    case caller
    /// The party that received the INVITE (falls back to automatic without SIP).
    case callee
    /// The leg sent from an address inside this network (a single address is a /32 or /128).
    case network(address: IPAddress, prefixLength: Int)

    /// Parses `caller`, `callee`, `auto`, an address, or a CIDR (`10.0.0.0/8`, `2001:db8::/32`).
    public init?(_ text: String) {
        switch text.lowercased() {
        case "", "auto", "automatic": self = .automatic
        case "caller": self = .caller
        case "callee": self = .callee
        default:
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = IPAddress(parts[0]) else { return nil }
            let maximum = address.isIPv6 ? 128 : 32
            var prefix = maximum
            if parts.count == 2 {
                guard let value = Int(parts[1]), (0...maximum).contains(value) else { return nil }
                prefix = value
            }
            self = .network(address: address, prefixLength: prefix)
        }
    }

    /// True when `address` lies inside the rule's network.
    func contains(_ address: IPAddress) -> Bool {
        guard case .network(let network, let prefix) = self, network.isIPv6 == address.isIPv6 else { return false }
        func masked(_ value: UInt64, bits: Int) -> UInt64 {
            bits <= 0 ? 0 : (bits >= 64 ? value : value & ~(UInt64.max >> UInt64(bits)))
        }
        return masked(network.high, bits: prefix) == masked(address.high, bits: prefix)
            && masked(network.low, bits: prefix - 64) == masked(address.low, bits: prefix - 64)
    }

    public var description: String {
        switch self {
        case .automatic: return "auto"
        case .caller: return "caller"
        case .callee: return "callee"
        case .network(let address, let prefix):
            return prefix == (address.isIPv6 ? 128 : 32) ? "\(address)" : "\(address)/\(prefix)"
        }
    }
}

/// Settings of the timeline; every default follows SPEC §3.
public struct TimelineOptions: Sendable {
    /// Payload types given by the user (`--pt 96=telephone-event`); they win over SDP and static types.
    public var payloadTypes: [UInt8: Codec] = [:]
    /// Codecs per stream and payload type that an earlier run of pass 1 learned from the whole capture
    /// (`CallTimeline.relearningOptions`); they win over everything, in pass 1 and in the analysis.
    public var streamPayloadTypes: [StreamKey: [UInt8: Codec]] = [:]
    public var left: LeftChannelRule = .automatic
    /// Gaps longer than this split a capture into two calls rather than hours of silence (SPEC §3.5).
    public var maximumGap: Int64 = 3_600 * 1_000_000_000
    /// Where RTP time and capture time disagree by more than this, a segment is re-anchored (SPEC §3.4).
    public var reanchorThreshold: Int64 = 1_000_000_000
    /// Losses up to this long are concealed; longer ones are silence (SPEC §3.5).
    public var concealmentLimit: Int64 = 60_000_000
    /// Packets whose delay exceeds the least-delayed packet by more than this count as late in the report
    /// (a real-time jitter buffer of this depth would have dropped them; offline nothing is dropped).
    public var lateThreshold: Int64 = 60_000_000
    /// How long before the SDP that names a stream's address, and after the dialog's BYE or final failure, the
    /// stream may still flow and belong to that dialog (SPEC §3.2). Five seconds: a tap can see the answerer's
    /// first packets before the 200 OK that names its address; after a BYE the other party sends until it has
    /// the BYE, and a BYE lost past the tap is retransmitted 0.5, 1.5 and 3.5 s later (RFC 3261 §17.1.2.2, timer
    /// E from T1 = 500 ms). Back-to-back calls on one port are told apart by the peer and the overlap, not by
    /// this margin.
    public var dialogMargin: Int64 = 5_000_000_000

    public init() {}
}
