import Capture
import SecureRTP
import TestSupport
import Testing

/// Keys are secrets (SPEC §2.4): nothing that holds one shows it — not `description`, not `debugDescription`, not
/// `dump`, not an error message — in base64, hex or decimal.
@Suite struct SRTPKeySecrecyTests {
    static let key = "aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz"
    static var bytes: [UInt8] { SRTPMasterKey(base64: Array(key.utf8))!.withUnsafeBytes { Array($0) } }

    /// Every way a value may be printed.
    static func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped]
    }

    /// The key's forms that must never appear: base64 (and any 12 characters of it), hex, decimal bytes.
    static func leaks(_ text: String) -> [String] {
        var forms = [key, String(key.prefix(12)), String(key.suffix(12))]
        forms.append(bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        forms.append(bytes.prefix(4).map(String.init).joined(separator: ", "))
        forms.append(bytes.prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " "))
        return forms.filter { text.lowercased().contains($0.lowercased()) }
    }

    /// Objects holding the key, built every way a key arrives.
    static func holders() throws -> [(String, Any)] {
        let sdpText = [
            "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0", "m=audio 4000 RTP/SAVP 8",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(key)|2^20|1:4 FEC_KEY=inline:\(key)", "",
        ].joined(separator: "\r\n")
        let sdp = SDPSession(parsing: sdpText)
        let crypto = try SDPCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:\(key)").get()
        let option = try SRTPKeyOption.parse("10.0.0.1:4000=AES_CM_128_HMAC_SHA1_80:\(key)", index: 1)
        let file = try SRTPKeyFile.parse(
            Array("[{\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"\(key)\"}]".utf8),
            name: "k.json"
        )
        var ring = SRTPKeyRing([option] + file)
        ring.add(sdp: sdp, packetNumber: 3)
        let unprotector = SRTPUnprotector(keys: ring)
        let datagram = UDPDatagram(
            timestamp: 0,
            packetNumber: 4,
            source: Endpoint(address: IPAddress(ipv4: 192, 0, 2, 1), port: 4000),
            destination: Endpoint(address: IPAddress(ipv4: 192, 0, 2, 2), port: 4000),
            payload: [0x80, 8, 0, 1, 0, 0, 0, 160, 0, 0, 0, 1] + [UInt8](repeating: 0xD5, count: 170)
        )
        let verdict = unprotector.unprotect(datagram)
        return [
            ("SRTPMasterKey", SRTPMasterKey(base64: Array(key.utf8))!), ("SDPCrypto", crypto),
            ("SRTPKeyParameter", crypto.keys[0]), ("SDPSession", sdp), ("SDPMedia", sdp.media[0]),
            ("SRTPKeyMaterial", option.material), ("SRTPKeyEntry (option)", option), ("SRTPKeyEntry (file)", file[0]),
            ("SRTPKeyRing", ring), ("SRTPUnprotector", unprotector), ("statistics", unprotector.statistics),
            ("verdict", verdict), ("keys of the unprotector", unprotector.keys),
        ]
    }

    @Test("no description, debug description or dump of anything holding a key shows it")
    func nothingShowsTheKey() throws {
        for (name, value) in try Self.holders() {
            for text in Self.renderings(value) {
                #expect(Self.leaks(text).isEmpty, "\(name) shows the key: \(text.prefix(200))")
            }
        }
    }

    @Test("errors about a key never show it: wrong length, wrong suite, broken key files, libsrtp refusals")
    func errorsDoNotShowTheKey() {
        let attempts: [() throws -> Any] = [
            { try SRTPKeyOption.parse("AES_256_CM_HMAC_SHA1_80:\(Self.key)", index: 1) },
            { try SRTPKeyOption.parse("NOPE:\(Self.key)", index: 1) },
            { try SRTPKeyOption.parse("\(Self.key)=AES_CM_128_HMAC_SHA1_80:\(Self.key)", index: 1) },
            { try SRTPKeyFile.parse(Array("[{\"\(Self.key)\": 1}]".utf8), name: "k.json") },
            {
                try SRTPKeyFile.parse(Array("[{\"suite\": \"\(Self.key)\", \"key\": \"\(Self.key)\"}]".utf8), name: "k")
            },
            {
                try SRTPKeyFile.parse(
                    Array("[{\"source\": \"\(Self.key)\", \"key\": \"\(Self.key)\"}]".utf8),
                    name: "k"
                )
            },
            { try SRTPKeyFile.parse(Array("[\"\(Self.key)\"]".utf8), name: "k.json") },
            { try SDPCrypto.parse("1 AES_256_CM_HMAC_SHA1_80 inline:\(Self.key)").get() },
        ]
        for attempt in attempts {
            do {
                _ = try attempt()
                Issue.record("accepted")
            } catch {
                for text in Self.renderings(error) { #expect(Self.leaks(text).isEmpty, "\(text.prefix(200))") }
            }
        }
    }
}
