/// The G.729 payload format parameters (RFC 3551 §4.5.6; `annexb` of the audio/G729 media type, RFC 4856).
///
/// G.729, G.729 Annex A and Annex B share the payload format and are decoded alike: a payload holds 10-byte frames
/// and, with Annex B, possibly a 2-byte SID frame at the end.
public struct G729Format: Sendable, Hashable {
    /// Whether Annex B (voice activity detection, SID frames) is in use: `annexb=yes`, the default when the
    /// parameter is absent. A SID frame is decoded as one whatever this says.
    public var annexB: Bool

    public init(annexB: Bool = true) {
        self.annexB = annexB
    }
}
