import Capture

/// `--srtp-key [SOURCE=]SUITE:BASE64` (SPEC §5): SOURCE is `ip:port` (`[v6]:port` for IPv6) or `0xSSRC`; without
/// it the key applies to every stream. Errors name the option and what is wrong, never the key.
public enum SRTPKeyOption {
    /// The key entry of the `index`-th (1-based) `--srtp-key` value.
    public static func parse(_ text: String, index: Int) throws(SRTPError) -> SRTPKeyEntry {
        let name = "--srtp-key #\(index)"
        guard text.contains(":") else {
            throw SRTPError(.invalidKeyOption, source: name, reason: "expected [SOURCE=]SUITE:BASE64")
        }
        let head = text.prefix { $0 != ":" }
        var scope = SRTPKeyScope.any
        var rest = Substring(text)
        // SUITE:KEY starts with a suite-like token; otherwise SOURCE= comes first (no source holds a "=").
        if head.isEmpty || !head.allSatisfy(\.isSuiteNameCharacter) {
            guard let equals = text.firstIndex(of: "=") else {
                throw SRTPError(.invalidKeyOption, source: name, reason: "expected [SOURCE=]SUITE:BASE64")
            }
            scope = try Self.scope(text[..<equals], option: name)
            rest = text[text.index(after: equals)...]
        }
        guard let colon = rest.firstIndex(of: ":") else {
            throw SRTPError(.invalidKeyOption, source: name, reason: "expected SUITE:BASE64 after the source")
        }
        let suite = try Self.suite(rest[..<colon], source: name)
        let material = try Self.key(rest[rest.index(after: colon)...].utf8, suite: suite, source: name)
        return SRTPKeyEntry(
            material: SRTPKeyMaterial(suite: suite, keys: [SRTPKeyParameter(material: material)]),
            scope: scope,
            origin: .option(index: index)
        )
    }

    /// `ip:port`, `[v6]:port` or `0xSSRC` (1 to 8 hex digits).
    static func scope(_ text: Substring, option: String) throws(SRTPError) -> SRTPKeyScope {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            guard let ssrc = SRTPKeyFile.ssrc(String(text)) else {
                throw SRTPError(
                    .invalidKeyOption,
                    source: option,
                    field: "source",
                    reason: "expected 0x and 1 to 8 hex digits"
                )
            }
            return SRTPKeyScope(ssrc: ssrc)
        }
        guard let endpoint = endpoint(text) else {
            throw SRTPError(
                .invalidKeyOption,
                source: option,
                field: "source",
                reason: "expected ip:port, [ipv6]:port or 0xSSRC before the \"=\""
            )
        }
        return SRTPKeyScope(source: endpoint)
    }

    /// `192.0.2.1:4000` or `[2001:db8::1]:4000`, port 1–65535.
    static func endpoint(_ text: Substring) -> Endpoint? {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard let address = IPAddress(String(host)), address.isIPv6 == text.hasPrefix("["),
            let number = UInt16(port), number > 0
        else { return nil }
        return Endpoint(address: address, port: number)
    }

    /// A suite this build of libsrtp2 provides.
    static func suite(_ name: some StringProtocol, source: String, field: String? = nil) throws(SRTPError) -> SRTPSuite
    {
        guard let suite = SRTPSuite(name: name) else {
            throw SRTPError(
                .unsupportedSuite,
                source: source,
                field: field,
                reason: "unknown crypto suite \(SRTPSuite.shown(name)) (expected one of \(SRTPSuite.names))"
            )
        }
        guard SRTPLibrary.status == 0 else {
            // Not the suite's fault: libsrtp2's crypto (NSS) did not start, e.g. without /dev/urandom to seed from.
            throw SRTPError(
                .libraryFailure,
                source: source,
                field: field,
                reason: "libsrtp2 could not start (srtp_init failed: its crypto library, NSS, needs /dev/urandom)",
                libraryStatus: SRTPLibrary.status
            )
        }
        guard suite.isAvailable else {
            throw SRTPError(
                .unsupportedSuite,
                source: source,
                field: field,
                reason: "\(suite) is not provided by this build of libsrtp2 (\(SRTPSuite.libraryVersion))"
            )
        }
        return suite
    }

    /// Base64 key material of the suite's length (master key ‖ master salt).
    static func key(
        _ text: some Collection<UInt8>,
        suite: SRTPSuite,
        source: String,
        field: String? = nil
    ) throws(SRTPError) -> SRTPMasterKey {
        guard let material = SRTPMasterKey(base64: text) else {
            throw SRTPError(.invalidKey, source: source, field: field, reason: "the key is not base64 (RFC 4648)")
        }
        guard material.count == suite.keyMaterialLength else {
            throw SRTPError(
                .invalidKey,
                source: source,
                field: field,
                reason: "the key is \(material.count) bytes; \(suite) needs \(suite.keyMaterialLength) "
                    + "(\(suite.masterKeyLength)-byte master key followed by \(suite.masterSaltLength)-byte salt)"
            )
        }
        return material
    }
}

extension Character {
    /// Letters, digits and `_`, the characters of a crypto suite name.
    fileprivate var isSuiteNameCharacter: Bool {
        isASCII && (isLetter || isNumber || self == "_")
    }
}
