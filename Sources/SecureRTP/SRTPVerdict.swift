public import CallTimeline
public import Capture

/// What the unprotector made of one SRTP (or SRTCP) packet.
public enum SRTPVerdict: Sendable, Hashable, CustomStringConvertible {
    /// Authenticated and decrypted: the clear RTP (or RTCP) packet, header included, tag and MKI removed (padding,
    /// when the P bit is set, is still there for the RTP parser to remove).
    case authenticated([UInt8])
    /// A packet index already authenticated (a network or capture duplicate): drop it, it is no loss.
    case duplicate
    /// No key of the stream authenticates the packet: conceal it like a loss. When it happens to every packet of
    /// a stream, its keys are wrong (``SRTPStreamStatistics/status``).
    case authenticationFailed
    /// No key is known for the stream (yet): the packet may be clear RTP, or SRTP whose keys were not given.
    case noKey

    public var description: String {
        switch self {
        case .authenticated(let packet): "authenticated (\(packet.count) bytes)"
        case .duplicate: "duplicate"
        case .authenticationFailed: "authentication failed"
        case .noKey: "no key"
        }
    }
}

/// One stream's SRTP figures, for the report (SPEC §2.4: encrypted or not, suite, where the key came from, how
/// many packets failed authentication).
public struct SRTPStreamStatistics: Sendable, Hashable {
    public var stream: StreamKey
    /// Packets authenticated and decrypted.
    public var authenticated = 0
    /// Packets no key authenticated (corrupted, or the keys are wrong).
    public var authenticationFailures = 0
    /// Packets dropped as duplicates of authenticated ones.
    public var duplicates = 0
    /// Packets seen while no key was known for the stream.
    public var withoutKey = 0
    /// The suite and origin of the key in use (the last one after a re-key).
    public var suite: SRTPSuite?
    public var keyOrigin: SRTPKeyOrigin?
    /// The rollover counter of the first authenticated packet (non-zero when the capture starts after the
    /// sender's sequence number wrapped).
    public var initialRolloverCounter: UInt32?
    /// How many times the stream moved to another key (re-keying by re-INVITE).
    public var keyChanges = 0
    /// How many times the rollover counter had to be found again for the same key (a gap of more than 2^15
    /// packets).
    public var resynchronizations = 0
    /// SRTCP packets of this sender authenticated, and refused: an authenticated SRTCP report confirms the key.
    public var controlAuthenticated = 0
    public var controlFailures = 0

    public init(stream: StreamKey) {
        self.stream = stream
    }

    public var status: SRTPStreamStatus {
        if authenticated > 0 { return .decrypted }
        if authenticationFailures > 0 { return .noKeyAuthenticates }
        return .noKey
    }
}

/// Whether a stream's media could be decrypted.
public enum SRTPStreamStatus: String, Sendable, Hashable, CustomStringConvertible {
    /// At least one packet authenticated.
    case decrypted
    /// Keys were tried and none authenticated any packet: wrong keys (or clear RTP given keys it does not use).
    case noKeyAuthenticates
    /// No key was known for the stream.
    case noKey

    public var description: String {
        switch self {
        case .decrypted: "decrypted"
        case .noKeyAuthenticates: "no key authenticates its packets"
        case .noKey: "no key"
        }
    }
}
