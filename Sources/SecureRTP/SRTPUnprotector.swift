public import CallTimeline
public import Capture
import Synchronization

/// Turns the SRTP and SRTCP packets of a capture back into clear RTP and RTCP (SPEC §2.4), one pass at a time.
///
/// Each pass of the pipeline makes its own unprotector and gives it every RTP datagram in capture order; the
/// verdicts depend only on those calls, so both passes reach the same ones. Keys are looked up per stream (5-tuple
/// and SSRC) among those known at the packet's capture record (``SRTPKeyRing``): pass 1 adds SDP keys as it reads
/// the SIP messages that carry them; pass 2 can be given pass 1's ring, whose keys keep the record they became
/// known at.
///
/// For a stream's first packets every candidate key is tried at rollover counters 0 to 3 and around any estimate
/// (SRTCP sender report, earlier key), against the authentication tag. Once one authenticates, its context keeps
/// the stream; when it stops authenticating (re-keying by re-INVITE, a long gap), the other candidates and the
/// neighbouring rollover counters are tried. Duplicates of authenticated packets are reported as such before
/// libsrtp's replay check sees them.
///
/// ```swift
/// let unprotector = SRTPUnprotector(keys: optionKeys)
/// unprotector.add(sdp: session, packetNumber: datagram.packetNumber)       // pass 1, for every SDP body
/// switch unprotector.unprotect(datagram) {                                  // every RTP datagram
/// case .authenticated(let clear): …                                          // parse `clear` as RTP
/// case .duplicate, .authenticationFailed: …                                  // drop; a failure is a loss
/// case .noKey: …                                                             // clear RTP, or SRTP without keys
/// }
/// ```
///
/// Thread-safe (one lock); meant for one pass on one thread.
public final class SRTPUnprotector: Sendable {
    private let core: Mutex<SRTPUnprotectorCore>

    /// An unprotector with the keys known before the capture is read (options, key file), or pass 1's ring.
    public init(keys: SRTPKeyRing = SRTPKeyRing()) {
        core = Mutex(SRTPUnprotectorCore(ring: keys))
    }

    /// Adds a key (an option or key file entry given late, or a key found by other means).
    public func add(_ entry: SRTPKeyEntry) {
        core.withLock { $0.ring.add(entry) }
    }

    /// Adds the SDES keys of an SDP body read at capture record `packetNumber`.
    public func add(sdp: SDPSession, packetNumber: Int) {
        core.withLock { $0.ring.add(sdp: sdp, packetNumber: packetNumber) }
    }

    /// Every key known so far (pass 1's ring is what pass 2 starts from).
    public var keys: SRTPKeyRing {
        core.withLock { $0.ring }
    }

    /// Unprotects one RTP datagram of the capture (SPEC §2.4).
    public func unprotect(_ datagram: UDPDatagram) -> SRTPVerdict {
        core.withLock { $0.unprotect(datagram) }
    }

    /// Unprotects one RTCP datagram (SRTCP, RFC 3711 §3.4): not audio, but an authenticated sender report shows
    /// the key is right and gives the sender's rollover counter.
    public func unprotectControl(_ datagram: UDPDatagram) -> SRTPVerdict {
        core.withLock { $0.unprotectControl(datagram) }
    }

    /// The figures of every stream seen, in stream order.
    public var statistics: [SRTPStreamStatistics] {
        core.withLock { core in core.streams.values.map(\.statistics).sorted { $0.stream < $1.stream } }
    }

    /// The figures of one stream, if it was seen.
    public func statistics(for stream: StreamKey) -> SRTPStreamStatistics? {
        core.withLock { $0.streams[stream]?.statistics }
    }

    /// Keys libsrtp2 refused (a suite this build lacks, a session parameter it cannot honour), with the reason.
    public var unusableKeys: [(key: SRTPKeyEntry, error: SRTPError)] {
        core.withLock { core in
            core.unusable.sorted { $0.key < $1.key }.map { (core.ring.entries[$0.key], $0.value) }
        }
    }

    /// SRTCP packets whose RTP stream was not seen: how many authenticated, how many did not.
    public var unmatchedControl: (authenticated: Int, failed: Int) {
        core.withLock { $0.unmatchedControl }
    }
}
