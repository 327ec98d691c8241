public import AudioCodecs
public import PayloadFormats

/// Makes the decoder of each segment pass 2 renders (SPEC §2.5): one decoder per segment (one SSRC, one codec),
/// fed the frames its payload format cuts, in order.
///
/// `CallTimeline` is pure Swift and cannot see the C libraries' wrappers, so whoever renders hands it a factory
/// that knows them (the `Transcoder` knows every codec); ``swiftCodecs`` makes the decoders written in Swift.
/// A codec the factory has no decoder for renders as silence of its duration.
public struct AudioDecoderFactory: Sendable {
    /// Makes a decoder for `codec` producing samples at `sampleRate` (the codec's own rate, or for Opus the rate
    /// the leg is rendered at), or nil when there is none.
    public typealias Make = @Sendable (_ codec: Codec, _ sampleRate: Int) -> (any AudioDecoder & Sendable)?

    private let make: Make

    public init(_ make: @escaping Make) {
        self.make = make
    }

    /// A decoder for `codec` at `sampleRate`, or nil.
    public func decoder(for codec: Codec, sampleRate: Int) -> (any AudioDecoder & Sendable)? {
        make(codec, sampleRate)
    }

    /// The decoders of the Swift codec core: G.711 µ-law and A-law, G.722, G.726 (every rate), L16.
    public static let swiftCodecs = AudioDecoderFactory { codec, _ in
        switch codec {
        case .pcmu: G711Decoder(law: .muLaw)
        case .pcma: G711Decoder(law: .aLaw)
        case .g722: G722Decoder()
        case .g726(let format): G726Decoder(rate: format.rate)
        case .l16(let format): L16Decoder(sampleRate: format.clockRate, channels: format.channels)
        default: nil
        }
    }

    /// This factory's decoder, else `other`'s.
    public func fallingBack(to other: AudioDecoderFactory) -> AudioDecoderFactory {
        AudioDecoderFactory { codec, rate in self.make(codec, rate) ?? other.make(codec, rate) }
    }
}

extension Codec {
    /// Whether the codec's decoder handles a damaged frame itself (bad-frame handling, or its own concealment):
    /// bcg729, libopus, opencore-amr, libgsm and libspeex do. The Swift codecs (G.711, G.722, G.726, L16) would
    /// only write silence: their damaged payloads are concealed like lost packets, by the G.711 Appendix I
    /// concealer of the leg (SPEC §3.5).
    var decodesDamagedFrames: Bool {
        switch self {
        case .g729, .gsm, .amr, .amrWideband, .opus, .speex: true
        default: false
        }
    }

    /// The rate this codec is decoded at in a leg rendered at `legRate`: its own, except Opus, which libopus
    /// decodes at any of 8, 12, 16, 24 and 48 kHz (RFC 6716 §2) and so is decoded straight at the leg's rate
    /// (see the README: cheaper than 48 kHz and resampling, and as good against a 48 kHz reference).
    func decodeRate(legRate: Int) -> Int {
        guard case .opus = self else { return sampleRate }
        return [8000, 12000, 16000, 24000, 48000].contains(legRate) ? legRate : 48000
    }
}
