/// The percent-encoding SigV4 and S3 use (S3 API reference, "Signature Calculations for the Authorization
/// Header", UriEncode): every byte of the UTF-8 form except the unreserved `A-Z a-z 0-9 - _ . ~` becomes
/// `%XY` with uppercase hex; `/` is kept in paths and encoded in query names and values. A space is `%20`,
/// never `+`.
public enum URIEncoding {
    private static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// True for the RFC 3986 §2.3 unreserved characters.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// Encodes bytes; `/` is kept when `keepSlash` (object key paths), encoded otherwise (query components).
    public static func encode(_ bytes: some Sequence<UInt8>, keepSlash: Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(upperDigits[Int(byte >> 4)])
                out.append(upperDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes a string's UTF-8 bytes.
    public static func encode(_ string: String, keepSlash: Bool) -> String {
        encode(string.utf8, keepSlash: keepSlash)
    }

    /// The S3 path of an object: `/` + the key encoded with `/` kept (S3 never normalizes key paths, so
    /// `a//b/../c` stays as it is).
    public static func s3Path(key: String) -> String {
        "/" + encode(key, keepSlash: true)
    }

    /// Decodes `%XY` escapes; a `%` not followed by two hex digits is kept as it is. `+` stays `+`.
    public static func decode(_ string: String) -> [UInt8] {
        let bytes = Array(string.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Hex.value(of: bytes[index + 1]), let low = Hex.value(of: bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}
