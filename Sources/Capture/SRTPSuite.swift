/// An SRTP crypto suite as SDES names it (SPEC §2.4): the cipher and key size, and the authentication tag.
///
/// Names and parameters: RFC 4568 §6.2 (AES_CM_128_HMAC_SHA1_80 and _32), RFC 6188 §7 (AES_192_CM and AES_256_CM
/// with HMAC_SHA1_80 and _32), RFC 7714 §14.2 (AEAD_AES_128_GCM and AEAD_AES_256_GCM, 16-byte tags).
public enum SRTPSuite: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case aes128HMACSHA1_80 = "AES_CM_128_HMAC_SHA1_80"
    case aes128HMACSHA1_32 = "AES_CM_128_HMAC_SHA1_32"
    case aes192HMACSHA1_80 = "AES_192_CM_HMAC_SHA1_80"
    case aes192HMACSHA1_32 = "AES_192_CM_HMAC_SHA1_32"
    case aes256HMACSHA1_80 = "AES_256_CM_HMAC_SHA1_80"
    case aes256HMACSHA1_32 = "AES_256_CM_HMAC_SHA1_32"
    case aeadAES128GCM = "AEAD_AES_128_GCM"
    case aeadAES256GCM = "AEAD_AES_256_GCM"

    /// The suite of an SDES name (ASCII case-insensitive). Besides the registered names, the spellings some PBXs
    /// write for the RFC 6188 suites (`AES_CM_256_HMAC_SHA1_80`, `AES_CM_192_HMAC_SHA1_32`) are accepted.
    public init?(name: some StringProtocol) {
        let upper = name.uppercased()
        if let suite = Self(rawValue: upper) {
            self = suite
            return
        }
        switch upper {
        case "AES_CM_192_HMAC_SHA1_80": self = .aes192HMACSHA1_80
        case "AES_CM_192_HMAC_SHA1_32": self = .aes192HMACSHA1_32
        case "AES_CM_256_HMAC_SHA1_80": self = .aes256HMACSHA1_80
        case "AES_CM_256_HMAC_SHA1_32": self = .aes256HMACSHA1_32
        default: return nil
        }
    }

    /// The registered name.
    public var description: String { rawValue }

    /// The master key length in bytes (16, 24 or 32).
    public var masterKeyLength: Int {
        switch self {
        case .aes128HMACSHA1_80, .aes128HMACSHA1_32, .aeadAES128GCM: 16
        case .aes192HMACSHA1_80, .aes192HMACSHA1_32: 24
        case .aes256HMACSHA1_80, .aes256HMACSHA1_32, .aeadAES256GCM: 32
        }
    }

    /// The master salt length in bytes: 112 bits for AES counter mode (RFC 3711 §8.2), 96 bits for AES-GCM
    /// (RFC 7714 §8.2).
    public var masterSaltLength: Int { isAEAD ? 12 : 14 }

    /// The length of the SDES `inline:` key, which is the master key followed by the master salt (RFC 4568 §6.1).
    public var keyMaterialLength: Int { masterKeyLength + masterSaltLength }

    /// The SRTP authentication tag length in bytes: 10 for _80, 4 for _32, 16 for AEAD.
    public var tagLength: Int {
        switch self {
        case .aes128HMACSHA1_80, .aes192HMACSHA1_80, .aes256HMACSHA1_80: 10
        case .aes128HMACSHA1_32, .aes192HMACSHA1_32, .aes256HMACSHA1_32: 4
        case .aeadAES128GCM, .aeadAES256GCM: 16
        }
    }

    /// The SRTCP tag length: 10 for every HMAC-SHA1 suite, the _32 ones included (RFC 4568 §6.2.2: SRTCP keeps
    /// the 80-bit tag), 16 for AEAD.
    public var controlTagLength: Int { isAEAD ? 16 : 10 }

    /// AES-GCM (RFC 7714), whose tag is produced by the cipher itself.
    public var isAEAD: Bool { self == .aeadAES128GCM || self == .aeadAES256GCM }

    /// An unknown suite name as messages may show it: quoted when it has the shape of a suite name (letters, digits
    /// and underscores, with an underscore, at most 48 characters), otherwise not shown at all — a key pasted in
    /// the wrong place must not end up in a message.
    public static func shown(_ name: some StringProtocol) -> String {
        let looksLikeName =
            name.count <= 48 && name.contains("_")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return looksLikeName ? "\"\(name)\"" : "(a value that is no suite name)"
    }

    /// Every name, for messages that list what is accepted.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
