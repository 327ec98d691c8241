/// The one error type of the MP3Encoder module: what LAME refused, with its return code where it gave one.
public struct MP3EncoderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable {
        /// The sample rate is not one MPEG audio layer III can carry (8000…48000 Hz, ISO/IEC 11172-3 and 13818-3).
        case unsupportedSampleRate
        /// Only mono and stereo exist in MPEG-1/2 layer III.
        case unsupportedChannelCount
        /// The CBR bitrate is not in the bitrate table of the MPEG version the sample rate selects.
        case unsupportedBitrate
        /// VBR quality outside 0 (best) … 9 (smallest).
        case unsupportedVBRQuality
        /// `lame_init` returned no handle (out of memory).
        case initFailed
        /// `lame_init_params` rejected the configuration.
        case configurationRejected
        /// `lame_encode_buffer*` failed (-1 buffer too small, -2 out of memory, -3 not initialised, -4 psychoacoustic
        /// problem, per lame.h).
        case encodeFailed
        /// `lame_encode_flush` failed.
        case flushFailed
        /// `writeLAMETagFrame` found no placeholder frame where it was told to look, or ran before `finish`.
        case tagPlaceholderMissing
        /// `encode` or `finish` was called after `finish`.
        case alreadyFinished
        /// The right channel was missing for a stereo encoder, or given with a different length than the left.
        case channelMismatch

        /// What went wrong in a user's words (messages never show the case's name).
        public var summary: String {
            switch self {
            case .unsupportedSampleRate: "sample rate not carried by MP3"
            case .unsupportedChannelCount: "channel count not carried by MP3"
            case .unsupportedBitrate: "bitrate not offered at this sample rate"
            case .unsupportedVBRQuality: "VBR quality out of range"
            case .initFailed: "LAME could not start"
            case .configurationRejected: "LAME refused the settings"
            case .encodeFailed: "encoding failed"
            case .flushFailed: "finishing the stream failed"
            case .tagPlaceholderMissing: "no room for the LAME tag"
            case .alreadyFinished: "used after it finished"
            case .channelMismatch: "channels do not match"
            }
        }
    }

    public var code: Code
    /// LAME's return code when the failure came from a LAME call.
    public var lameReturnCode: Int32?
    /// What was expected and what was found.
    public var detail: String

    public init(_ code: Code, lameReturnCode: Int32? = nil, detail: String) {
        self.code = code
        self.lameReturnCode = lameReturnCode
        self.detail = detail
    }

    public var description: String {
        var text = "MP3 encoder: \(code.summary): \(detail)"
        if let lameReturnCode { text += " (LAME returned \(lameReturnCode))" }
        return text
    }
}
