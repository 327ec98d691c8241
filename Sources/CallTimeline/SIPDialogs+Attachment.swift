import Capture

// Streams to dialogs by address, time and peer (SPEC §3.2).
extension SIPDialogs {
    /// The most recent namings of one endpoint or address weighed per stream. A phone or gateway that reuses
    /// one port for every call names it in each dialog; only the last few before the stream can be alive, and the
    /// bound keeps a capture of thousands of such dialogs and streams linear.
    static let recentNamings = 64

    /// The dialog a stream belongs to: one whose SDP names the stream's source or destination, alive while the
    /// stream flows (from the SDP naming that address to the dialog's end, `margin` either side), and, among
    /// those, the best by (1) how exactly the named end matches, (2) whether the other end is the other party's
    /// media (the peer), (3) how long the stream overlaps the dialog without the margin, (4) the latest naming.
    /// Nil when no alive dialog names either end.
    func attachment(of key: StreamKey, first: Int64, last: Int64, margin: Int64) -> DialogAttachment? {
        var candidates = Set<Int>()
        for namings in [
            byEndpoint[key.destination], byEndpoint[key.source], byAddress[key.destination.address],
            byAddress[key.source.address],
        ] {
            guard let namings else { continue }
            for naming in Self.recent(namings, before: last &+ margin) { candidates.insert(naming.dialog) }
        }
        // (anchor fit, peer fit, overlap without the margin, latest naming, earliest dialog)
        var best: (score: (Int, Int, Int64, Int64, Int), attachment: DialogAttachment)?
        var alive = 0
        for index in candidates.sorted() {
            let dialog = dialogs[index]
            guard let fit = dialog.orientation(of: key) else { continue }
            let windowEnd = dialog.end.map { $0 &+ margin } ?? .max
            guard first <= windowEnd, last >= fit.named &- margin else { continue }
            alive += 1
            let overlap = max(0, min(last, dialog.end ?? .max) - max(first, fit.named))
            let score = (fit.anchorFit.rawValue, fit.peerFit.rawValue, overlap, fit.named, -index)
            if let current = best, current.score >= score { continue }
            best = (
                score,
                DialogAttachment(
                    callID: dialog.callID,
                    dialog: index,
                    sender: fit.sender,
                    anchor: fit.anchor,
                    anchorFit: fit.anchorFit,
                    peerFit: fit.peerFit,
                    sinceAnnouncement: first - fit.named,
                    ending: dialog.ending,
                    untilEnd: dialog.end.map { $0 - last },
                    rivals: 0
                )
            )
        }
        guard var attachment = best?.attachment else { return nil }
        attachment.rivals = alive - 1
        return attachment
    }

    /// Up to `recentNamings` namings first made before `time`, the latest ones (`namings` is in time order).
    private static func recent(_ namings: [Naming], before time: Int64) -> ArraySlice<Naming> {
        var low = 0
        var high = namings.count
        while low < high {
            let mid = (low + high) / 2
            if namings[mid].time <= time { low = mid + 1 } else { high = mid }
        }
        return namings[max(0, low - recentNamings)..<low]
    }
}

extension SIPDialogs {
    /// Which party of a dialog sent a stream, and how its ends match the parties' media.
    struct Orientation {
        var sender: DialogParty
        var anchor: DialogAttachment.End
        var anchorFit: DialogAttachment.Fit
        var peerFit: DialogAttachment.Fit
        /// When the anchor's party first named the anchor's endpoint (or address).
        var named: Int64

        /// Ranks two orientations of one stream in one dialog.
        var rank: (DialogAttachment.Fit, DialogAttachment.Fit, Int) {
            (anchorFit, peerFit, anchor == .destination ? 1 : 0)
        }
    }
}

extension SIPDialogs.Dialog {
    /// Which party sent a stream, by its two ends against the parties' announced media: the orientation whose
    /// named end matches best, then whose other end matches best, then the one named by its destination (what
    /// SDP promises: where the receiver listens) over its source (symmetric RTP sends from where it receives).
    func orientation(of key: StreamKey) -> SIPDialogs.Orientation? {
        var best: SIPDialogs.Orientation?
        for sender in [DialogParty.caller, .callee] {
            let destination = fit(key.destination, party: sender.other)
            let source = fit(key.source, party: sender)
            let anchor: DialogAttachment.End = destination >= source ? .destination : .source
            let (anchorFit, peerFit) = anchor == .destination ? (destination, source) : (source, destination)
            guard anchorFit >= .address else { continue }
            let anchorParty = anchor == .destination ? sender.other : sender
            let anchorEndpoint = anchor == .destination ? key.destination : key.source
            // Address only, when the other party does not use that address too (then it tells no side apart).
            if anchorFit == .address, announcedAddresses[anchorParty.other]?[anchorEndpoint.address] != nil {
                continue
            }
            guard let named = firstNaming(of: anchorEndpoint, by: anchorParty, exact: anchorFit == .exact) else {
                continue
            }
            let candidate = SIPDialogs.Orientation(
                sender: sender,
                anchor: anchor,
                anchorFit: anchorFit,
                peerFit: peerFit,
                named: named
            )
            if let current = best, current.rank >= candidate.rank { continue }
            best = candidate
        }
        return best
    }

    private func fit(_ endpoint: Endpoint, party: DialogParty) -> DialogAttachment.Fit {
        let media = media(of: party)
        if media.isEmpty { return .unknown }
        if media.contains(endpoint) { return .exact }
        return announcedAddresses[party]?[endpoint.address] != nil ? .address : .differs
    }

    /// When `party` first named `endpoint` (or, not `exact`, any endpoint at its address).
    private func firstNaming(of endpoint: Endpoint, by party: DialogParty, exact: Bool) -> Int64? {
        exact ? announced[party]?[endpoint] : announcedAddresses[party]?[endpoint.address]
    }
}
