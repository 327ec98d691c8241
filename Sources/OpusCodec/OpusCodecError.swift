/// The one error type of the OpusCodec module: what libopus refused, with its error code.
public struct OpusCodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable {
        /// The output rate is not one libopus decodes to (8, 12, 16, 24 or 48 kHz, RFC 6716 §4).
        case unsupportedSampleRate
        /// Not 1 or 2 channels (encoder).
        case unsupportedChannelCount
        /// `opus_decoder_create` or `opus_encoder_create` failed.
        case createFailed
        /// An `opus_encoder_ctl` request was refused.
        case configurationRejected
        /// `opus_encode` failed.
        case encodeFailed
    }

    public var code: Code
    /// libopus's error code (`OPUS_BAD_ARG` …) when the failure came from a libopus call.
    public var libraryCode: Int32?
    /// What was expected and what was found.
    public var detail: String

    public init(_ code: Code, libraryCode: Int32? = nil, detail: String) {
        self.code = code
        self.libraryCode = libraryCode
        self.detail = detail
    }

    public var description: String {
        var text = "Opus: \(code.rawValue): \(detail)"
        if let libraryCode { text += " (libopus returned \(libraryCode))" }
        return text
    }
}
