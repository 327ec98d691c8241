/// A payload that cannot be cut into frames (not even giving a duration), or a codec specification that cannot be
/// read. The ``code`` is what a caller counts; the description says what was expected, what was found, and where.
public struct PayloadFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No byte where the payload format needs a header (an AMR CMR, an Opus TOC byte; RFC 6716 §3.4 R1).
        case emptyPayload
        /// The header runs past the end of the payload: an AMR table of contents whose F bits never stop
        /// (RFC 4867 §4.3.2, §4.4.2), an Opus code 3 packet without its frame count byte (RFC 6716 §3.2.5).
        case truncatedHeader
        /// An Opus packet that breaks RFC 6716 §3.4 in a way that leaves no duration: a code 3 packet with no
        /// frame, or with more than 120 ms of audio (R5).
        case invalidOpusPacket
        /// A Speex payload in which no frame can be counted: its first unit has a mode that does not exist, or it
        /// holds only signalling or the terminator (RFC 5574 §3; the Speex manual's mode tables).
        case invalidSpeexPayload
        /// A `--pt` value that is not `NAME[/CLOCK[/CHANNELS]][;PARAMETERS]`.
        case invalidSpecification
        /// A `--pt` value for L16 without its clock rate (L16 has no default rate).
        case missingClockRate
        /// A `--pt` value naming a codec that is not decoded, or parameters that are refused.
        case unsupportedCodec
    }

    public var code: Code
    /// The byte offset in the payload where the problem is, for payload errors.
    public var offset: Int?
    /// The `--pt` value, for specification errors.
    public var specification: String?
    /// Why a codec is refused, for ``Code/unsupportedCodec``.
    public var reason: UnsupportedReason?

    public init(_ code: Code, offset: Int? = nil, specification: String? = nil, reason: UnsupportedReason? = nil) {
        self.code = code
        self.offset = offset
        self.specification = specification
        self.reason = reason
    }

    public var description: String {
        let at = offset.map { " at byte \($0)" } ?? ""
        let value = specification.map { "\($0): " } ?? ""
        switch code {
        case .emptyPayload: return "expected a payload header, found an empty payload"
        case .truncatedHeader: return "expected the rest of the payload header, found the end of the payload\(at)"
        case .invalidOpusPacket:
            return "expected an Opus packet of 1 to 48 frames and at most 120 ms (RFC 6716 §3.4), found another\(at)"
        case .invalidSpeexPayload: return "expected a Speex frame (narrowband mode 0–8), found none\(at)"
        case .invalidSpecification:
            return "\(value)expected NAME[/CLOCK[/CHANNELS]][;PARAMETERS], e.g. opus or AMR-WB/16000;octet-align=1"
        case .missingClockRate: return "\(value)L16 needs its clock rate, e.g. L16/16000 or L16/44100/2"
        case .unsupportedCodec:
            let why = reason.map { $0 == .noDecoder ? "" : " (\($0))" } ?? ""
            return "\(value)not a decoded codec\(why); expected one of "
                + Codec.decodedEncodingNames.joined(separator: ", ")
        }
    }
}
