extension Codec {
    /// The payload format's parameters in words, for reports (SPEC §4: the codec's mode and rate); nil for codecs
    /// that have none (G.711, GSM, comfort noise, telephone events).
    ///
    /// `64 kbit/s` (G.722), `32 kbit/s, AAL2 packing` (G.726), `Annex B` or `without Annex B` (G.729, from
    /// `annexb`), `octet-aligned` or `bandwidth-efficient` (AMR, AMR-WB), `stereo sender, in-band FEC` (Opus),
    /// `wideband` (Speex), `44100 Hz, 2 channels` (L16).
    public var formatDescription: String? {
        switch self {
        case .g722: return "64 kbit/s"
        case .g726(let format):
            return "\(format.rate.rawValue) kbit/s, \(format.packing == .aal2 ? "AAL2" : "RFC 3551") packing"
        case .g729(let format): return format.annexB ? "Annex B" : "without Annex B"
        case .amr(let format), .amrWideband(let format):
            return format.octetAligned ? "octet-aligned" : "bandwidth-efficient"
        case .opus(let format):
            let parts =
                [format.senderStereo ? "stereo sender" : "mono sender"] + (format.inbandFEC ? ["in-band FEC"] : [])
            return parts.joined(separator: ", ")
        case .speex(let format):
            switch format.band {
            case .narrowband: return "narrowband"
            case .wideband: return "wideband"
            case .ultraWideband: return "ultra-wideband"
            }
        case .l16(let format):
            return "\(format.clockRate) Hz, \(format.channels) channel\(format.channels == 1 ? "" : "s")"
        case .pcmu, .pcma, .gsm, .comfortNoise, .telephoneEvent, .unsupported, .unknown: return nil
        }
    }
}
