import SigV4
import Testing

@Suite("SHA-256, HMAC-SHA256, hex and base64")
struct SHA256Tests {
    // Proves the compression function and padding against the FIPS 180-2 Appendix B / NIST CAVP examples,
    // including a message whose padding spills into a second block (448 bits) and the million-byte case.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(Hex.encode(SHA256.hash(message)) == digest)
    }

    // Proves the million-"a" NIST vector, fed in uneven pieces so block boundaries fall inside updates.
    @Test func millionAsStreamed() {
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        var hasher = SHA256()
        var fed = 0
        var size = 1
        while fed < 1_000_000 {
            let take = min(size, 1_000_000 - fed, chunk.count)
            hasher.update(chunk[0..<take])
            fed += take
            size = size % 997 + 13
        }
        #expect(Hex.encode(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let whole = SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(Hex.encode(whole) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    // Proves that every split of a message gives the digest of the whole (partial-block buffering).
    @Test func everySplitMatches() {
        let message = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(message[0..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == expected, "split at \(split)")
        }
    }

    // Proves the million-"a" NIST vector read piece by piece from offsets, in pieces of uneven sizes, and that a
    // reader's error comes out as it is.
    @Test func hashOfPieces() {
        struct Stop: Error {}
        let digest = SHA256.hash(size: 1_000_000) { offset in
            [UInt8](repeating: UInt8(ascii: "a"), count: min(offset % 997 + 13, 1_000_000 - offset))
        }
        #expect(Hex.encode(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hash(size: 0) { _ in [] } == SHA256.hash([UInt8]()))
        #expect(throws: Stop.self) {
            try SHA256.hash(size: 100) { (offset) throws(Stop) in
                guard offset < 64 else { throw Stop() }
                return [UInt8](repeating: 0, count: 64)
            }
        }
    }

    // Proves HMAC-SHA256 against RFC 4231 §4.2–4.8 (test case 5 compares the truncated 128 bits).
    @Test(arguments: [
        (
            [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            Array(1...25), [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        ([UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8), "a3b6167473100ee06e0c796c2955552b"),
        (
            [UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            [UInt8](repeating: 0xaa, count: 131),
            Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. The key needs"
                    + " to be hashed before being used by the HMAC algorithm.").utf8
            ),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ])
    func rfc4231(key: [UInt8], data: [UInt8], mac: String) {
        let code = Hex.encode(HMACSHA256.authenticationCode(for: data, key: key))
        #expect(code.hasPrefix(mac))
    }

    // Proves base64 against the RFC 4648 §10 vectors (every padding case).
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func base64(text: String, encoded: String) {
        #expect(Base64.encode(Array(text.utf8)) == encoded)
    }

    // Proves hex round-trips and rejects malformed text instead of trapping.
    @Test func hexRoundTrip() {
        let bytes: [UInt8] = [0x00, 0x7f, 0x80, 0xff, 0x12]
        #expect(Hex.encode(bytes) == "007f80ff12")
        #expect(Hex.decode("007F80ff12") == bytes)
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
