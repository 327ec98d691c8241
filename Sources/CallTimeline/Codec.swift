/// What a payload type carries, once resolved (SPEC §2.3).
public enum Codec: Hashable, Sendable, CustomStringConvertible {
    case pcmu
    case pcma
    case g722
    /// RFC 3389 comfort noise.
    case comfortNoise
    /// RFC 4733 telephone events (DTMF).
    case telephoneEvent
    /// A codec we recognise by name but do not decode (G.729, Opus, …).
    case unsupported(name: String)
    /// A payload type with no mapping (dynamic, not in SDP nor given by the user).
    case unknown

    /// The RTP clock rate (RFC 3551 §4.5.2: G.722's RTP clock is 8000 Hz although it samples at 16 kHz).
    public var rtpClockRate: Int {
        switch self {
        case .pcmu, .pcma, .g722, .comfortNoise, .telephoneEvent, .unsupported, .unknown: return 8000
        }
    }

    /// The audio sample rate the decoder produces.
    public var sampleRate: Int {
        self == .g722 ? 16000 : 8000
    }

    /// Decoded samples per RTP timestamp unit.
    public var samplesPerTick: Int { sampleRate / rtpClockRate }

    /// True for codecs whose payloads become audio samples.
    public var isAudio: Bool {
        switch self {
        case .pcmu, .pcma, .g722: return true
        default: return false
        }
    }

    /// Decoded samples in a payload of `count` bytes.
    public func sampleCount(payloadBytes count: Int) -> Int {
        switch self {
        case .pcmu, .pcma: return count
        case .g722: return count * 2
        default: return 0
        }
    }

    /// The name used in SDP and in reports.
    public var description: String {
        switch self {
        case .pcmu: return "PCMU"
        case .pcma: return "PCMA"
        case .g722: return "G722"
        case .comfortNoise: return "CN"
        case .telephoneEvent: return "telephone-event"
        case .unsupported(let name): return name
        case .unknown: return "unknown"
        }
    }

    /// The codec of an SDP `a=rtpmap` encoding name (case-insensitive, RFC 4566 §6).
    public init(encodingName: String) {
        switch encodingName.uppercased() {
        case "PCMU", "G711U", "G711-U": self = .pcmu
        case "PCMA", "G711A", "G711-A": self = .pcma
        case "G722": self = .g722
        case "CN": self = .comfortNoise
        case "TELEPHONE-EVENT": self = .telephoneEvent
        default: self = .unsupported(name: encodingName)
        }
    }

    /// The RFC 3551 static payload types this product knows, and the names of the others for clear reasons.
    public static func staticPayloadType(_ payloadType: UInt8) -> Codec {
        switch payloadType {
        case 0: return .pcmu
        case 8: return .pcma
        case 9: return .g722
        case 13: return .comfortNoise
        case 3: return .unsupported(name: "GSM")
        case 4: return .unsupported(name: "G723")
        case 5, 6, 16, 17: return .unsupported(name: "DVI4")
        case 7: return .unsupported(name: "LPC")
        case 10, 11: return .unsupported(name: "L16")
        case 12: return .unsupported(name: "QCELP")
        case 14: return .unsupported(name: "MPA")
        case 15: return .unsupported(name: "G728")
        case 18: return .unsupported(name: "G729")
        default: return .unknown
        }
    }
}
