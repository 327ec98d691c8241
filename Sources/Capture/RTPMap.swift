/// An `a=rtpmap` entry (RFC 8866 §6.6): `PT encoding/clock[/channels]`.
public struct RTPMap: Sendable, Hashable {
    public var payloadType: UInt8
    /// As written (`PCMU`, `telephone-event`, `G722`); compare case-insensitively.
    public var encodingName: String
    /// The RTP clock rate (8000 for G.722 too, RFC 3551 §4.5.2).
    public var clockRate: Int
    public var channels: Int

    public init(payloadType: UInt8, encodingName: String, clockRate: Int, channels: Int = 1) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }
}

extension RTPMap {
    /// RFC 3551 Table 4 static audio payload types.
    public static func staticPayloadType(_ payloadType: UInt8) -> RTPMap? {
        let table: [UInt8: (String, Int)] = [
            0: ("PCMU", 8000), 3: ("GSM", 8000), 4: ("G723", 8000), 5: ("DVI4", 8000), 6: ("DVI4", 16000),
            7: ("LPC", 8000), 8: ("PCMA", 8000), 9: ("G722", 8000), 10: ("L16", 44100), 11: ("L16", 44100),
            12: ("QCELP", 8000), 13: ("CN", 8000), 14: ("MPA", 90000), 15: ("G728", 8000), 16: ("DVI4", 11025),
            17: ("DVI4", 22050), 18: ("G729", 8000),
        ]
        guard let (name, clock) = table[payloadType] else { return nil }
        return RTPMap(
            payloadType: payloadType,
            encodingName: name,
            clockRate: clock,
            channels: payloadType == 10 ? 2 : 1
        )
    }
}
