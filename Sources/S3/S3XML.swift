/// A tiny XML reader for S3's simple response documents (errors, listings, multipart results): elements,
/// attributes skipped, text with the five predefined entities and numeric character references, CDATA,
/// comments and the XML declaration. Never traps: malformed input gives nil.
struct S3XML: Sendable, Hashable {
    var name: String
    var text: String
    var children: [S3XML]

    /// The first child with this name.
    func child(_ name: String) -> S3XML? { children.first { $0.name == name } }

    /// Every child with this name.
    func children(_ name: String) -> [S3XML] { children.filter { $0.name == name } }

    /// The text of the first child with this name.
    func value(_ name: String) -> String? { child(name)?.text }

    /// Parses a document; nil when it is not well-formed enough to read (or nests deeper than 64 levels).
    static func parse(_ bytes: [UInt8]) -> S3XML? {
        var parser = Parser(bytes: bytes)
        return parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() -> S3XML? {
            skipMisc()
            guard let root = element(depth: 0) else { return nil }
            return root
        }

        /// Skips whitespace, the XML declaration, processing instructions, comments and a DOCTYPE.
        mutating func skipMisc() {
            while index < bytes.count {
                if isSpace(bytes[index]) {
                    index += 1
                } else if starts(with: "<?") {
                    skip(past: "?>")
                } else if starts(with: "<!--") {
                    skip(past: "-->")
                } else if starts(with: "<!") {
                    skip(past: ">")
                } else {
                    return
                }
            }
        }

        mutating func element(depth: Int) -> S3XML? {
            guard depth < 64, index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
            index += 1
            let nameStart = index
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"),
                bytes[index] != UInt8(ascii: "/")
            {
                index += 1
            }
            guard index > nameStart else { return nil }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            // Attributes (xmlns on the root) carry nothing S3 clients need: skip to the end of the tag.
            var quote: UInt8? = nil
            while index < bytes.count {
                let byte = bytes[index]
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    break
                }
                index += 1
            }
            guard index < bytes.count else { return nil }
            if bytes[index - 1] == UInt8(ascii: "/") {
                index += 1
                return S3XML(name: name, text: "", children: [])
            }
            index += 1
            var text: [UInt8] = []
            var children: [S3XML] = []
            while index < bytes.count {
                if starts(with: "</") {
                    index += 2
                    let closeStart = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                    guard index < bytes.count else { return nil }
                    let closing = String(decoding: bytes[closeStart..<index], as: UTF8.self)
                    index += 1
                    guard closing.trimmingSpaces == name else { return nil }
                    return S3XML(name: name, text: String(decoding: text, as: UTF8.self), children: children)
                } else if starts(with: "<![CDATA[") {
                    index += 9
                    let start = index
                    skip(past: "]]>")
                    text += bytes[start..<max(start, index - 3)]
                } else if starts(with: "<!--") || starts(with: "<?") {
                    skip(past: starts(with: "<?") ? "?>" : "-->")
                } else if bytes[index] == UInt8(ascii: "<") {
                    guard let child = element(depth: depth + 1) else { return nil }
                    children.append(child)
                } else if bytes[index] == UInt8(ascii: "&") {
                    guard let decoded = entity() else { return nil }
                    text += decoded
                } else {
                    text.append(bytes[index])
                    index += 1
                }
            }
            return nil
        }

        /// Decodes `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` `&#xNN;` at `index`.
        mutating func entity() -> [UInt8]? {
            guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return nil }
            let body = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            index = end + 1
            switch body {
            case "amp": return [UInt8(ascii: "&")]
            case "lt": return [UInt8(ascii: "<")]
            case "gt": return [UInt8(ascii: ">")]
            case "quot": return [UInt8(ascii: "\"")]
            case "apos": return [UInt8(ascii: "'")]
            default:
                guard body.hasPrefix("#") else { return nil }
                let digits = body.dropFirst()
                let value =
                    digits.hasPrefix("x") || digits.hasPrefix("X")
                    ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let value, let scalar = Unicode.Scalar(value) else { return nil }
                return Array(String(Character(scalar)).utf8)
            }
        }

        func starts(with prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            return prefix.withUTF8Buffer { pattern in
                for offset in 0..<count where bytes[index + offset] != pattern[offset] { return false }
                return true
            }
        }

        mutating func skip(past terminator: StaticString) {
            while index < bytes.count {
                if starts(with: terminator) {
                    index += terminator.utf8CodeUnitCount
                    return
                }
                index += 1
            }
        }

        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
