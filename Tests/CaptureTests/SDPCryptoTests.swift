import Capture
import Foundation
import Testing

/// RFC 4568 `a=crypto`, RFC 8122 `a=fingerprint`, RFC 6189 `a=zrtp-hash` and the SRTP profiles in SDP (SPEC §2.4).
@Suite struct SDPCryptoTests {
    /// RFC 4568 §4's example key (30 bytes for AES_CM_128_HMAC_SHA1_80).
    static let key = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"

    static func parse(_ value: String) -> Result<SDPCrypto, SDPCryptoProblem> { SDPCrypto.parse(value) }

    @Test("RFC 4568 §4's example: tag, suite, key, lifetime 2^20, MKI 1 on 4 bytes")
    func rfcExample() throws {
        let crypto = try Self.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)|2^20|1:4").get()
        #expect(crypto.tag == 1 && crypto.suite == .aes128HMACSHA1_80)
        #expect(crypto.keys.count == 1)
        #expect(crypto.keys[0].material.count == 30)
        #expect(crypto.keys[0].lifetime == 1 << 20)
        #expect(crypto.keys[0].mki?.bytes == [0, 0, 0, 1])
        #expect(crypto.keys[0].material == SRTPMasterKey(base64: Array(Self.key.utf8)))
    }

    @Test("several keys told apart by MKI, a decimal lifetime, and session parameters")
    func severalKeys() throws {
        let crypto = try Self.parse(
            "7 AES_CM_128_HMAC_SHA1_32 inline:\(Self.key)|1048576|1:2;inline:\(Self.key)|2:2 UNENCRYPTED_SRTCP KDR=0 WSH=64"
        ).get()
        #expect(crypto.keys.map { $0.mki?.bytes } == [[0, 1], [0, 2]])
        #expect(crypto.keys.map(\.lifetime) == [1_048_576, nil])
        #expect(crypto.sessionParameters == ["UNENCRYPTED_SRTCP", "KDR=0", "WSH=64"])
        #expect(!crypto.isSRTCPEncrypted && crypto.isSRTPEncrypted && crypto.isSRTPAuthenticated)
    }

    @Test(
        "every suite of SPEC §2.4 with a key of its length, and the PBX spellings of the RFC 6188 names",
        arguments: [
            ("AES_CM_128_HMAC_SHA1_80", 30), ("AES_CM_128_HMAC_SHA1_32", 30), ("AES_192_CM_HMAC_SHA1_80", 38),
            ("AES_192_CM_HMAC_SHA1_32", 38), ("AES_256_CM_HMAC_SHA1_80", 46), ("AES_256_CM_HMAC_SHA1_32", 46),
            ("AEAD_AES_128_GCM", 28), ("AEAD_AES_256_GCM", 44), ("AES_CM_256_HMAC_SHA1_80", 46),
            ("aes_cm_192_hmac_sha1_32", 38),
        ]
    )
    func suites(_ name: String, length: Int) throws {
        let key = Base64Text.encode([UInt8](repeating: 0xA5, count: length))
        let crypto = try Self.parse("2 \(name) inline:\(key)").get()
        #expect(crypto.suite.keyMaterialLength == length)
        #expect(crypto.keys[0].material.count == length)
    }

    @Test(
        "lines that cannot be used say why, and never show the key",
        arguments: [
            ("x AES_CM_128_HMAC_SHA1_80 inline:KEY", "no tag"),
            ("1234567890 AES_CM_128_HMAC_SHA1_80 inline:KEY", "no tag"),
            ("1 F8_128_HMAC_SHA1_80 inline:KEY", "crypto suite \"F8_128_HMAC_SHA1_80\" is not supported"),
            ("1 AES_CM_128_HMAC_SHA1_80", "no inline key"),
            ("1 AES_CM_128_HMAC_SHA1_80 uri:https://example.test/KEY", "key method uri is not supported"),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:KEY!!", "not base64"),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:KEYKEY", "is 60 bytes; AES_CM_128_HMAC_SHA1_80 needs 30"),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:KEY|2^49", "lifetime"),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:KEY|1:0", "MKI"),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:KEY|300:1", "MKI"),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:KEY|1:4|2^20", "lifetime"),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:KEY|1:4;inline:KEY", "several keys"),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:KEY KDR=3", "KDR=3 is not supported"),
        ]
    )
    func problems(_ line: String, reason: String) {
        let value = line.replacingOccurrences(of: "KEY", with: Self.key)
        guard case .failure(let problem) = Self.parse(value) else {
            Issue.record("accepted: \(line)")
            return
        }
        #expect(problem.description.contains(reason), "\(problem)")
        #expect(!problem.description.contains(Self.key.prefix(12)))
    }

    @Test("the description shows inline:<redacted>, never the key")
    func redacted() throws {
        let crypto = try Self.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)|2^20|1:4").get()
        #expect(crypto.description == "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>|1048576|1:4")
        #expect("\(crypto.keys[0].material)" == "<30-byte SRTP key, redacted>")
    }

    @Test("an SDES offer: RTP/SAVP, a=crypto lines (usable and not) on the section, security summarized")
    func sdesOffer() {
        let sdp = SDPSession(
            parsing: [
                "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                "m=audio 4000 RTP/SAVP 0 101", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)",
                "a=crypto:2 F8_128_HMAC_SHA1_80 inline:\(Self.key)", "m=audio 4002 RTP/AVP 0", "",
            ].joined(separator: "\r\n")
        )
        #expect(sdp.media[0].crypto.count == 1 && sdp.media[0].cryptoProblems.count == 1)
        let security = sdp.media[0].security
        #expect(security?.profile == .srtp("RTP/SAVP") && security?.keyExchange == .sdes)
        #expect(security?.description == "RTP/SAVP with SDES a=crypto (AES_CM_128_HMAC_SHA1_80, F8_128_HMAC_SHA1_80)")
        #expect(sdp.media[1].security == nil)
    }

    @Test("DTLS-SRTP: a session-level a=fingerprint reaches every section; the keys cannot be in a capture")
    func dtlsOffer() {
        let sdp = SDPSession(
            parsing: [
                "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                "a=fingerprint:SHA-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB",
                "m=audio 4000 UDP/TLS/RTP/SAVPF 111", "a=setup:actpass", "",
            ].joined(separator: "\r\n")
        )
        let security = sdp.media[0].security
        #expect(security?.dtlsFingerprint == "sha-256")
        #expect(security?.keyExchange == .dtls && security?.keyExchange.keysCanBeInCapture == false)
        #expect(security?.description == "UDP/TLS/RTP/SAVPF with a=fingerprint (sha-256, DTLS-SRTP)")
    }

    @Test("ZRTP announced by a=zrtp-hash on a plain RTP/AVP section")
    func zrtpOffer() {
        let sdp = SDPSession(
            parsing: [
                "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0", "m=audio 4000 RTP/AVP 0",
                "a=zrtp-hash:1.10 fe30efd02423cb054e50efd0248742ac7a52c8f91bc2df881ae642c371ba46df", "",
            ].joined(separator: "\r\n")
        )
        #expect(sdp.media[0].security?.keyExchange == .zrtp)
        #expect(sdp.media[0].zrtpHash == "1.10")
    }

    @Test("a hostile body with thousands of a=crypto lines keeps 16 of each kind")
    func boundedLines() {
        let lines = (0..<5000).map { "a=crypto:\($0) AES_CM_128_HMAC_SHA1_80 inline:\(Self.key)" }
        let sdp = SDPSession(parsing: (["m=audio 4000 RTP/SAVP 0"] + lines + ["a=crypto:x"]).joined(separator: "\n"))
        #expect(sdp.media[0].crypto.count == 16 && sdp.media[0].cryptoProblems.count == 1)
    }

    @Test(
        "base64 decoding: padding optional, nothing else tolerated",
        arguments: [
            ("QUJD", [65, 66, 67] as [UInt8]?), ("QUI=", [65, 66]), ("QUI", [65, 66]), ("QQ==", [65]), ("QQ", [65]),
            ("Q", nil), ("QU=I", nil), ("QUJD====", nil), ("QU JD", nil), ("", []),
        ]
    )
    func base64(_ text: String, bytes: [UInt8]?) {
        #expect(Base64Text.decode(text) == bytes)
    }
}

/// Base64 for the tests (the decoder under test is Capture's own).
enum Base64Text {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            var group: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { group |= UInt32(byte) << UInt32(16 - 8 * offset) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int(group >> UInt32(18 - 6 * position) & 63)] : "=")
            }
            index += 3
        }
        return out
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard let key = SRTPMasterKey(base64: Array(text.utf8)) else { return text.isEmpty ? [] : nil }
        return key.withUnsafeBytes { Array($0) }
    }
}
