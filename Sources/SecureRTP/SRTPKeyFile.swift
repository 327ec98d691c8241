import Capture

/// The key file of SPEC §2.4 (`--srtp-keys FILE.json`, and the Lambda key object `<capture key>.keys.json`):
///
/// ```json
/// [{"source": "192.0.2.1:4000", "ssrc": "0x12345678", "suite": "AES_CM_128_HMAC_SHA1_80", "key": "<base64>"}]
/// ```
///
/// `source` and `ssrc` are optional (then the key applies to every stream the other matches, or to every stream).
///
/// Read by a purpose-built JSON reader (RFC 8259) rather than Foundation's decoder: it takes exactly this shape
/// and decodes each key straight from the file's bytes into its ``SRTPMasterKey``, so no `String` or intermediate
/// buffer holds a copy that could not be wiped. Errors name the file, the entry and the field, never the key;
/// the caller wipes the file's bytes with ``SRTPMasterKey/wipe(_:)`` once parsed.
public enum SRTPKeyFile {
    /// A key file is small; anything larger is not one.
    public static let maximumSize = 1 << 20
    /// At most this many entries.
    public static let maximumEntries = 4096

    /// The entries of a key file named `name` (a path or an S3 key, for messages).
    public static func parse(_ bytes: [UInt8], name: String) throws(SRTPError) -> [SRTPKeyEntry] {
        guard bytes.count <= maximumSize else {
            throw SRTPError(
                .invalidKeyFile,
                source: name,
                reason: "is \(bytes.count) bytes: a key file is at most 1 MiB"
            )
        }
        var reader = KeyFileReader(bytes: bytes, name: name)
        return try reader.entries()
    }
}

/// The reader behind `SRTPKeyFile`: a JSON array of flat objects whose values are strings (or a number for
/// `ssrc`), each turned into a key entry as it is read.
struct KeyFileReader {
    private let bytes: [UInt8]
    private let name: String
    private var offset = 0

    init(bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    /// The fields of one entry as read, the key already decoded.
    private struct Fields {
        var source: String?
        var ssrc: String?
        var suite: String?
        var key: [UInt8]?
    }

    mutating func entries() throws(SRTPError) -> [SRTPKeyEntry] {
        var entries: [SRTPKeyEntry] = []
        skipSpace()
        try expect(UInt8(ascii: "["), "a JSON list of key objects")
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
        } else {
            while true {
                guard entries.count < SRTPKeyFile.maximumEntries else {
                    throw SRTPError(
                        .invalidKeyFile,
                        source: name,
                        reason: "more than \(SRTPKeyFile.maximumEntries) entries"
                    )
                }
                entries.append(try entry(number: entries.count + 1))
                skipSpace()
                if peek() == UInt8(ascii: ",") {
                    offset += 1
                    skipSpace()
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']' after an entry")
                break
            }
        }
        skipSpace()
        guard offset == bytes.count else { throw syntax("the end of the file after the list") }
        return entries
    }

    /// `{"suite": …, "key": …, "source": …, "ssrc": …}`.
    private mutating func entry(number: Int) throws(SRTPError) -> SRTPKeyEntry {
        let where_ = "\(name) entry \(number)"
        try expect(UInt8(ascii: "{"), "an object for entry \(number)")
        var fields = Fields()
        defer { if fields.key != nil { SRTPMasterKey.wipe(&fields.key!) } }
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
        } else {
            while true {
                skipSpace()
                try member(&fields, entry: where_)
                skipSpace()
                if peek() == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}' in entry \(number)")
                break
            }
        }
        return try Self.build(fields, entry: where_, number: number, file: name)
    }

    /// One `"name": value` pair; known names only, each once.
    private mutating func member(_ fields: inout Fields, entry: String) throws(SRTPError) {
        let field = String(decoding: try string(), as: UTF8.self)
        skipSpace()
        try expect(UInt8(ascii: ":"), "':' after a field name")
        skipSpace()
        func once(_ present: Bool) throws(SRTPError) {
            if present { throw SRTPError(.invalidKeyFile, source: entry, field: field, reason: "appears twice") }
        }
        switch field {
        case "source":
            try once(fields.source != nil)
            fields.source = String(decoding: try string(), as: UTF8.self)
        case "ssrc":
            try once(fields.ssrc != nil)
            fields.ssrc = try ssrcValue()
        case "suite":
            try once(fields.suite != nil)
            fields.suite = String(decoding: try string(), as: UTF8.self)
        case "key":
            try once(fields.key != nil)
            fields.key = try string()
        default:
            // A field name is shown only when it cannot be key material pasted in the wrong place.
            let shown = field.count <= 16 && field.allSatisfy { $0.isASCII && ($0.isLowercase || $0 == "_") }
            throw SRTPError(
                .invalidKeyFile,
                source: entry,
                reason: (shown ? "unknown field \"\(field)\"" : "an unknown field")
                    + " (expected source, ssrc, suite and key)"
            )
        }
    }

    /// The entry from its fields: suite and key required, source and SSRC optional.
    private static func build(
        _ fields: Fields,
        entry: String,
        number: Int,
        file: String
    ) throws(SRTPError)
        -> SRTPKeyEntry
    {
        guard let suiteName = fields.suite else {
            throw SRTPError(.invalidKeyFile, source: entry, field: "suite", reason: "is missing")
        }
        guard let keyText = fields.key else {
            throw SRTPError(.invalidKeyFile, source: entry, field: "key", reason: "is missing")
        }
        let suite = try SRTPKeyOption.suite(suiteName, source: entry, field: "suite")
        let material = try SRTPKeyOption.key(keyText, suite: suite, source: entry, field: "key")
        var scope = SRTPKeyScope.any
        if let source = fields.source {
            guard let endpoint = SRTPKeyOption.endpoint(Substring(source)) else {
                throw SRTPError(
                    .invalidKeyFile,
                    source: entry,
                    field: "source",
                    reason: "expected ip:port or [ipv6]:port"
                )
            }
            scope.source = endpoint
        }
        if let ssrc = fields.ssrc {
            guard let value = SRTPKeyFile.ssrc(ssrc) else {
                throw SRTPError(
                    .invalidKeyFile,
                    source: entry,
                    field: "ssrc",
                    reason: "expected \"0x\" and 1 to 8 hex digits, or a number below 2^32"
                )
            }
            scope.ssrc = value
        }
        return SRTPKeyEntry(
            material: SRTPKeyMaterial(suite: suite, keys: [SRTPKeyParameter(material: material)]),
            scope: scope,
            origin: .keyFile(name: file, entry: number)
        )
    }

    // MARK: JSON tokens (RFC 8259)

    private func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { offset += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(SRTPError) {
        guard peek() == byte else { throw syntax(what) }
        offset += 1
    }

    /// Not JSON of the expected shape: says what was expected and where, not what was there (it may be a key).
    private func syntax(_ expected: String) -> SRTPError {
        SRTPError(.invalidKeyFile, source: name, reason: "expected \(expected) at byte \(offset)")
    }

    /// `ssrc` as a string, or as a JSON integer (its digits as text).
    private mutating func ssrcValue() throws(SRTPError) -> String {
        if peek() == UInt8(ascii: "\"") { return String(decoding: try string(), as: UTF8.self) }
        let start = offset
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), offset - start < 12 {
            offset += 1
        }
        guard offset > start else { throw syntax("a string or a number for \"ssrc\"") }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    /// A JSON string's UTF-8 bytes, escapes resolved (`\/` is common in base64 written by JSON encoders).
    private mutating func string() throws(SRTPError) -> [UInt8] {
        try expect(UInt8(ascii: "\""), "a string")
        var out: [UInt8] = []
        // Room for the longest string up front: a growing array would leave copies of a key in freed memory.
        out.reserveCapacity(4100)
        while let byte = peek() {
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                return out
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0..<0x20:
                SRTPMasterKey.wipe(&out)
                throw syntax("no control character inside a string")
            default:
                out.append(byte)
            }
            guard out.count <= 4096 else {
                SRTPMasterKey.wipe(&out)
                throw syntax("a string of at most 4096 bytes")
            }
        }
        SRTPMasterKey.wipe(&out)
        throw syntax("the end of a string")
    }

    /// The escape after a backslash (RFC 8259 §7), `\uXXXX` with surrogate pairs, as UTF-8.
    private mutating func escape(into out: inout [UInt8]) throws(SRTPError) {
        guard let byte = peek() else { throw syntax("an escape") }
        offset += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let value = simple[byte] {
            out.append(value)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw syntax("a JSON escape") }
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard peek() == UInt8(ascii: "\\"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u") else {
                throw syntax("the low half of a surrogate pair")
            }
            offset += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw syntax("the low half of a surrogate pair") }
            scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw syntax("a Unicode scalar") }
        out += Array(String(Character(unicode)).utf8)
    }

    private mutating func hex4() throws(SRTPError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw syntax("four hex digits") }
        var value: UInt32 = 0
        for byte in bytes[offset..<(offset + 4)] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { throw syntax("four hex digits") }
            value = value << 4 | UInt32(digit)
        }
        offset += 4
        return value
    }
}

extension SRTPKeyFile {
    /// `"0x1a2b3c4d"` (1 to 8 hex digits) or a decimal below 2^32.
    static func ssrc(_ text: String) -> UInt32? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            let digits = text.dropFirst(2)
            guard (1...8).contains(digits.count), digits.allSatisfy(\.isHexDigit) else { return nil }
            return UInt32(digits, radix: 16)
        }
        guard (1...10).contains(text.count), text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        return UInt32(text)
    }
}
