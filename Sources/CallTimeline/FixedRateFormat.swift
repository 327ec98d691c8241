/// A codec whose payload length follows from the RTP timestamp step: so many bytes per so many clock ticks
/// (RFC 3551 §4.5). What `TagLengthTally` measures SRTP tags against.
public struct FixedRateFormat: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var bytesPerFrame: Int
    public var ticksPerFrame: Int

    public init(name: String, bytesPerFrame: Int, ticksPerFrame: Int) {
        self.name = name
        self.bytesPerFrame = bytesPerFrame
        self.ticksPerFrame = ticksPerFrame
    }

    public var description: String { name }

    /// The payload length of `ticks` clock ticks of audio, or nil when that is not a whole number of frames.
    public func expectedBytes(ticks: Int) -> Int? {
        guard ticks > 0, ticks % ticksPerFrame == 0 else { return nil }
        return ticks / ticksPerFrame * bytesPerFrame
    }

    /// The fixed-rate format of an SDP encoding name (case-insensitive), or nil for variable-rate codecs (AMR,
    /// Opus, Speex, iLBC whose mode the step cannot tell, DVI4 with its per-packet header, G.723.1 with two rates).
    ///
    /// RFC 3551: PCMU/PCMA 1 byte per sample (§4.5.14); G722 64 kbit/s on an 8000 Hz clock, 1 byte per tick
    /// (§4.5.2); G726-16/24/32/40 2–5 bits per sample (§4.5.4; AAL2 packing has the same rate); G728 5 bytes per
    /// 2.5 ms (§4.5.7); G729 10 bytes per 10 ms, G729D 8, G729E 15 (§4.5.6); GSM 33 bytes per 20 ms (§4.5.8);
    /// L8 and L16 1 and 2 bytes per sample and channel (§4.5.10, §4.5.11).
    public init?(encodingName: String, channels: Int = 1) {
        let name = encodingName.uppercased()
        let channels = max(1, channels)
        switch name {
        case "PCMU", "PCMA", "G722": self.init(name: name, bytesPerFrame: 1, ticksPerFrame: 1)
        case "G726-16", "AAL2-G726-16": self.init(name: name, bytesPerFrame: 1, ticksPerFrame: 4)
        case "G726-24", "AAL2-G726-24": self.init(name: name, bytesPerFrame: 3, ticksPerFrame: 8)
        case "G726-32", "AAL2-G726-32", "G721": self.init(name: name, bytesPerFrame: 1, ticksPerFrame: 2)
        case "G726-40", "AAL2-G726-40": self.init(name: name, bytesPerFrame: 5, ticksPerFrame: 8)
        case "G728": self.init(name: name, bytesPerFrame: 5, ticksPerFrame: 20)
        case "G729": self.init(name: name, bytesPerFrame: 10, ticksPerFrame: 80)
        case "G729D": self.init(name: name, bytesPerFrame: 8, ticksPerFrame: 80)
        case "G729E": self.init(name: name, bytesPerFrame: 15, ticksPerFrame: 80)
        case "GSM": self.init(name: name, bytesPerFrame: 33, ticksPerFrame: 160)
        case "L8": self.init(name: name, bytesPerFrame: channels, ticksPerFrame: 1)
        case "L16": self.init(name: name, bytesPerFrame: 2 * channels, ticksPerFrame: 1)
        default: return nil
        }
    }
}

/// The two G.711 companding laws (ITU-T G.711 Tables 1a and 2a).
public enum G711Law: Sendable, Hashable {
    case muLaw
    case aLaw

    /// PCMU is µ-law, PCMA A-law (RFC 3551 §4.5.14); nil for other names.
    public init?(encodingName: String) {
        switch encodingName.uppercased() {
        case "PCMU": self = .muLaw
        case "PCMA": self = .aLaw
        default: return nil
        }
    }
}
