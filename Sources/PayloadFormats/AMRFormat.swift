/// The AMR or AMR-WB payload format parameters that decoding depends on (RFC 4867 §8.1, §8.2).
///
/// Interleaving, frame CRCs, robust sorting and multi-channel sessions change the payload layout and are refused
/// when the ``Codec`` is built (they are rare in telephony captures); what remains is one channel, in
/// octet-aligned or bandwidth-efficient mode.
public struct AMRFormat: Sendable, Hashable {
    /// `octet-align=1`: octet-aligned mode (RFC 4867 §4.4); otherwise bandwidth-efficient (§4.3), the default.
    public var octetAligned: Bool
    /// `mode-set`: the codec modes the session may use (frame types 0–7 for AMR, 0–8 for AMR-WB), or nil for all.
    /// Informational: a frame in another mode is still decoded.
    public var modeSet: [Int]?

    public init(octetAligned: Bool = false, modeSet: [Int]? = nil) {
        self.octetAligned = octetAligned
        self.modeSet = modeSet
    }
}
