import Capture

/// What pass 1 gathered for SPEC §2.4: the payload detectors (parallel to the stream accumulators), the ZRTP and
/// DTLS packets seen between endpoints, and what SRTP decryption made of each stream.
struct EncryptionInputs: Sendable {
    var detectors: [PayloadEncryptionDetector] = []
    var keyExchanges = KeyExchangeWatch()
    var decryption: [StreamKey: StreamEncryption] = [:]
}

extension CallTimelineBuilder {
    /// Records what SRTP decryption made of a stream in pass 1 (the pipeline holds the keys and the unprotector;
    /// the timeline sees only decrypted packets, and clear or undecryptable ones as they were captured). Call it
    /// before `build()` for every stream a key was tried on.
    public mutating func setDecryption(_ decryption: StreamEncryption, for stream: StreamKey) {
        encryption.decryption[stream] = decryption
    }

}

extension TimelineAnalysis {
    /// The stream's skip reason when it is encrypted media that no key decrypts (SPEC §2.4), else nil:
    /// - decrypted by a key: never skipped (its failed packets are losses);
    /// - keys tried and none authenticated a packet: a wrong key, unless nothing says the stream is encrypted and an
    ///   SDP announces it clear (`RTP/AVP`: clear media given a key meant for every stream);
    /// - no key: skipped when any evidence says it is encrypted.
    func encryptionSkipReason(_ index: Int, codecs: [UInt8: Codec]) -> StreamSkipReason? {
        let key = accumulators[index].key
        let decryption = encryption.decryption[key]
        if decryption?.status == .decrypted { return nil }
        let evidence = encryptionEvidence(index, codecs: codecs)
        if let decryption, decryption.status == .keysFailed {
            if evidence.isEmpty, dialogs.isAnnouncedClear(key) { return nil }
            return .encrypted(EncryptedMedia(evidence: evidence, failedPackets: decryption.authenticationFailures))
        }
        return evidence.isEmpty ? nil : .encrypted(EncryptedMedia(evidence: evidence))
    }

    /// The evidence that a stream is encrypted, strongest first, at most 4 items: (a) the SDP that announced its
    /// media, unless an SDP also announced one of its endpoints clear (a best-effort SRTP offer answered with
    /// `RTP/AVP`); (b) ZRTP or DTLS between its endpoints; (c) authentication tags; (d) noise-like audio, unless
    /// an SDP announced the stream clear: the last guard is for media nothing describes, since clear G.711 that
    /// an SDP describes can be loud noise by itself (modem and fax data) or by a `--pt` that maps the wrong codec,
    /// while ZRTP on `RTP/AVP` still shows (b) or (c).
    func encryptionEvidence(_ index: Int, codecs: [UInt8: Codec]) -> [EncryptionEvidence] {
        let key = accumulators[index].key
        let announcedClear = dialogs.isAnnouncedClear(key)
        var evidence: [EncryptionEvidence] = []
        if !announcedClear {
            evidence += PayloadEncryptionDetector.evidence(announcedBy: dialogs.announcedSecurity(of: key))
        }
        evidence += encryption.keyExchanges.evidence(source: key.source, destination: key.destination)
        if index < encryption.detectors.count {
            for (payloadType, codec) in codecs.sorted(by: { $0.key < $1.key }) {
                guard let format = Self.payloadFormatName(of: codec) else { continue }
                evidence += encryption.detectors[index].evidence(
                    payloadType: payloadType,
                    encodingName: format.name,
                    channels: format.channels
                ).filter { !(announcedClear && $0.isNoiseLikeAudio) }
            }
        }
        return Array(evidence.prefix(4))
    }

    /// The encoding name and channel count a codec's payloads are measured by (SPEC §2.4 (c) and (d): the frame
    /// length of fixed-rate codecs, G.711's law), or nil for what carries no audio. The one place that reads the
    /// codec type for the evidence, so it follows that type when it changes.
    static func payloadFormatName(of codec: Codec) -> (name: String, channels: Int)? {
        switch codec {
        case .comfortNoise, .telephoneEvent, .unknown: return nil
        default: return (codec.description, 1)
        }
    }
}

extension EncryptionEvidence {
    /// Evidence (d), the last guard: decoded audio that is loud white noise.
    var isNoiseLikeAudio: Bool {
        if case .noiseLikeAudio = self { return true }
        return false
    }
}
