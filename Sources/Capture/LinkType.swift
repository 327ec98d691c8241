/// A link-layer header type: the pcap/pcapng LINKTYPE_ value (tcpdump.org link-layer header types registry).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// LINKTYPE_NULL (0): BSD loopback, a 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    /// LINKTYPE_ETHERNET (1).
    public static let ethernet = LinkType(rawValue: 1)
    /// DLT_RAW as most BSDs number it (12); some old files carry it instead of 101.
    public static let rawBSD = LinkType(rawValue: 12)
    /// DLT_RAW as OpenBSD numbers it (14).
    public static let rawOpenBSD = LinkType(rawValue: 14)
    /// LINKTYPE_RAW (101): an IPv4 or IPv6 header first, told apart by the version nibble.
    public static let raw = LinkType(rawValue: 101)
    /// LINKTYPE_LOOP (108): OpenBSD loopback, the address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// LINKTYPE_LINUX_SLL (113): Linux cooked capture v1.
    public static let linuxCooked = LinkType(rawValue: 113)
    /// LINKTYPE_IPV4 (228).
    public static let ipv4 = LinkType(rawValue: 228)
    /// LINKTYPE_IPV6 (229).
    public static let ipv6 = LinkType(rawValue: 229)
    /// LINKTYPE_LINUX_SLL2 (276): Linux cooked capture v2.
    public static let linuxCooked2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "Ethernet"
        case .rawBSD, .rawOpenBSD, .raw: "raw IP"
        case .loop: "LOOP"
        case .linuxCooked: "Linux cooked v1"
        case .ipv4: "raw IPv4"
        case .ipv6: "raw IPv6"
        case .linuxCooked2: "Linux cooked v2"
        default: "link type \(rawValue)"
        }
    }
}
