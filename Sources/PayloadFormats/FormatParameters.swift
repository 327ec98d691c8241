/// The parameters of an SDP `a=fmtp` line (RFC 8866 §6.15): `name=value` pairs separated by `;`
/// (`octet-align=1; mode-set=0,2,5,7`), names compared case-insensitively. Entries without `=` (telephone-event's
/// `0-16`) are kept by name with an empty value.
public struct FormatParameters: Sendable, Hashable {
    /// Values by lowercased name, trimmed.
    public private(set) var values: [String: String] = [:]

    /// No parameters.
    public init() {}

    /// Parses the part of an `a=fmtp` line after the payload type.
    public init(parsing text: some StringProtocol) {
        for entry in text.split(separator: ";") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard let name = parts.first.map(trimmed), !name.isEmpty else { continue }
            values[name.lowercased()] = parts.count == 2 ? trimmed(parts[1]) : ""
        }
    }

    /// The value of a parameter, or nil.
    public subscript(_ name: String) -> String? { values[name.lowercased()] }

    /// A flag parameter: `1` (or `yes`) is true, `0` (or `no`) false, anything else or absent nil.
    public func flag(_ name: String) -> Bool? {
        switch self[name]?.lowercased() {
        case "1", "yes": true
        case "0", "no": false
        default: nil
        }
    }

    /// A comma-separated list of integers (`mode-set=0,2,5,7`), or nil when absent or not a list of integers.
    public func integers(_ name: String) -> [Int]? {
        guard let value = self[name] else { return nil }
        let items = value.split(separator: ",").map { Int(trimmed($0)) }
        guard !items.isEmpty, items.allSatisfy({ $0 != nil }) else { return nil }
        return items.compactMap { $0 }
    }
}

private func trimmed(_ text: some StringProtocol) -> String {
    let characters = Array(text)
    var start = 0
    var end = characters.count
    while start < end, characters[start].isWhitespace { start += 1 }
    while end > start, characters[end - 1].isWhitespace { end -= 1 }
    return String(characters[start..<end])
}
