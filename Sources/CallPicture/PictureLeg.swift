/// One lane of the picture: a leg of the call, as the picture names it.
public struct PictureLeg: Sendable, Equatable {
    /// `A` or `B`.
    public var label: String
    /// Who the leg is (`caller`, `callee`, or an address), shown under the label.
    public var role: String
    /// The rate of the samples given to ``PictureBuilder/append(samples:leg:)`` for this leg, Hz.
    public var sampleRate: Int

    public init(label: String, role: String, sampleRate: Int) {
        self.label = label
        self.role = role
        self.sampleRate = sampleRate
    }
}

/// What filled an interval of a leg that no received packet covered (the report's gap kinds, SPEC §3.5).
public enum IntervalKind: Int, Sendable, CaseIterable {
    /// Lost packets over a gap too long to conceal: silence where audio was sent.
    case lost
    /// Lost packets concealed by waveform substitution (or the codec's own concealment).
    case concealed
    /// RFC 3389 comfort noise.
    case comfortNoise
    /// The sender sent nothing on purpose (silence suppression, a pause between segments).
    case silence

    var bit: UInt8 { 1 << UInt8(rawValue) }

    /// The legend's words.
    var title: String {
        switch self {
        case .lost: return "lost"
        case .concealed: return "concealed"
        case .comfortNoise: return "comfort noise"
        case .silence: return "silence"
        }
    }
}

/// What changed where a new segment of a leg starts (SPEC §3.2).
public enum ChangeKind: Sendable {
    /// A new SSRC: another sender, or the same one restarted.
    case ssrc
    /// A new codec (re-INVITE, or a new payload type in the same stream).
    case codec
    /// Anything else the report names (a re-anchor after a timestamp jump).
    case other
}

/// The header of the picture: what the call is, when it started, and how each leg scored.
public struct PictureHeader: Sendable, Equatable {
    /// The call's name: the SIP Call-ID, or the capture's name.
    public var title: String
    /// Capture time of the call's first sample, nanoseconds since the Unix epoch (shown in UTC); nil when unknown.
    public var startNanoseconds: Int64?
    /// Per leg, in the order of the lanes.
    public var legs: [LegSummary]
    /// A line of free text under the title (the capture's name, the channel map's reason), or empty.
    public var note: String

    public init(title: String, startNanoseconds: Int64?, legs: [LegSummary], note: String = "") {
        self.title = title
        self.startNanoseconds = startNanoseconds
        self.legs = legs
        self.note = note
    }

    /// What the header and the lane label say of one leg.
    public struct LegSummary: Sendable, Equatable {
        /// The codecs, as the report names them (`PCMU`, `G722, PCMU`).
        public var codecs: String
        /// The leg's MOS and R (``CallQuality/QualityEstimate``), when estimated.
        public var mos: Double?
        public var rFactor: Double?
        /// Packets missing to the listener, percent, when known.
        public var lossPercent: Double?

        public init(codecs: String, mos: Double? = nil, rFactor: Double? = nil, lossPercent: Double? = nil) {
            self.codecs = codecs
            self.mos = mos
            self.rFactor = rFactor
            self.lossPercent = lossPercent
        }
    }
}
