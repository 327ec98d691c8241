/// The Speex payload format parameters (RFC 5574 §3, §5): the band, given by the RTP clock rate, and the mode.
public struct SpeexFormat: Sendable, Hashable {
    /// The Speex band, which fixes the clock rate and the frame length (20 ms at each).
    public enum Band: Sendable, Hashable, CaseIterable {
        /// 8000 Hz, 160 samples per frame.
        case narrowband
        /// 16000 Hz, 320 samples per frame.
        case wideband
        /// 32000 Hz, 640 samples per frame.
        case ultraWideband

        /// The band of an RTP clock rate (RFC 5574 §3.1: 8000, 16000 or 32000), or nil.
        public init?(clockRate: Int) {
            switch clockRate {
            case 8000: self = .narrowband
            case 16000: self = .wideband
            case 32000: self = .ultraWideband
            default: return nil
            }
        }

        /// The clock and sample rate, in Hz.
        public var sampleRate: Int {
            switch self {
            case .narrowband: 8000
            case .wideband: 16000
            case .ultraWideband: 32000
            }
        }

        /// Samples (and RTP timestamp units) per 20 ms frame.
        public var samplesPerFrame: Int { sampleRate / 50 }
    }

    public var band: Band
    /// `mode`: the narrowband mode the SDP's author prefers (RFC 5574 §5), or nil for `any` or absent.
    /// Informational: each frame says its own mode.
    public var mode: Int?

    public init(band: Band, mode: Int? = nil) {
        self.band = band
        self.mode = mode
    }
}
