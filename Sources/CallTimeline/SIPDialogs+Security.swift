import Capture

/// What the SDP sections naming one media endpoint said about encryption, over the whole capture.
struct AnnouncedSecurity: Sendable {
    /// The distinct secure descriptions (SRTP profile, `a=crypto`, `a=fingerprint`, `a=zrtp-hash`), at most 4.
    var secure: [SDPMediaSecurity] = []
    /// Some section naming it said nothing of encryption (clear `RTP/AVP`).
    var clear = false

    static let limit = 4
}

extension SIPDialogs {
    /// Remembers what an SDP section says about encryption for the endpoint it names.
    mutating func noteSecurity(_ media: AnnouncedMedia) {
        guard media.endpoint.port != 0 else { return }
        var announced = security[media.endpoint] ?? AnnouncedSecurity()
        if let secure = media.security {
            if !announced.secure.contains(secure), announced.secure.count < AnnouncedSecurity.limit {
                announced.secure.append(secure)
            }
        } else {
            announced.clear = true
        }
        security[media.endpoint] = announced
    }

    /// The secure SDP descriptions of a stream's source and destination (SPEC §2.4 evidence (a)).
    func announcedSecurity(of stream: StreamKey) -> [SDPMediaSecurity?] {
        (security[stream.source]?.secure ?? []) + (security[stream.destination]?.secure ?? [])
    }

    /// Whether an SDP announced the stream's source or destination as clear RTP (`RTP/AVP` with no key attribute).
    func isAnnouncedClear(_ stream: StreamKey) -> Bool {
        security[stream.source]?.clear == true || security[stream.destination]?.clear == true
    }
}
