/// A G.711 decoder as an ``AudioDecoder``: one µ-law or A-law code per sample, 8 kHz (RFC 3551 §4.5.14, payload
/// types 0 and 8). The decoding is ``G711``'s tables.
public struct G711Decoder: Sendable {
    /// The companding law.
    public enum Law: Sendable, Hashable {
        /// µ-law (PCMU).
        case muLaw
        /// A-law (PCMA).
        case aLaw
    }

    public let law: Law

    public init(law: Law) {
        self.law = law
    }
}
