public import Capture

/// The keys of one SRTP crypto context: a suite, one master key or several told apart by MKI (RFC 3711 §3.1), and
/// the services SDES session parameters may switch off (RFC 4568 §6.3). A secret: its description names the suite
/// and the number of keys, never the keys.
public struct SRTPKeyMaterial: Sendable, Hashable, CustomStringConvertible {
    public var suite: SRTPSuite
    public var keys: [SRTPKeyParameter]
    /// False with `UNENCRYPTED_SRTP`.
    public var encryptsMedia = true
    /// False with `UNAUTHENTICATED_SRTP`.
    public var authenticatesMedia = true
    /// False with `UNENCRYPTED_SRTCP`.
    public var encryptsControl = true

    public init(suite: SRTPSuite, keys: [SRTPKeyParameter]) {
        self.suite = suite
        self.keys = keys
    }

    /// The keys of an SDES `a=crypto` line.
    public init(crypto: SDPCrypto) {
        self.init(suite: crypto.suite, keys: crypto.keys)
        encryptsMedia = crypto.isSRTPEncrypted
        authenticatesMedia = crypto.isSRTPAuthenticated
        encryptsControl = crypto.isSRTCPEncrypted
    }

    /// Packets carry an MKI when a key has one (several keys always do, RFC 4568 §6.1).
    var usesMKI: Bool { keys.contains { $0.mki != nil } }

    /// `AES_CM_128_HMAC_SHA1_80, 2 keys (MKI 1:4, 2:4)`.
    public var description: String {
        var text = "\(suite), \(keys.count) key\(keys.count == 1 ? "" : "s")"
        let identifiers = keys.compactMap(\.mki).map(\.description)
        if !identifiers.isEmpty { text += " (MKI \(identifiers.joined(separator: ", ")))" }
        if !encryptsMedia { text += ", unencrypted SRTP" }
        if !authenticatesMedia { text += ", unauthenticated SRTP" }
        if !encryptsControl { text += ", unencrypted SRTCP" }
        return text
    }
}
