import CallTimeline

/// The unprotector's state for one stream: the crypto context that authenticates its packets, the one before the
/// last key change (for packets reordered across it), the indices seen, and how hard to keep trying.
final class SRTPStreamState {
    /// A libsrtp2 context and the ring entry it was made from.
    struct Context {
        let session: SRTPSession
        let entry: Int
    }

    var statistics: SRTPStreamStatistics
    var active: Context?
    var previous: Context?
    var window: SRTPIndexWindow?
    /// Contexts made for trials that have authenticated nothing, by ring entry (see `SRTPUnprotectorCore.spare`).
    var spares: [Int: SRTPSession] = [:]
    /// Authentication failures since the last success.
    var consecutiveFailures = 0

    /// The stream's candidate keys, valid while the ring holds `ringCount` keys and until record `validBefore`.
    var candidates: [Int] = []
    var candidatesRingCount = -1
    var candidatesValidBefore = 0
    /// The candidates the last full round of trials used.
    private var attempted: [Int]?

    /// After this many failures in a row, the candidates are tried again only when new keys become known or the
    /// count of failures reaches a power of two: a stream whose keys are wrong costs about 20 rounds of trials in
    /// an hour, not a round per packet.
    static let patience = 64

    init(key: StreamKey) {
        statistics = SRTPStreamStatistics(stream: key)
    }

    var key: StreamKey { statistics.stream }

    /// Whether to run a round of trials with `candidates` now (and remembers them when so).
    func shouldAttempt(_ candidates: [Int]) -> Bool {
        let fresh = attempted != candidates
        let failures = consecutiveFailures
        guard fresh || failures < Self.patience || failures & (failures - 1) == 0 else {
            return false
        }
        attempted = candidates
        return true
    }

    /// Records an authenticated packet of index `index`.
    func accept(_ index: UInt64) {
        if window == nil {
            window = SRTPIndexWindow(first: index)
        } else {
            window!.insert(index)
        }
        statistics.authenticated += 1
        consecutiveFailures = 0
    }
}
