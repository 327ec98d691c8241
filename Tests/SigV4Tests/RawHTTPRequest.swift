import SigV4

/// A request in the test suites' text form (`METHOD target HTTP/1.1`, header lines with folded
/// continuations, a blank line, the body), turned into a `SigV4Request` and back.
struct RawHTTPRequest {
    var request: SigV4Request
    var body: [UInt8]

    init(_ text: [UInt8]) {
        var lines: [String] = []
        var index = 0
        var bodyStart = text.count
        var lineStart = 0
        while index < text.count {
            if text[index] == 0x0a {
                let line = String(decoding: text[lineStart..<index], as: UTF8.self)
                lineStart = index + 1
                if line.isEmpty && !lines.isEmpty {
                    bodyStart = lineStart
                    break
                }
                lines.append(line)
            }
            index += 1
        }
        if bodyStart == text.count && lineStart < text.count {
            lines.append(String(decoding: text[lineStart...], as: UTF8.self))
        }
        body = bodyStart < text.count ? Array(text[bodyStart...]) : []
        let requestLine = lines.first ?? ""
        let method = String(requestLine.prefix { $0 != " " })
        var target = String(requestLine.dropFirst(method.count + 1))
        if target.hasSuffix(" HTTP/1.1") { target.removeLast(" HTTP/1.1".count) }
        var path = target
        var query = ""
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        }
        var headers: [SigV4Request.Header] = []
        for line in lines.dropFirst() {
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(.init(String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        request = SigV4Request(method: method, path: path, query: query, headers: headers)
    }

    /// The request in the same text form; `authorizationSeparator` is ":" (aws-c-auth) or ": " (classic).
    static func render(_ request: SigV4Request, body: [UInt8], authorizationSeparator: String = ":") -> String {
        var text = request.method + " " + request.target + " HTTP/1.1\n"
        for header in request.headers {
            let separator = header.name == "Authorization" ? authorizationSeparator : ":"
            text += header.name + separator + header.value + "\n"
        }
        return text + "\n" + String(decoding: body, as: UTF8.self)
    }
}
