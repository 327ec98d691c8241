/// What `WAVWriter` refused: a format WAVE cannot describe, or more audio than a RIFF file can hold.
public struct WAVWriterError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// Not 1 or 2 channels, or a sample rate that is not positive or overflows the byte-rate field.
        case unsupportedFormat
        /// RIFF sizes are 32-bit: the file would exceed 4 GiB (about 37 hours of 8 kHz stereo, 74 of mono).
        case tooLarge
        /// The right channel was missing for stereo, given for mono, or of a different length than the left.
        case channelMismatch

        /// What went wrong in a user's words (messages never show the case's name).
        public var summary: String {
            switch self {
            case .unsupportedFormat: "format not carried by WAVE"
            case .tooLarge: "more audio than a WAV file holds (4 GiB)"
            case .channelMismatch: "channels do not match"
            }
        }
    }

    public var code: Code
    /// What was expected and what was found.
    public var detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "WAV writer: \(code.summary): \(detail)" }
}
