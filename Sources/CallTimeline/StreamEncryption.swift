public import Capture

/// What SRTP decryption made of one stream in pass 1 (SPEC §2.4), as the pipeline that holds the keys tells the
/// timeline (`CallTimelineBuilder.setDecryption(_:for:)`): whether a key authenticated its packets, the suite and
/// where the key came from, and the counts the report shows. Never a key.
public struct StreamEncryption: Sendable, Hashable {
    /// Whether a key decrypted the stream.
    public enum Status: String, Sendable, Hashable, CustomStringConvertible {
        /// At least one packet authenticated: the stream is recorded from its decrypted packets, and its packets
        /// that failed authentication are concealed like losses.
        case decrypted
        /// Keys were tried on the stream and none authenticated any of its packets: a wrong key (or clear RTP
        /// given a key it does not use).
        case keysFailed = "keys failed"
        /// No key was known for the stream.
        case noKey = "no key"

        public var description: String { rawValue }
    }

    /// Where a key came from, as the report says it (SPEC §2.4).
    public enum KeyOrigin: String, Sendable, Hashable, CustomStringConvertible {
        /// An `a=crypto` line of an SDP body in the capture.
        case sdp
        /// `--srtp-key`.
        case option
        /// A key file: `--srtp-keys`, or the Lambda function's key object.
        case keyFile = "key file"

        public var description: String { rawValue }
    }

    public var status: Status
    /// The suite of the key in use (the last one after a re-key).
    public var suite: SRTPSuite?
    public var keyOrigin: KeyOrigin?
    /// The key's origin in words: `the SDP (packet 12, a=crypto tag 1)`, `--srtp-key #1`, `keys.json entry 2`.
    public var keySource: String?
    /// Packets authenticated and decrypted.
    public var authenticated: Int
    /// Packets no key authenticated: corrupted (concealed like losses), or all of them when the keys are wrong.
    public var authenticationFailures: Int
    /// Packets dropped as copies of authenticated ones.
    public var duplicates: Int
    /// The rollover counter of the first authenticated packet (1 or more when the capture starts after the
    /// sender's sequence number wrapped).
    public var initialRolloverCounter: UInt32?
    /// How many times the stream moved to another key (re-keying by re-INVITE).
    public var keyChanges: Int

    public init(
        status: Status,
        suite: SRTPSuite? = nil,
        keyOrigin: KeyOrigin? = nil,
        keySource: String? = nil,
        authenticated: Int = 0,
        authenticationFailures: Int = 0,
        duplicates: Int = 0,
        initialRolloverCounter: UInt32? = nil,
        keyChanges: Int = 0
    ) {
        self.status = status
        self.suite = suite
        self.keyOrigin = keyOrigin
        self.keySource = keySource
        self.authenticated = authenticated
        self.authenticationFailures = authenticationFailures
        self.duplicates = duplicates
        self.initialRolloverCounter = initialRolloverCounter
        self.keyChanges = keyChanges
    }
}

/// Why a stream is skipped as encrypted media (SPEC §2.4): what showed it is encrypted and, when keys were tried
/// on it, that none authenticates its packets. Encrypted media is never decoded as if it were clear.
public struct EncryptedMedia: Sendable, Hashable, CustomStringConvertible {
    /// What was seen (at most a few items, strongest first).
    public var evidence: [EncryptionEvidence]
    /// Packets that failed SRTP authentication with every key tried: all of the stream's, since none decrypted
    /// it. 0 when no key was known for the stream.
    public var failedPackets: Int

    public init(evidence: [EncryptionEvidence], failedPackets: Int = 0) {
        self.evidence = evidence
        self.failedPackets = failedPackets
    }

    /// A key was tried on the stream and authenticated nothing: a wrong key, a clear error rather than noise.
    public var isWrongKey: Bool { failedPackets > 0 }

    /// How the stream's keys were agreed, as far as the evidence tells (DTLS-SRTP and ZRTP keys never appear in a
    /// capture, so only an endpoint that logged them could give them).
    public var keyExchange: SRTPKeyExchange {
        let exchanges = evidence.map(\.keyExchange)
        for exchange in [SRTPKeyExchange.dtls, .zrtp, .sdes] where exchanges.contains(exchange) { return exchange }
        return .unknown
    }

    /// `encrypted media, no key: the SDP announces RTP/SAVP with SDES a=crypto (AES_CM_128_HMAC_SHA1_80)`, or
    /// `encrypted media: no key given authenticates its packets (1200 failed SRTP authentication): a wrong key`.
    public var description: String {
        var text =
            isWrongKey
            ? "encrypted media: no key given authenticates its packets (\(failedPackets) failed SRTP "
                + "authentication): a wrong key"
            : "encrypted media, no key"
        if !evidence.isEmpty {
            text += (isWrongKey ? "; " : ": ") + evidence.map(\.description).joined(separator: "; ")
        }
        switch keyExchange {
        case .dtls: text += " (DTLS-SRTP keys are agreed in the DTLS handshake and never appear in a capture)"
        case .zrtp: text += " (ZRTP keys are agreed on the media path and never appear in a capture)"
        case .sdes, .unknown: break
        }
        return text
    }
}
