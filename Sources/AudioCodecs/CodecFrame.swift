/// One unit of coded audio as a decoder takes it, cut out of an RTP payload by its payload format (RFC 3551,
/// RFC 4867, RFC 7587, RFC 5574; see the `PayloadFormats` module).
///
/// What `bytes` holds is each codec's natural decoding unit:
/// - G.711, G.722, L16, GSM 06.10, G.729: the payload's bytes for one frame (G.729: 10 bytes, or a 2-byte
///   Annex B SID; GSM: 33 bytes);
/// - G.726: the codewords of the payload, in RFC 3551 order (the payload format converts AAL2 packing);
/// - AMR and AMR-WB: one frame in the storage format of RFC 4867 §5 (a ToC-like header byte, then the speech
///   bits, octet-aligned), which is what the opencore decoders take;
/// - Opus: one whole Opus packet (RFC 7587: an RTP payload is one packet); Speex: a whole payload (the frames
///   in it are self-delimiting, RFC 5574 §3.3).
public struct CodecFrame: Sendable, Hashable {
    /// What the frame carries.
    public enum Kind: Sendable, Hashable {
        /// Coded speech (or music).
        case speech
        /// A silence descriptor (G.729 Annex B SID, AMR SID): the decoder makes comfort noise from it.
        case silenceDescriptor
        /// A slot with no data (AMR NO_DATA, a DTX period): the decoder continues its comfort noise or
        /// concealment.
        case noData
        /// A frame that arrived but cannot be decoded as it is (a size that does not fit its codec, a frame
        /// marked bad): the decoder's bad-frame handling, or the concealer, fills its duration.
        case damaged
    }

    public var kind: Kind
    public var bytes: [UInt8]
    /// The samples this frame stands for, at the decoder's sample rate; 0 when only decoding can tell.
    public var sampleCount: Int

    public init(kind: Kind, bytes: [UInt8], sampleCount: Int) {
        self.kind = kind
        self.bytes = bytes
        self.sampleCount = sampleCount
    }
}
