import CallTimeline

extension TranscodeReport {
    /// SPEC §2.4 in the report and `inspect`, per stream: whether its media was encrypted, the suite, where the
    /// key came from and how many packets failed authentication. Never a key. Absent for clear streams no key was
    /// tried on, so the reports of clear captures keep their bytes.
    public struct Encryption: Encodable, Sendable {
        var ssrc: String
        var encrypted: Bool
        /// `decrypted`, `keys failed` or `no key`.
        var status: String
        var suite: String?
        /// `sdp`, `option` or `key file`.
        var keySource: String?
        /// Which SDP line, option or key-file entry: `the SDP (packet 12, a=crypto tag 1)`, `keys.json entry 2`.
        var keyFrom: String?
        var authenticated: Int
        var authenticationFailures: Int
        var duplicates: Int
        var initialRolloverCounter: UInt32?
        var keyChanges: Int
    }

    /// The stream's entry, or nil for a clear stream no key was tried on.
    static func encryption(_ stream: StreamSummary) -> Encryption? {
        let skippedAsEncrypted = stream.skippedReason?.isEncryptedMedia == true
        guard let decryption = stream.encryption else {
            guard skippedAsEncrypted else { return nil }
            return Encryption(
                ssrc: SSRCFormat.hex(stream.key.ssrc),
                encrypted: true,
                status: StreamEncryption.Status.noKey.description,
                authenticated: 0,
                authenticationFailures: 0,
                duplicates: 0,
                keyChanges: 0
            )
        }
        return Encryption(
            ssrc: SSRCFormat.hex(stream.key.ssrc),
            // Keys failing on a stream the timeline recorded anyway: clear RTP given a key meant for every stream.
            encrypted: decryption.status == .decrypted || skippedAsEncrypted,
            status: decryption.status.description,
            suite: decryption.suite?.rawValue,
            keySource: decryption.keyOrigin?.description,
            keyFrom: decryption.keySource,
            authenticated: decryption.authenticated,
            authenticationFailures: decryption.authenticationFailures,
            duplicates: decryption.duplicates,
            initialRolloverCounter: decryption.initialRolloverCounter,
            keyChanges: decryption.keyChanges
        )
    }

    /// The entries of a leg's streams, or nil when none has one.
    static func encryption(of streams: [StreamSummary]) -> [Encryption]? {
        let entries = streams.compactMap(encryption)
        return entries.isEmpty ? nil : entries
    }
}
