import Capture
import SecureRTP
import TestSupport
import Testing

/// `--srtp-key [SOURCE=]SUITE:BASE64` and the key file of SPEC §2.4: what they accept, and errors that name the
/// option, file, entry and field without the key.
@Suite struct SRTPKeyParsingTests {
    static let key = "aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz"
    static let key256 = SRTPCallWriter.base64([UInt8](repeating: 0x42, count: 46))

    @Test(
        "--srtp-key forms: no source, ip:port, [ipv6]:port, 0xSSRC; suite names case-insensitive",
        arguments: [
            ("AES_CM_128_HMAC_SHA1_80:\(key)", SRTPKeyScope.any),
            ("aes_cm_128_hmac_sha1_80:\(key)", .any),
            (
                "10.0.0.1:4000=AES_CM_128_HMAC_SHA1_80:\(key)",
                SRTPKeyScope(source: Endpoint(address: IPAddress(ipv4: 10, 0, 0, 1), port: 4000))
            ),
            (
                "[2001:db8::1]:4000=AES_CM_128_HMAC_SHA1_80:\(key)",
                SRTPKeyScope(source: Endpoint(address: IPAddress("2001:db8::1")!, port: 4000))
            ),
            ("0x1234ABCD=AES_CM_128_HMAC_SHA1_80:\(key)", SRTPKeyScope(ssrc: 0x1234_ABCD)),
        ]
    )
    func optionForms(_ text: String, scope: SRTPKeyScope) throws {
        let entry = try SRTPKeyOption.parse(text, index: 3)
        #expect(entry.scope == scope)
        #expect(entry.suite == .aes128HMACSHA1_80)
        #expect(entry.origin == .option(index: 3) && entry.origin.kind == "option")
        #expect(entry.material.keys.first?.material == SRTPMasterKey(base64: Array(Self.key.utf8)))
    }

    @Test(
        "--srtp-key errors name the option and the problem, never the key",
        arguments: [
            ("\(key)", SRTPError.Code.invalidKeyOption, "expected [SOURCE=]SUITE:BASE64"),
            ("AES_CM_128_HMAC_SHA1_81:\(key)", .unsupportedSuite, "unknown crypto suite \"AES_CM_128_HMAC_SHA1_81\""),
            ("10.0.0.1=AES_CM_128_HMAC_SHA1_80:\(key)", .invalidKeyOption, "expected ip:port, [ipv6]:port or 0xSSRC"),
            ("10.0.0.1:0=AES_CM_128_HMAC_SHA1_80:\(key)", .invalidKeyOption, "expected ip:port"),
            ("0x+1=AES_CM_128_HMAC_SHA1_80:\(key)", .invalidKeyOption, "expected 0x and 1 to 8 hex digits"),
            ("0x123456789=AES_CM_128_HMAC_SHA1_80:\(key)", .invalidKeyOption, "expected 0x and 1 to 8 hex digits"),
            ("10.0.0.1:4000=\(key)", .invalidKeyOption, "expected SUITE:BASE64"),
            ("AES_CM_128_HMAC_SHA1_80:\(key)!", .invalidKey, "not base64"),
            ("AES_256_CM_HMAC_SHA1_80:\(key)", .invalidKey, "the key is 30 bytes; AES_256_CM_HMAC_SHA1_80 needs 46"),
            ("AEAD_AES_128_GCM:\(key)", .invalidKey, "needs 28 (16-byte master key followed by 12-byte salt)"),
        ]
    )
    func optionErrors(_ text: String, code: SRTPError.Code, reason: String) {
        do {
            _ = try SRTPKeyOption.parse(text, index: 2)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.code == code)
            #expect(error.description.hasPrefix("--srtp-key #2: "))
            #expect(error.description.contains(reason), "\(error)")
            #expect(!error.description.contains(Self.key.prefix(10)))
        }
    }

    @Test("a key file with every field, SSRC as hex and as a number, an escaped slash, and an entry of each scope")
    func keyFile() throws {
        let text = """
            [
              {"source": "192.0.2.1:4000", "ssrc": "0x00001234", "suite": "AES_CM_128_HMAC_SHA1_80", "key": "\(Self.key)"},
              {"ssrc": 4660, "suite": "AES_256_CM_HMAC_SHA1_32", "key": "\(Self.key256.replacingOccurrences(of: "/", with: "\\/"))"},
              {"suite": "AEAD_AES_128_GCM", "key": "\(SRTPCallWriter.base64([UInt8](repeating: 1, count: 28)))"}
            ]
            """
        let entries = try SRTPKeyFile.parse(Array(text.utf8), name: "call.keys.json")
        #expect(entries.map(\.suite) == [.aes128HMACSHA1_80, .aes256HMACSHA1_32, .aeadAES128GCM])
        #expect(
            entries[0].scope
                == SRTPKeyScope(source: Endpoint(address: IPAddress(ipv4: 192, 0, 2, 1), port: 4000), ssrc: 0x1234)
        )
        #expect(entries[1].scope == SRTPKeyScope(ssrc: 0x1234) && entries[2].scope == .any)
        #expect(entries.map(\.origin) == (1...3).map { .keyFile(name: "call.keys.json", entry: $0) })
        #expect(entries[1].material.keys[0].material == SRTPMasterKey(base64: Array(Self.key256.utf8)))
    }

    @Test("an empty list is no keys", arguments: ["[]", " [ ] \n"])
    func emptyKeyFile(_ text: String) throws {
        #expect(try SRTPKeyFile.parse(Array(text.utf8), name: "k.json").isEmpty)
    }

    @Test(
        "key file errors name the file, the entry and the field, never the key",
        arguments: [
            ("{}", "k.json: expected a JSON list of key objects at byte 0"),
            ("[1]", "k.json: expected an object for entry 1 at byte 1"),
            ("[{\"key\": \"KEY\"}]", "k.json entry 1: field \"suite\": is missing"),
            ("[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\"}]", "k.json entry 1: field \"key\": is missing"),
            (
                "[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY\", \"sorce\": \"1.2.3.4:5\"}]",
                "k.json entry 1: unknown field \"sorce\""
            ),
            ("[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"KEY\": 1}]", "k.json entry 1: an unknown field"),
            ("[{\"suite\": \"X\", \"suite\": \"Y\"}]", "k.json entry 1: field \"suite\": appears twice"),
            (
                "[{\"source\": \"1.2.3.4\", \"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY\"}]",
                "k.json entry 1: field \"source\": expected ip:port"
            ),
            (
                "[{\"ssrc\": \"0xZZ\", \"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY\"}]",
                "k.json entry 1: field \"ssrc\": expected"
            ),
            (
                "[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY\"}, {\"suite\": \"NOPE\", \"key\": \"KEY\"}]",
                "k.json entry 2: field \"suite\": unknown crypto suite"
            ),
            (
                "[{\"suite\": \"AES_256_CM_HMAC_SHA1_80\", \"key\": \"KEY\"}]",
                "k.json entry 1: field \"key\": the key is 30 bytes"
            ),
            (
                "[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY?\"}]",
                "k.json entry 1: field \"key\": the key is not base64"
            ),
            (
                "[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY\"}] x",
                "k.json: expected the end of the file after the list"
            ),
            ("[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY", "k.json: expected the end of a string"),
            ("[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY\n\"}]", "k.json: expected no control character"),
            ("[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY\\u12\"}]", "k.json: expected four hex digits"),
            (
                "[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"KEY\" \"x\"}]",
                "k.json: expected ',' or '}' in entry 1"
            ),
            ("[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": true}]", "k.json: expected a string at byte"),
        ]
    )
    func keyFileErrors(_ text: String, message: String) {
        do {
            _ = try SRTPKeyFile.parse(Array(text.replacingOccurrences(of: "KEY", with: Self.key).utf8), name: "k.json")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.code == .invalidKeyFile || error.code == .invalidKey || error.code == .unsupportedSuite)
            #expect(error.description.hasPrefix(message), "\(error)")
            #expect(!error.description.contains(Self.key.prefix(10)))
        }
    }

    @Test("a key file over 1 MiB is refused before it is read")
    func oversizedKeyFile() {
        #expect(throws: SRTPError.self) {
            try SRTPKeyFile.parse([UInt8](repeating: 0x20, count: (1 << 20) + 1), name: "big.json")
        }
    }

    @Test(
        "nested or endless input ends in an error, not a trap",
        arguments: [
            String(repeating: "[", count: 10_000), "[" + String(repeating: "{}, ", count: 5000) + "{}]", "[\"",
        ]
    )
    func hostileKeyFiles(_ text: String) {
        #expect(throws: SRTPError.self) { try SRTPKeyFile.parse(Array(text.utf8), name: "h.json") }
    }
}
