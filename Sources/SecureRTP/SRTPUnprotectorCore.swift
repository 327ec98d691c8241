import CallTimeline
import Capture

/// The work behind `SRTPUnprotector`, run under its lock: per-stream state, candidate keys, trials against the
/// authentication tag. Deterministic: the same calls in the same order give the same verdicts, which is what lets
/// pass 1 and pass 2 of the pipeline decide alike.
final class SRTPUnprotectorCore {
    var ring: SRTPKeyRing
    var streams: [StreamKey: SRTPStreamState] = [:]
    /// The streams of each SSRC, to find the RTP stream an SRTCP packet belongs to.
    private var streamsBySSRC: [UInt32: [StreamKey]] = [:]
    /// Rollover counters estimated from authenticated SRTCP sender reports, by SSRC.
    private var rolloverHints: [UInt32: UInt32] = [:]
    /// Ring entries libsrtp2 refused, and why (each is tried once).
    var unusable: [Int: SRTPError] = [:]
    /// Spare contexts held by all streams, and the most there may be.
    private var spareCount = 0
    static let spareLimit = 256
    /// SRTCP packets of no known RTP stream.
    var unmatchedControl = (authenticated: 0, failed: 0)
    /// A packet's bytes go here to be unprotected in place: aligned, with room for libsrtp's trailer.
    private let scratch: UnsafeMutableRawBufferPointer

    init(ring: SRTPKeyRing) {
        self.ring = ring
        scratch = .allocate(byteCount: 65_536 + SRTPSession.trailerRoom, alignment: 16)
        scratch.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        SRTPMasterKey.wipe(scratch)
        scratch.deallocate()
    }

    // MARK: SRTP

    func unprotect(_ datagram: UDPDatagram) -> SRTPVerdict {
        let payload = datagram.payload
        // RFC 3550 §5.1: version 2 and the 12-byte fixed header, or it cannot be SRTP at all.
        guard payload.count >= 12, payload[0] >> 6 == 2 else { return .authenticationFailed }
        let ssrc = UInt32(payload[8]) << 24 | UInt32(payload[9]) << 16 | UInt32(payload[10]) << 8 | UInt32(payload[11])
        let sequence = UInt16(payload[2]) << 8 | UInt16(payload[3])
        let state = stream(StreamKey(source: datagram.source, destination: datagram.destination, ssrc: ssrc))
        if let active = state.active, let window = state.window {
            let index = window.estimate(sequence: sequence)
            if window.contains(index) {
                state.statistics.duplicates += 1
                return .duplicate
            }
            let (status, clear) = attempt(active.session, payload, control: false)
            if let clear {
                state.accept(index)
                return .authenticated(clear)
            }
            if status == .replay {
                state.statistics.duplicates += 1
                return .duplicate
            }
            if let clear = recover(state, payload, sequence: sequence, packetNumber: datagram.packetNumber) {
                return .authenticated(clear)
            }
        } else {
            let candidates = self.candidates(state, packetNumber: datagram.packetNumber)
            if candidates.isEmpty {
                state.statistics.withoutKey += 1
                return .noKey
            }
            if let clear = probe(state, payload, sequence: sequence, candidates: candidates) {
                return .authenticated(clear)
            }
        }
        state.statistics.authenticationFailures += 1
        state.consecutiveFailures += 1
        // A stream whose keys keep failing gives its spare contexts back (a flood of SSRCs stays small).
        if state.consecutiveFailures == SRTPStreamState.patience { releaseSpares(state) }
        return .authenticationFailed
    }

    /// A stream without a working context: every candidate key at every plausible rollover counter (SPEC §2.4: a
    /// capture that starts mid-stream), until one authenticates the packet.
    private func probe(_ state: SRTPStreamState, _ payload: [UInt8], sequence: UInt16, candidates: [Int]) -> [UInt8]? {
        guard state.shouldAttempt(candidates) else { return nil }
        let rollovers = rolloverCandidates(state, sequence: sequence)
        for entry in candidates {
            // RFC 4568 §6.3.4: without a tag nothing tells a right key from a wrong one, so an unauthenticated key
            // is used only as the first candidate of a stream it names by source or SSRC (and its rollover counter
            // cannot be searched: the first guess is taken).
            let key = ring.entries[entry]
            let authenticated = key.material.authenticatesMedia
            let named = key.scope.source == state.key.source || key.scope.ssrc == state.key.ssrc
            guard authenticated || (entry == candidates.first && named) else { continue }
            guard let session = spare(state, entry) else { continue }
            for rollover in authenticated ? rollovers : [rollovers[0]] {
                guard let clear = trial(session, payload, rollover: rollover) else { continue }
                consume(state, entry)
                state.active = SRTPStreamState.Context(session: session, entry: entry)
                note(state, entry: entry)
                if state.statistics.initialRolloverCounter == nil { state.statistics.initialRolloverCounter = rollover }
                state.accept(UInt64(rollover) << 16 | UInt64(sequence))
                return clear
            }
        }
        return nil
    }

    /// The working context refused a packet: the context before the last key change (a packet reordered across
    /// it), then other keys (a re-key), then the same key at a neighbouring rollover counter (a gap of more than
    /// 32,768 packets, or a packet later than the replay window).
    private func recover(_ state: SRTPStreamState, _ payload: [UInt8], sequence: UInt16, packetNumber: Int) -> [UInt8]?
    {
        guard let active = state.active, let window = state.window else { return nil }
        let index = window.estimate(sequence: sequence)
        if let previous = state.previous, let clear = attempt(previous.session, payload, control: false).clear {
            state.accept(index)
            return clear
        }
        let candidates = self.candidates(state, packetNumber: packetNumber)
        guard state.shouldAttempt(candidates) else { return nil }
        let estimate = window.estimatedRolloverCounter(sequence: sequence)
        let rollovers = [estimate, estimate &+ 1] + (estimate > 0 ? [estimate - 1] : [])
        for entry in candidates.filter({ $0 != active.entry }) + [active.entry] {
            guard let session = spare(state, entry) else { continue }
            for rollover in rollovers {
                guard let clear = trial(session, payload, rollover: rollover) else { continue }
                consume(state, entry)
                let found = UInt64(rollover) << 16 | UInt64(sequence)
                // An old packet of the same key (beyond the replay window) is decrypted, not made the context.
                if entry != active.entry || found > window.highest {
                    if entry != active.entry {
                        state.statistics.keyChanges += 1
                    } else {
                        state.statistics.resynchronizations += 1
                    }
                    state.previous = active
                    state.active = SRTPStreamState.Context(session: session, entry: entry)
                    note(state, entry: entry)
                }
                state.accept(found)
                return clear
            }
        }
        return nil
    }

    /// Unprotects a copy of `payload` with the rollover counter set to `rollover`; the clear packet when it
    /// authenticates. The pending counter is cleared after a success so that later packets follow libsrtp's own
    /// estimate whatever its code path (some libsrtp releases leave it set on the AEAD path; clearing it twice is
    /// harmless).
    private func trial(_ session: SRTPSession, _ payload: [UInt8], rollover: UInt32) -> [UInt8]? {
        session.setRolloverCounter(rollover)
        guard let clear = attempt(session, payload, control: false).clear else { return nil }
        session.setRolloverCounter(0)
        return clear
    }

    /// Unprotects a copy of `payload` (SRTP or SRTCP); the status, and the clear packet when it authenticated.
    func attempt(
        _ session: SRTPSession,
        _ payload: [UInt8],
        control: Bool
    ) -> (status: SRTPSession.Status, clear: [UInt8]?) {
        guard payload.count <= 65_536, let base = scratch.baseAddress else { return (.failed(-1), nil) }
        UnsafeMutableRawBufferPointer(rebasing: scratch[0..<payload.count]).copyBytes(from: payload)
        let status =
            control
            ? session.unprotectControl(base, length: payload.count) : session.unprotect(base, length: payload.count)
        guard case .ok(let length) = status, length >= 0, length <= payload.count else { return (status, nil) }
        return (status, Array(UnsafeRawBufferPointer(rebasing: scratch[0..<length])))
    }

    // MARK: Keys and streams

    func stream(_ key: StreamKey) -> SRTPStreamState {
        if let state = streams[key] { return state }
        let state = SRTPStreamState(key: key)
        streams[key] = state
        streamsBySSRC[key.ssrc, default: []].append(key)
        return state
    }

    /// The ring's candidates for a stream at a capture record, recomputed only when keys were added or a key
    /// becomes known.
    func candidates(_ state: SRTPStreamState, packetNumber: Int) -> [Int] {
        if state.candidatesRingCount != ring.entries.count || packetNumber >= state.candidatesValidBefore {
            state.candidates = ring.candidates(for: state.key, at: packetNumber).filter { unusable[$0] == nil }
            state.candidatesRingCount = ring.entries.count
            state.candidatesValidBefore = ring.nextKnownFrom(after: packetNumber) ?? .max
        }
        return state.candidates
    }

    /// A context of `entry` for the stream that has authenticated nothing yet, so a failed trial leaves it as it
    /// was and it can serve the next trial: making one costs libsrtp2 (on NSS) milliseconds (7 ms measured on the
    /// loaded build machine), a failing trial microseconds (9 µs). Kept per stream (at most 4) and overall (at most 256); beyond that, made per trial.
    private func spare(_ state: SRTPStreamState, _ entry: Int) -> SRTPSession? {
        if let spare = state.spares[entry] { return spare }
        guard let made = session(entry, ssrc: state.key.ssrc) else { return nil }
        if spareCount < Self.spareLimit, state.spares.count < 4 {
            state.spares[entry] = made
            spareCount += 1
        }
        return made
    }

    /// The spare of `entry` authenticated a packet: it is a context in use now, no longer a spare.
    private func consume(_ state: SRTPStreamState, _ entry: Int) {
        if state.spares.removeValue(forKey: entry) != nil { spareCount -= 1 }
    }

    private func releaseSpares(_ state: SRTPStreamState) {
        spareCount -= state.spares.count
        state.spares.removeAll()
    }

    /// A fresh libsrtp2 context for a ring entry and an SSRC; nil (and the entry marked unusable) when libsrtp2
    /// refuses it.
    func session(_ entry: Int, ssrc: UInt32) -> SRTPSession? {
        guard unusable[entry] == nil else { return nil }
        let key = ring.entries[entry]
        do {
            return try SRTPSession(material: key.material, ssrc: ssrc, source: "\(key.origin)")
        } catch {
            unusable[entry] = error
            return nil
        }
    }

    /// The report's suite and key origin follow the key in use.
    private func note(_ state: SRTPStreamState, entry: Int) {
        state.statistics.suite = ring.entries[entry].suite
        state.statistics.keyOrigin = ring.entries[entry].origin
    }

    /// Rollover counters to try on a stream's first packet: around the stream's own estimate (after a key
    /// change) and an SRTCP sender report's, then 0 to 7 (a sender starts at a random sequence number, so a
    /// capture that starts less than about 21 minutes into its stream finds 0 or 1; 7 reaches two and a half
    /// hours at 50 packets a second; beyond that an authenticated SRTCP sender report gives the estimate).
    private func rolloverCandidates(_ state: SRTPStreamState, sequence: UInt16) -> [UInt32] {
        var list: [UInt32] = []
        for estimate in [state.window?.estimatedRolloverCounter(sequence: sequence), rolloverHints[state.key.ssrc]] {
            guard let estimate else { continue }
            list += [estimate, estimate &+ 1] + (estimate > 0 ? [estimate - 1] : [])
        }
        list += Array(0...7)
        var seen = Set<UInt32>()
        return list.filter { seen.insert($0).inserted }
    }

    // MARK: SRTCP

    /// SRTCP (RFC 3711 §3.4): the sender's RTP stream (same address and SSRC, RTP port or the one below) gives
    /// the key; an authenticated sender report also tells roughly how many packets the sender sent, hence its
    /// rollover counter.
    func unprotectControl(_ datagram: UDPDatagram) -> SRTPVerdict {
        let payload = datagram.payload
        guard payload.count >= 8, payload[0] >> 6 == 2 else { return .authenticationFailed }
        let ssrc = UInt32(payload[4]) << 24 | UInt32(payload[5]) << 16 | UInt32(payload[6]) << 8 | UInt32(payload[7])
        let owner = (streamsBySSRC[ssrc] ?? []).compactMap { streams[$0] }.first { state in
            state.key.source.address == datagram.source.address
                && (state.key.source.port == datagram.source.port || state.key.source.port &+ 1 == datagram.source.port)
        }
        var sessions: [SRTPSession] = []
        if let owner, let active = owner.active {
            sessions = [active.session] + (owner.previous.map { [$0.session] } ?? [])
        } else {
            var candidates: [Int] = []
            for port in [datagram.source.port, datagram.source.port &- 1] {
                let rtp = StreamKey(
                    source: Endpoint(address: datagram.source.address, port: port),
                    destination: datagram.destination,
                    ssrc: ssrc
                )
                candidates += ring.candidates(for: rtp, at: datagram.packetNumber).filter { !candidates.contains($0) }
            }
            sessions = candidates.prefix(8).compactMap { session($0, ssrc: ssrc) }
            if sessions.isEmpty { return .noKey }
        }
        for session in sessions {
            let (status, clear) = attempt(session, payload, control: true)
            if let clear {
                countControl(owner, authenticated: true)
                noteSenderReport(clear, ssrc: ssrc)
                return .authenticated(clear)
            }
            if status == .replay { return .duplicate }
        }
        countControl(owner, authenticated: false)
        return .authenticationFailed
    }

    private func countControl(_ owner: SRTPStreamState?, authenticated: Bool) {
        switch (owner, authenticated) {
        case (let owner?, true): owner.statistics.controlAuthenticated += 1
        case (let owner?, false): owner.statistics.controlFailures += 1
        case (nil, true): unmatchedControl.authenticated += 1
        case (nil, false): unmatchedControl.failed += 1
        }
    }

    /// RFC 3550 §6.4.1: a sender report's packet count (offset 20) is how many packets the sender sent; its
    /// index is that plus the random first sequence number (under 2^16), so the rollover counter is the count's
    /// upper half or one more.
    private func noteSenderReport(_ clear: [UInt8], ssrc: UInt32) {
        guard clear.count >= 28, clear[1] == 200 else { return }
        let count = UInt32(clear[20]) << 24 | UInt32(clear[21]) << 16 | UInt32(clear[22]) << 8 | UInt32(clear[23])
        rolloverHints[ssrc] = count >> 16
    }
}
