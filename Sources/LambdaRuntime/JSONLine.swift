/// Writes JSON text by hand for log lines and metric records: fields in a fixed order (readable, stable in
/// tests) and no encoder set up per line.
struct JSONLine {
    private(set) var text = "{"
    private var first = true

    /// JSON string literal (RFC 8259 §7): `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`.
    static func quoted(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A JSON number; non-finite values (not representable in JSON) are written as 0.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }

    mutating func raw(_ key: String, _ json: String) {
        text += (first ? "" : ",") + Self.quoted(key) + ":" + json
        first = false
    }

    mutating func string(_ key: String, _ value: String) {
        raw(key, Self.quoted(value))
    }

    mutating func number(_ key: String, _ value: Double) {
        raw(key, Self.number(value))
    }

    mutating func integer(_ key: String, _ value: Int64) {
        raw(key, String(value))
    }

    func closed() -> String {
        text + "}"
    }
}
