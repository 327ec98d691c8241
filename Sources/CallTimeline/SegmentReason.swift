/// Why a segment of a leg starts (SPEC §3.2, §3.4).
public enum SegmentReason: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The leg's first segment.
    case first
    /// The sender switched to a new SSRC after the previous one stopped.
    case ssrcChange
    /// The same stream continued in another payload type's audio.
    case codecChange
    /// RTP time stopped explaining capture time (a timestamp jump, a sender restart), or a pause beyond the
    /// call-split limit: the segment is anchored again.
    case reanchor

    /// The report's words: `first`, `ssrc-change`, `codec-change`, `reanchor`.
    public var description: String {
        switch self {
        case .first: return "first"
        case .ssrcChange: return "ssrc-change"
        case .codecChange: return "codec-change"
        case .reanchor: return "reanchor"
        }
    }
}
