/// HMAC-SHA256 (RFC 2104, with SHA-256 as H; test vectors in RFC 4231).
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: some Sequence<UInt8>, key: some Sequence<UInt8>) -> [UInt8] {
        // RFC 2104 §2: keys longer than the block size (64 bytes) are hashed first, shorter ones zero-padded.
        var block = Array(key)
        if block.count > 64 { block = SHA256.hash(block) }
        block.append(contentsOf: repeatElement(0, count: 64 - block.count))
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// The authentication code of a string's UTF-8 bytes.
    public static func authenticationCode(for message: String, key: some Sequence<UInt8>) -> [UInt8] {
        authenticationCode(for: Array(message.utf8), key: key)
    }
}
