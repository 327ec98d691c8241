/// The three Speex modes (RFC 5574 §2; Speex manual §5): one decoder and one RTP clock rate each.
public enum SpeexBand: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 8 kHz, 160-sample (20 ms) frames.
    case narrowband
    /// 16 kHz, 320-sample frames: a narrowband frame plus a high-band layer (Speex manual §5.2, SB-CELP).
    case wideband
    /// 32 kHz, 640-sample frames: a wideband frame plus a second high-band layer.
    case ultraWideband

    /// The audio rate, which is also the RTP clock rate (RFC 5574 §3.1).
    public var sampleRate: Int {
        switch self {
        case .narrowband: 8000
        case .wideband: 16000
        case .ultraWideband: 32000
        }
    }

    /// Samples per frame (20 ms).
    public var frameSamples: Int { sampleRate / 50 }

    public var description: String {
        switch self {
        case .narrowband: "narrowband"
        case .wideband: "wideband"
        case .ultraWideband: "ultra-wideband"
        }
    }
}
