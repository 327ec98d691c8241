/// The one error type of the SecureRTP module: a key that cannot be used, a key option or key file that cannot be
/// read, or libsrtp2 refusing a context. It names the source (`--srtp-key #2`, `keys.json entry 3`, `SDP a=crypto
/// tag 1 (packet 12)`), the field and the reason — never the key (SPEC §2.4).
public struct SRTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A crypto suite this build of libsrtp2 does not provide, or a name that is no suite.
        case unsupportedSuite
        /// Key material of the wrong length, not base64, or a session parameter libsrtp2 cannot honour.
        case invalidKey
        /// A `--srtp-key` value that does not read as `[SOURCE=]SUITE:BASE64`.
        case invalidKeyOption
        /// A key file (`--srtp-keys`, the Lambda key object) that is not the JSON list SPEC §2.4 describes.
        case invalidKeyFile
        /// libsrtp2 failed to initialise or to create a context (its status code is kept).
        case libraryFailure
        /// `protect` refused a packet (test side).
        case protectFailed
    }

    public var code: Code
    /// Where the key came from: `--srtp-key #2`, `keys.json`, `keys.json entry 3`, `SDP a=crypto tag 1`.
    public var source: String
    /// The field at fault (`suite`, `key`, `source`, `ssrc`), when there is one.
    public var field: String?
    /// What was expected and what was found; never key material.
    public var reason: String
    /// The libsrtp2 status (`srtp_err_status_t`) behind a library failure.
    public var libraryStatus: Int32?

    public init(_ code: Code, source: String, field: String? = nil, reason: String, libraryStatus: Int32? = nil) {
        self.code = code
        self.source = source
        self.field = field
        self.reason = reason
        self.libraryStatus = libraryStatus
    }

    /// `keys.json entry 2: field "key": is 20 bytes; AES_CM_128_HMAC_SHA1_80 needs 30 …`.
    public var description: String {
        var text = source.isEmpty ? "" : "\(source): "
        if let field { text += "field \"\(field)\": " }
        text += reason
        if let libraryStatus { text += " (libsrtp2 status \(libraryStatus))" }
        return text
    }
}
