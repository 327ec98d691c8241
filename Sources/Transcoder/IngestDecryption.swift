import CallTimeline
import Capture
import SecureRTP

/// The SRTP step of pass 1 (SPEC §2.4), between the reader and the timeline: SDES keys read from every SDP body,
/// every RTP datagram unprotected, and the timeline given what it should see of each.
///
/// - authenticated: the clear packet, parsed as RTP;
/// - no key: the packet as captured (clear RTP, or SRTP whose key nobody gave: the timeline's evidence tells);
/// - authentication failed: dropped in a stream a key has decrypted (a loss, concealed in pass 2); in a stream
///   that never authenticated, the packet as captured, since the stream may be clear RTP given a key meant for
///   every stream (the timeline decides at build, from the SDP and the evidence);
/// - duplicate: dropped (the timeline would drop it too; the count is the unprotector's).
///
/// SRTCP is unprotected too (an authenticated sender report gives a sender's rollover counter), and a datagram
/// classified as neither RTP nor anything else but starting like RTP is tried as SRTP of a stream already
/// decrypted: a P bit on SRTP makes the RTP parser read the padding count from the tag. Pass 2
/// (``ReplayDecryption``) repeats the same calls for the streams it renders, so both passes reach the same
/// verdicts.
struct IngestDecryption: Sendable {
    private let unprotector: SRTPUnprotector
    /// Whether any key is known yet. Until one is, every verdict would be "no key", and the unprotector is not
    /// asked (a capture without SRTP costs nothing).
    private var hasKeys: Bool

    init(keys: SRTPKeyRing) {
        unprotector = SRTPUnprotector(keys: keys)
        hasKeys = !keys.isEmpty
    }

    /// Classifies a datagram of pass 1 and adds what it carries to `builder`.
    mutating func add(_ datagram: UDPDatagram, to builder: inout CallTimelineBuilder) {
        let kind = PayloadClassifier.classify(datagram)
        if case .sip = kind { readKeys(datagram.payload, packetNumber: datagram.packetNumber) }
        guard hasKeys else {
            builder.add(datagram, kind: kind)
            return
        }
        switch kind {
        case .rtp:
            let verdict = unprotector.unprotect(datagram)
            switch verdict {
            case .authenticated(let clear):
                addClear(clear, of: datagram, kind: kind, to: &builder)
            case .noKey:
                builder.add(datagram, kind: kind)
            case .authenticationFailed:
                if !Self.hasAuthenticated(datagram, unprotector) { builder.add(datagram, kind: kind) }
            case .duplicate:
                break
            }
        case .rtcp:
            _ = unprotector.unprotectControl(datagram)
            builder.add(datagram, kind: kind)
        case .other where Self.mayBeSRTP(datagram) && Self.hasAuthenticated(datagram, unprotector):
            if case .authenticated(let clear) = unprotector.unprotect(datagram) {
                addClear(clear, of: datagram, kind: kind, to: &builder)
            } else {
                builder.add(datagram, kind: kind)
            }
        default:
            builder.add(datagram, kind: kind)
        }
    }

    /// A SIP message reassembled from TCP: its SDP's keys, then the message to the timeline.
    mutating func add(_ message: SIPStreamMessage, to builder: inout CallTimelineBuilder) {
        readKeys(message.bytes, packetNumber: message.packetNumber)
        builder.add(message)
    }

    /// The clear packet of an authenticated datagram, as RTP; one that does not parse (a padding count no RTP
    /// packet could have) is counted as what the datagram looked like.
    private func addClear(
        _ clear: [UInt8],
        of datagram: UDPDatagram,
        kind: PayloadKind,
        to builder: inout CallTimelineBuilder
    ) {
        guard let packet = try? RTPPacket(parsing: clear) else {
            builder.countNonAudio(kind.category.rawValue)
            return
        }
        builder.add(MediaPacket(datagram: datagram, packet: packet))
    }

    /// The SDES keys of a SIP message's SDP (SPEC §2.4: each party's `a=crypto` keys the media it sends).
    private mutating func readKeys(_ bytes: [UInt8], packetNumber: Int) {
        guard let message = try? SIPMessage(parsing: bytes), let sdp = CallTimelineBuilder.sdp(of: message),
            sdp.media.contains(where: { !$0.crypto.isEmpty || !$0.cryptoProblems.isEmpty })
        else { return }
        unprotector.add(sdp: sdp, packetNumber: packetNumber)
        if !hasKeys { hasKeys = !unprotector.keys.isEmpty }
    }

    /// The end of pass 1: each stream's decryption to the timeline, unusable keys as warnings (never the key);
    /// the keys pass 2 starts from.
    func finish(into builder: inout CallTimelineBuilder) -> SRTPKeyRing {
        guard hasKeys else { return unprotector.keys }
        for statistics in unprotector.statistics where statistics.status != .noKey {
            builder.setDecryption(Self.encryption(statistics), for: statistics.stream)
        }
        let keys = unprotector.keys
        for problem in keys.problems { builder.warn("unusable SRTP key: \(problem)") }
        if keys.droppedKeys > 0 { builder.warn("\(keys.droppedKeys) SRTP keys not kept: the key ring is full") }
        for (entry, error) in unprotector.unusableKeys {
            builder.warn("SRTP key from \(entry.origin) refused: \(error.reason)")
        }
        return keys
    }

    // MARK: Shared with pass 2

    /// Whether the datagram's stream has had a packet authenticated (the unprotector knows its key).
    static func hasAuthenticated(_ datagram: UDPDatagram, _ unprotector: SRTPUnprotector) -> Bool {
        guard let key = srtpStreamKey(datagram) else { return false }
        return (unprotector.statistics(for: key)?.authenticated ?? 0) > 0
    }

    /// RFC 7983 §7: a first byte of 128–191 is RTP or RTCP; at least the 12-byte fixed header.
    static func mayBeSRTP(_ datagram: UDPDatagram) -> Bool {
        guard let first = datagram.payload.first else { return false }
        return (128...191).contains(first) && datagram.payload.count >= 12
    }

    /// The unprotector's key of the stream a datagram would belong to (the SSRC at bytes 8–11, RFC 3550 §5.1).
    static func srtpStreamKey(_ datagram: UDPDatagram) -> StreamKey? {
        let payload = datagram.payload
        guard payload.count >= 12 else { return nil }
        let ssrc = UInt32(payload[8]) << 24 | UInt32(payload[9]) << 16 | UInt32(payload[10]) << 8 | UInt32(payload[11])
        return StreamKey(source: datagram.source, destination: datagram.destination, ssrc: ssrc)
    }

    /// The unprotector's figures for a stream, in the timeline's terms (no key material).
    static func encryption(_ statistics: SRTPStreamStatistics) -> StreamEncryption {
        let status: StreamEncryption.Status =
            switch statistics.status {
            case .decrypted: .decrypted
            case .noKeyAuthenticates: .keysFailed
            case .noKey: .noKey
            }
        let origin: StreamEncryption.KeyOrigin? =
            switch statistics.keyOrigin {
            case .sdp: .sdp
            case .option: .option
            case .keyFile: .keyFile
            case nil: nil
            }
        return StreamEncryption(
            status: status,
            suite: statistics.suite,
            keyOrigin: origin,
            keySource: statistics.keyOrigin?.description,
            authenticated: statistics.authenticated,
            authenticationFailures: statistics.authenticationFailures,
            duplicates: statistics.duplicates,
            initialRolloverCounter: statistics.initialRolloverCounter,
            keyChanges: statistics.keyChanges
        )
    }
}
