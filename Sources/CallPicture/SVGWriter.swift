/// Builds SVG text with fixed number formatting, so equal pictures are equal bytes whatever the platform: numbers
/// are written from integers (one decimal at most), never through a locale or a float printer.
struct SVGWriter {
    private(set) var text = ""

    init() {
        text.reserveCapacity(64 * 1024)
    }

    /// Appends raw markup.
    mutating func raw(_ markup: String) {
        text += markup
    }

    /// Appends `value` with at most one decimal (`12`, `12.5`, `-0.4`); NaN and infinities as 0.
    mutating func number(_ value: Double) {
        text += Self.format(value)
    }

    /// `value` with at most one decimal.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((min(max(value, -1e9), 1e9) * 10).rounded())
        let whole = tenths.magnitude / 10
        let fraction = tenths.magnitude % 10
        let sign = tenths < 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// `value` with exactly `decimals` decimals (for labels: `4.37`, `0.50`).
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((min(max(value, -1e12), 1e12) * Double(scale)).rounded())
        let whole = scaled.magnitude / UInt(scale)
        var fraction = String(scaled.magnitude % UInt(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        let sign = scaled < 0 ? "−" : ""
        return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// Text content or an attribute value made safe: the five XML specials escaped, control characters (which
    /// XML 1.0 forbids) dropped, and cut to `limit` characters with an ellipsis.
    static func escaped(_ value: String, limit: Int = 120) -> String {
        var result = ""
        var count = 0
        for character in value {
            if count == limit {
                result += "…"
                break
            }
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default:
                if character.unicodeScalars.contains(where: Self.isForbidden) { continue }
                result.append(character)
            }
            count += 1
        }
        return result
    }

    /// Characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF), and C1 controls and DEL, which no label needs.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) || scalar.value == 0xFFFE
            || scalar.value == 0xFFFF
    }
}
