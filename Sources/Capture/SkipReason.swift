/// Why a frame yielded no UDP datagram. Counted per reason by `PacketDecoder`.
public enum SkipReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A link type this decoder does not read.
    case unsupportedLinkType
    /// The frame is shorter than its link-layer header (zero-length packets included).
    case truncatedLinkHeader
    /// Not IP: ARP, LLDP, 802.2 LLC, STP, …
    case nonIP
    /// More VLAN tags or MPLS labels than the configured depth.
    case tooManyTags
    /// An IPv4/IPv6 header that is cut short or inconsistent (bad version, IHL, lengths).
    case malformedIP
    /// More IPv6 extension headers than the configured limit, or an extension header cut short.
    case malformedExtensionHeaders
    /// TCP that carried no SIP (SIP over TCP is reassembled and read, SPEC §3.2), and fragmented TCP.
    case tcp
    /// A TCP header cut short or with a data offset outside the segment.
    case malformedTCP
    /// ICMP and ICMPv6.
    case icmp
    /// GRE (ERSPAN included), IP-in-IP, IPv6-in-IPv4, and UDP tunnels (VXLAN 4789, GTP-U 2152): counted, not
    /// decoded, so their inner RTP is never mistaken for the call's (SPEC §2.2).
    case tunnel
    /// Other transport protocols (SCTP, ESP, AH-protected data, IGMP, OSPF, IPv6 no-next-header, …).
    case otherProtocol
    /// A UDP header cut short, or a UDP length below 8 or beyond the IP payload.
    case malformedUDP
    /// A fragment that was captured only in part (it cannot be reassembled).
    case truncatedFragment
    /// Fragments that overlap with different data (RFC 5722; also IPv4, as an evasion pattern): dropped.
    case fragmentOverlap
    /// A fragment outside the 65,535-byte datagram, or inconsistent with the others.
    case malformedFragment
    /// A held datagram evicted because the reassembly memory bound was reached.
    case fragmentLimit
    /// A held datagram whose remaining fragments never came within the timeout (counted when it expires).
    case fragmentTimeout

    public var description: String { rawValue }
}
