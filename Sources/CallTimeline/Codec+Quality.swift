public import CallQuality

extension Codec {
    /// The codec as the quality model names it (ITU-T G.113 rows are found by the SDP encoding name: `PCMU`,
    /// `G722`, `G729`, `GSM`, `AMR`, `AMR-WB`, `opus`, `speex`, `G726-32`, …), so codecs this build cannot decode
    /// still score as what they are. The one place where the timeline's codec meets `CallQuality`: when the codec
    /// type carries a bit rate (a G.726 rate, an AMR mode), it goes in here as `bitrate`.
    public var qualityIdentity: CodecIdentity {
        switch self {
        case .unsupported(let name): return CodecIdentity(name: name)
        default: return CodecIdentity(name: description)
        }
    }
}
