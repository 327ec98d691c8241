public import AudioCodecs

/// The G.726 payload format of a payload type: its rate and its bit packing (RFC 3551 §4.5.4).
///
/// `G726-16`, `G726-24`, `G726-32` and `G726-40` pack codewords from the least significant bit of each octet
/// (``G726Packing/rfc3551``); `AAL2-G726-16` … `AAL2-G726-40` pack them from the most significant bit, as ITU-T
/// I.366.2 does (``G726Packing/aal2``). The same audio in the wrong packing decodes to loud noise.
public struct G726Format: Sendable, Hashable {
    public var rate: G726Rate
    public var packing: G726Packing

    public init(rate: G726Rate, packing: G726Packing = .rfc3551) {
        self.rate = rate
        self.packing = packing
    }

    /// `G726-32`, `AAL2-G726-32` and so on.
    public var encodingName: String {
        (packing == .aal2 ? "AAL2-" : "") + rate.description
    }
}
