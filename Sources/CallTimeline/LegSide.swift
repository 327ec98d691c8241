/// Which side of a call a leg is (SPEC §3.2, §3.9): A goes to the left channel (by default the caller), B to the
/// right.
public enum LegSide: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case a
    case b

    /// The stereo channel it renders to: 0 left, 1 right.
    public var channel: Int { self == .a ? 0 : 1 }

    /// `left` or `right`, as the report names the channel.
    public var channelName: String { self == .a ? "left" : "right" }

    /// `A` or `B`, as the report and the ID3 channel map write it.
    public var description: String { self == .a ? "A" : "B" }
}
