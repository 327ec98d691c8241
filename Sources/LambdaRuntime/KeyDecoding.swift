/// Decoding of object keys as events carry them.
package enum KeyDecoding {
    /// Decodes `application/x-www-form-urlencoded` text (WHATWG URL Standard §5.1 "urlencoded parsing"): `+` is a
    /// space and `%XX` is one byte; the bytes are UTF-8. S3 event notifications encode keys this way (S3 User
    /// Guide, "Event message structure": "The s3 key provides information about the bucket and object involved in
    /// the event. The object key name value is URL encoded"), so `a+b%2Bc` is the key `a b+c`.
    ///
    /// A `%` not followed by two hex digits is kept as it is, as the WHATWG parser does. Returns nil when the
    /// decoded bytes are not UTF-8, since no S3 key can be.
    package static func formURLDecoded(_ text: String) -> String? {
        percentDecoded(text, plusIsSpace: true)
    }

    /// Decodes `%XX` escapes only; `+` stays `+`.
    package static func percentDecoded(_ text: String, plusIsSpace: Bool = false) -> String? {
        let input = Array(text.utf8)
        var output = [UInt8]()
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "+") && plusIsSpace {
                output.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "%"), index + 2 < input.count,
                let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Escapes one URL path segment: every byte but RFC 3986 §2.3 unreserved ones becomes `%XX`. Used for the
    /// request id in Runtime API paths, so an unexpected id can never change the path.
    package static func escapedPathSegment(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                output += "%"
                output.unicodeScalars.append(Unicode.Scalar(digits[Int(byte >> 4)]))
                output.unicodeScalars.append(Unicode.Scalar(digits[Int(byte & 0x0F)]))
            }
        }
        return output
    }
}
