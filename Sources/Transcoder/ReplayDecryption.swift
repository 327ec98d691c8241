import CallTimeline
import Capture
import SecureRTP

/// The SRTP step of pass 2 (SPEC §2.4): an unprotector made from pass 1's keys (each keeps the capture record it
/// became known at) sees the same datagrams of each stream pass 1 decrypted, so it reaches the same verdicts;
/// the renderer gets their clear packets, and nothing for a packet that failed authentication (it is concealed
/// like a loss) or repeats one. Streams pass 1 did not decrypt are clear (the encrypted ones were skipped): their
/// packets go to the renderer as captured. Without keys this is the renderer's own datagram path.
struct ReplayDecryption {
    private let unprotector: SRTPUnprotector?
    /// The streams pass 1 decrypted.
    private let decrypted: Set<StreamKey>

    init(keys: SRTPKeyRing, streams: [StreamSummary]) {
        unprotector = keys.isEmpty ? nil : SRTPUnprotector(keys: keys)
        decrypted = Set(streams.filter { $0.encryption?.status == .decrypted }.map(\.key))
    }

    /// Whether every datagram goes to the renderer as captured (no key, or no stream pass 1 decrypted).
    var isPassThrough: Bool { unprotector == nil || decrypted.isEmpty }

    /// Classifies a datagram of pass 2 and gives the renderer what it carries.
    func add(_ datagram: UDPDatagram, to renderer: inout CallRenderer) {
        guard let unprotector, !decrypted.isEmpty else {
            renderer.add(datagram)
            return
        }
        let kind = PayloadClassifier.classify(datagram)
        switch kind {
        case .rtp(let packet):
            let key = StreamKey(source: datagram.source, destination: datagram.destination, ssrc: packet.ssrc)
            guard renderer.renders(key) else { break }
            guard decrypted.contains(key) else {
                renderer.add(MediaPacket(datagram: datagram, packet: packet))
                return
            }
            if case .authenticated(let clear) = unprotector.unprotect(datagram), addClear(clear, datagram, &renderer) {
                return
            }
        case .rtcp:
            // Sender reports give rollover counters to streams not yet keyed, as they did in pass 1.
            _ = unprotector.unprotectControl(datagram)
        case .other where IngestDecryption.mayBeSRTP(datagram):
            guard let key = IngestDecryption.srtpStreamKey(datagram),
                decrypted.contains(key), renderer.renders(key),
                IngestDecryption.hasAuthenticated(datagram, unprotector),
                case .authenticated(let clear) = unprotector.unprotect(datagram),
                addClear(clear, datagram, &renderer)
            else { break }
            return
        default:
            break
        }
        renderer.observe(time: datagram.timestamp)
    }

    private func addClear(_ clear: [UInt8], _ datagram: UDPDatagram, _ renderer: inout CallRenderer) -> Bool {
        guard let packet = try? RTPPacket(parsing: clear) else { return false }
        renderer.add(MediaPacket(datagram: datagram, packet: packet))
        return true
    }
}
