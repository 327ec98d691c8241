/// Why a payload type resolved to ``Codec/unsupported(name:reason:)``.
public enum UnsupportedReason: Sendable, Hashable, CustomStringConvertible {
    /// No decoder for this encoding in the product (iLBC: no maintained library in Debian; G.723.1, G.728, DVI4,
    /// SILK, G.722.1, …; or a name it does not know).
    case noDecoder
    /// AMR interleaving (`interleaving`, RFC 4867 §4.4.1): frames of a block spread over several packets.
    case amrInterleaving
    /// AMR frame CRCs (`crc=1`, RFC 4867 §4.4.2.1).
    case amrFrameCRC
    /// AMR robust sorting (`robust-sorting=1`, RFC 4867 §4.4.4.1).
    case amrRobustSorting
    /// A channel count the payload format is not decoded with (AMR with more than one channel, RFC 4867 §4.1; or
    /// fewer than one channel anywhere).
    case channels(Int)
    /// A clock rate the codec does not define (Speex at other than 8000, 16000 or 32000 Hz, RFC 5574 §3.1), or L16
    /// at a rate the resampler does not take (other than 8, 11.025, 12, 16, 22.05, 24, 32, 44.1 or 48 kHz).
    case clockRate(Int)

    public var description: String {
        switch self {
        case .noDecoder: "no decoder"
        case .amrInterleaving: "AMR interleaving (RFC 4867 §4.4.1) is not supported"
        case .amrFrameCRC: "AMR frame CRCs (RFC 4867 §4.4.2.1) are not supported"
        case .amrRobustSorting: "AMR robust sorting (RFC 4867 §4.4.4.1) is not supported"
        case .channels(let count): "\(count) channels are not supported"
        case .clockRate(let rate): "a clock rate of \(rate) Hz is not supported"
        }
    }
}
