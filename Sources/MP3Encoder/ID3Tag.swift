/// An ID3v2.4.0 tag (id3.org "ID3 tag version 2.4.0 - Main Structure" and "- Native Frames"), written before the
/// MP3 stream. Pure Swift; the bytes are a function of the fields alone (no padding, no clock, fixed frame order:
/// TIT2, TDRC, TSSE, TXXX in the order given, COMM), so the same recording always gets the same tag.
///
/// Every text is UTF-8 (encoding byte `$03`, §4.2 of the main structure). NUL characters are dropped (they
/// separate strings in ID3 frames) and each text is cut at `maximumTextBytes` between Unicode scalars, so every
/// size fits its synchsafe field and writing never fails.
public struct ID3Tag: Hashable, Sendable {
    /// A user-defined text frame (TXXX, native frames §4.2.6): description and value.
    public struct UserText: Hashable, Sendable {
        public var description: String
        public var value: String

        public init(description: String, value: String) {
            self.description = description
            self.value = value
        }
    }

    /// TIT2, "Title/songname/content description": the call id or source key.
    public var title: String?
    /// TDRC, "Recording time": seconds since 1970-01-01T00:00:00Z, written as UTC `yyyy-MM-ddTHH:mm:ss` (the
    /// ID3v2.4 timestamp format, a subset of ISO 8601, §4 of the main structure). From the capture, never the clock.
    public var recordingTime: Int64?
    /// TSSE, "Software/Hardware and settings used for encoding": tool version and encoder settings.
    public var encoderSettings: String?
    /// TXXX frames, e.g. channel map, codecs per leg, call id.
    public var userTexts: [UserText]
    /// COMM, "Comments", language `eng`, empty short description.
    public var comment: String?

    /// The longest text written per field, in UTF-8 bytes; longer texts are cut.
    public static let maximumTextBytes = 16 * 1024

    public init(
        title: String? = nil,
        recordingTime: Int64? = nil,
        encoderSettings: String? = nil,
        userTexts: [UserText] = [],
        comment: String? = nil
    ) {
        self.title = title
        self.recordingTime = recordingTime
        self.encoderSettings = encoderSettings
        self.userTexts = userTexts
        self.comment = comment
    }

    /// The whole tag: 10-byte header and the frames, no padding, no footer, no extended header.
    public func bytes() -> [UInt8] {
        var frames = [UInt8]()
        if let title { Self.appendFrame("TIT2", to: &frames, [Self.utf8, Self.text(title)]) }
        if let recordingTime {
            Self.appendFrame("TDRC", to: &frames, [Self.utf8, Array(Self.timestamp(recordingTime).utf8)])
        }
        if let encoderSettings { Self.appendFrame("TSSE", to: &frames, [Self.utf8, Self.text(encoderSettings)]) }
        for userText in userTexts {
            Self.appendFrame(
                "TXXX",
                to: &frames,
                [Self.utf8, Self.text(userText.description), [0], Self.text(userText.value)]
            )
        }
        if let comment {
            // Language (ISO 639-2), then the short content description terminated by $00, then the text.
            Self.appendFrame("COMM", to: &frames, [Self.utf8, Array("eng".utf8), [0], Self.text(comment)])
        }
        // Header: "ID3", version 2.4.0, flags 0 (no unsynchronisation, extended header, experimental or footer),
        // and the size of everything after the header as a synchsafe integer (main structure §3.1).
        var tag: [UInt8] = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00]
        tag += Self.synchsafe(frames.count)
        tag += frames
        return tag
    }

    /// `yyyy-MM-ddTHH:mm:ss` in UTC for seconds since the Unix epoch (proleptic Gregorian calendar; the civil
    /// date from a day count as in H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days).
    public static func timestamp(_ secondsSinceEpoch: Int64) -> String {
        let (days, secondOfDay) = Self.floorDivide(secondsSinceEpoch, 86_400)
        let shifted = days + 719_468  // days from 0000-03-01 to 1970-01-01
        let (era, _) = Self.floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) + "T"
            + Self.pad(secondOfDay / 3600, 2) + ":" + Self.pad(secondOfDay / 60 % 60, 2) + ":"
            + Self.pad(secondOfDay % 60, 2)
    }

    /// A 28-bit integer in four bytes of seven bits each, most significant first (main structure §6.2).
    static func synchsafe(_ value: Int) -> [UInt8] {
        [UInt8(value >> 21 & 0x7F), UInt8(value >> 14 & 0x7F), UInt8(value >> 7 & 0x7F), UInt8(value & 0x7F)]
    }

    /// Text encoding $03: UTF-8 (main structure §4).
    private static let utf8: [UInt8] = [0x03]

    /// A frame: 4-character id, synchsafe size of the body, flags $00 $00 (main structure §4.1), then the body.
    private static func appendFrame(_ id: String, to frames: inout [UInt8], _ parts: [[UInt8]]) {
        let body = parts.joined()
        frames += Array(id.utf8)
        frames += synchsafe(body.count)
        frames += [0, 0]
        frames += body
    }

    /// The UTF-8 of a text without NULs, cut at `maximumTextBytes` without splitting a scalar.
    private static func text(_ string: String) -> [UInt8] {
        var bytes = [UInt8]()
        for character in string.unicodeScalars where character != "\0" {
            let encoded = Array(String(character).utf8)
            guard bytes.count + encoded.count <= maximumTextBytes else { break }
            bytes += encoded
        }
        return bytes
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
