/// An RFC 4733 §2.3 telephone-event payload: one DTMF (or other) event report.
public struct TelephoneEvent: Sendable, Hashable {
    /// The event code (RFC 4733 §3.2: 0–9 digits, 10 `*`, 11 `#`, 12–15 A–D, 16 flash).
    public var event: UInt8
    /// The E bit: this packet reports the end of the event (senders repeat it, usually three times).
    public var isEnd: Bool
    /// Power level in −dBm0 (0–63); 0 for events without a level.
    public var volume: UInt8
    /// Duration so far, in RTP timestamp units from the event's RTP timestamp.
    public var duration: UInt16

    public init(event: UInt8, isEnd: Bool, volume: UInt8, duration: UInt16) {
        self.event = event
        self.isEnd = isEnd
        self.volume = volume
        self.duration = duration
    }

    /// Parses the first 4-byte event block of an RTP payload.
    public init(parsing payload: some Collection<UInt8>) throws(CaptureError) {
        let bytes = Array(payload.prefix(4))
        guard bytes.count == 4 else {
            throw CaptureError(.malformedPayload, expected: "a 4-byte telephone-event", found: "\(payload.count) bytes")
        }
        event = bytes[0]
        isEnd = bytes[1] & 0x80 != 0
        volume = bytes[1] & 0x3F
        duration = bytes.be16(2)
    }

    /// Whether a payload has the shape of RFC 4733 events, for streams whose payload type no SDP describes:
    /// 4 bytes per event (several events may share a packet, RFC 4733 §2.5.1.5), the reserved R bit clear,
    /// and event codes of the DTMF/line-event tables (0–16, 32–63 fax/modem tones, 64–95 line events,
    /// RFC 4734 §3). Audio frames of 160+ bytes never pass; a 4-byte audio frame rarely does.
    public static func isPlausible(_ payload: some Collection<UInt8>) -> Bool {
        let bytes = Array(payload)
        guard !bytes.isEmpty, bytes.count % 4 == 0, bytes.count <= 16 else { return false }
        for start in stride(from: 0, to: bytes.count, by: 4) {
            guard bytes[start + 1] & 0x40 == 0, bytes[start] <= 16 || (32...95).contains(bytes[start]) else {
                return false
            }
        }
        return true
    }

    /// The DTMF symbol for events 0–16 (`0`–`9`, `*`, `#`, `A`–`D`, and `!` for flash), else nil.
    public var symbol: Character? {
        switch event {
        case 0...9: Character(Unicode.Scalar(UInt8(ascii: "0") + event))
        case 10: "*"
        case 11: "#"
        case 12...15: Character(Unicode.Scalar(UInt8(ascii: "A") + event - 12))
        case 16: "!"
        default: nil
        }
    }
}
