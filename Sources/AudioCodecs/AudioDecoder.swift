/// A decoder for one sender's audio in one codec (SPEC §2.5): it takes the frames a payload format cuts out of
/// the RTP payloads, in order, and gives 16-bit mono PCM at ``sampleRate``.
///
/// One instance decodes one stream segment (one SSRC, one codec): it keeps the codec's state from frame to frame
/// and across losses, as the codec expects. Decoders of C libraries (bcg729, libopus, opencore-amr, libgsm,
/// libspeex) conform to it in their wrapper modules; the pure-Swift ones (G.711, G.722, G.726, L16) here.
/// The timeline holds decoders as `any AudioDecoder` and never sees a C type.
public protocol AudioDecoder {
    /// The rate of the decoded samples, in Hz.
    var sampleRate: Int { get }

    /// Decodes one frame and appends its samples (mono, at ``sampleRate``) to `output`. A frame of kind
    /// ``CodecFrame/Kind/damaged`` or ``CodecFrame/Kind/noData`` goes through the codec's own bad-frame or DTX
    /// handling where it has one; a codec without one appends `frame.sampleCount` samples of concealment or
    /// silence, never noise made of the bytes.
    mutating func decode(_ frame: CodecFrame, appendingTo output: inout [Int16])

    /// Fills `count` samples of lost audio with the codec's own concealment and appends them to `output`.
    /// `next` is the first frame after the loss when it has already arrived (Opus decodes its in-band FEC from
    /// it). Returns false, appending nothing, when the codec has no concealment of its own: the caller then
    /// uses ``PacketLossConcealer`` (ITU-T G.711 Appendix I).
    mutating func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool
}
