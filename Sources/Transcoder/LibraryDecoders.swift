import AMRCodec
public import CallTimeline
import G729Codec
import GSMCodec
import OpusCodec
import PayloadFormats
import SpeexCodec

extension AudioDecoderFactory {
    /// Every codec of SPEC §2.5: the library decoders (bcg729, libopus, opencore-amr, libgsm, libspeex), then the
    /// Swift ones (G.711, G.722, G.726, L16). What pass 2 decodes with.
    public static let allCodecs = AudioDecoderFactory { codec, sampleRate in
        switch codec {
        case .g729: G729Decoder()
        // The rate is one libopus decodes at: the renderer asks for 8, 12, 16, 24 or 48 kHz only.
        case .opus: try? OpusDecoder(sampleRate: sampleRate)
        case .amr: AMRNBDecoder()
        case .amrWideband: AMRWBDecoder()
        case .gsm: GSMDecoder()
        case .speex(let format): SpeexDecoder(band: format.band.library)
        default: nil
        }
    }
    .fallingBack(to: .swiftCodecs)
}

extension SpeexFormat.Band {
    /// The same band as the Speex library wrapper names it.
    var library: SpeexBand {
        switch self {
        case .narrowband: .narrowband
        case .wideband: .wideband
        case .ultraWideband: .ultraWideband
        }
    }
}
