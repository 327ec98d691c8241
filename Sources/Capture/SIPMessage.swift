/// A SIP message (RFC 3261 §7) carried in one UDP datagram or framed out of a TCP stream
/// (`SIPStreamReassembler`), parsed tolerantly: what the timeline needs to learn payload types and tell caller
/// from callee. SIP over TLS cannot be read from a capture.
public struct SIPMessage: Sendable, Hashable {
    /// The first line: a request or a response.
    public enum StartLine: Sendable, Hashable {
        case request(method: String, uri: String)
        case response(statusCode: Int, reason: String)
    }

    /// One header field, in order of appearance; compact names are expanded (`i` → `Call-ID`).
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    public var startLine: StartLine
    public var headers: [Header]
    /// The body: Content-Length bytes when given (bounded by what the datagram holds), else the rest.
    public var body: [UInt8]

    /// RFC 3261 §7.3.3 compact header forms.
    private static let compactNames: [String: String] = [
        "i": "Call-ID", "f": "From", "t": "To", "m": "Contact", "l": "Content-Length", "c": "Content-Type",
        "v": "Via", "e": "Content-Encoding", "k": "Supported", "s": "Subject", "o": "Event", "r": "Refer-To",
        "u": "Allow-Events", "x": "Session-Expires", "b": "Referred-By", "a": "Accept-Contact",
    ]

    /// Parses a SIP message; throws `.malformedSIP` when there is no valid start line.
    public init(parsing bytes: [UInt8]) throws(CaptureError) {
        // Split head and body at the first empty line (CRLF CRLF, or bare LF LF from sloppy stacks).
        var headEnd = bytes.count
        var bodyStart = bytes.count
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                if index + 1 < bytes.count && bytes[index + 1] == 0x0A {
                    headEnd = index
                    bodyStart = index + 2
                    break
                }
                if index + 2 < bytes.count && bytes[index + 1] == 0x0D && bytes[index + 2] == 0x0A {
                    headEnd = index
                    bodyStart = index + 3
                    break
                }
            }
            index += 1
        }
        let head = String(decoding: bytes[0..<headEnd], as: UTF8.self)
        var lines = head.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        while lines.first?.isEmpty == true { lines.removeFirst() }  // RFC 3261 §7.5: ignore leading CRLFs
        guard let first = lines.first else {
            throw CaptureError(.malformedSIP, expected: "a SIP start line", found: "nothing")
        }
        let parts = first.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        if parts.count >= 2, parts[0] == "SIP/2.0", let code = Int(parts[1]), (100...699).contains(code) {
            startLine = .response(statusCode: code, reason: parts.count == 3 ? String(parts[2]) : "")
        } else if parts.count == 3, parts[2] == "SIP/2.0", parts[0].allSatisfy({ $0.isUppercase || $0 == "-" }) {
            startLine = .request(method: String(parts[0]), uri: String(parts[1]))
        } else {
            throw CaptureError(
                .malformedSIP,
                expected: "a request line or SIP/2.0 status line",
                found: "\"\(first.prefix(60))\""
            )
        }
        var headers = [Header]()
        for line in lines.dropFirst() {
            if line.isEmpty { continue }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                // Line folding (RFC 3261 §7.3.1): a continuation of the previous value.
                headers[headers.count - 1].value += " " + line.trimmed()
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            var name = line[..<colon].trimmed()
            if name.count == 1, let long = Self.compactNames[name.lowercased()] { name = long }
            headers.append(Header(name: name, value: line[line.index(after: colon)...].trimmed()))
        }
        self.headers = headers
        var body = Array(bytes[bodyStart...])
        if let lengthText = headers.first(where: { $0.name.lowercased() == "content-length" })?.value,
            let length = Int(lengthText), length >= 0, length < body.count
        {
            body = Array(body[0..<length])
        }
        self.body = body
    }

    /// True when the bytes look like a SIP message (a status line, or a request line ending in SIP/2.0).
    public static func looksLikeSIP(_ bytes: [UInt8]) -> Bool { PayloadClassifier.isSIP(bytes) }

    /// The first value of a header, by full name, case-insensitively (compact forms were expanded).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public var method: String? {
        if case .request(let method, _) = startLine { return method }
        return nil
    }

    public var statusCode: Int? {
        if case .response(let code, _) = startLine { return code }
        return nil
    }

    public var callID: String? { header("Call-ID") }
    public var from: String? { header("From") }
    public var to: String? { header("To") }
    public var fromTag: String? { from.flatMap(Self.tag) }
    public var toTag: String? { to.flatMap(Self.tag) }
    /// The URI inside From (`sip:alice@example.com`).
    public var fromURI: String? { from.map(Self.uri) }
    public var toURI: String? { to.map(Self.uri) }

    /// CSeq number and method (RFC 3261 §20.16).
    public var cseq: (number: UInt32, method: String)? {
        guard let value = header("CSeq") else { return nil }
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let number = UInt32(parts[0]) else { return nil }
        return (number, String(parts[1]))
    }

    public var contentLength: Int? { header("Content-Length").flatMap { Int($0) } }
    public var contentType: String? { header("Content-Type") }

    /// The SDP body: the body when the content type is application/sdp (or, without a type, when it starts
    /// with "v=0"), or the application/sdp part of a multipart body (RFC 2046 §5.1, as SIP-I/SIP-T send).
    public var sdp: SDPSession? {
        guard !body.isEmpty else { return nil }
        let type = contentType?.lowercased()
        if let type, type.hasPrefix("multipart/") {
            return Self.sdpPart(of: body, contentType: contentType ?? "")
        }
        let isSDP = type.map { $0.hasPrefix("application/sdp") } ?? body.starts(with: Array("v=0".utf8))
        return isSDP ? SDPSession(parsing: body) : nil
    }

    /// Finds the application/sdp part of a multipart body.
    private static func sdpPart(of body: [UInt8], contentType: String) -> SDPSession? {
        let parameters = contentType.split(separator: ";").dropFirst().map { $0.split(separator: "=", maxSplits: 1) }
        guard let parameter = parameters.first(where: { $0.count == 2 && $0[0].trimmed().lowercased() == "boundary" })
        else { return nil }
        var boundary = parameter[1].trimmed()
        if boundary.hasPrefix("\"") && boundary.hasSuffix("\"") && boundary.count >= 2 {
            boundary = String(boundary.dropFirst().dropLast())
        }
        guard !boundary.isEmpty else { return nil }
        let text = String(decoding: body, as: UTF8.self)
        for part in text.split(separator: "--" + boundary) {
            let separator = part.firstRange(of: "\r\n\r\n") ?? part.firstRange(of: "\n\n")
            guard let separator else { continue }
            let headers = part[..<separator.lowerBound].lowercased()
            if headers.contains("content-type:") && headers.contains("application/sdp") {
                return SDPSession(parsing: String(part[separator.upperBound...]))
            }
        }
        return nil
    }

    /// The `tag` parameter of a From/To value, after the closing `>` when there is a name-addr.
    static func tag(_ value: String) -> String? {
        let parameters = value.lastIndex(of: ">").map { value[value.index(after: $0)...] } ?? value[...]
        for parameter in parameters.split(separator: ";").dropFirst(value.contains(">") ? 0 : 1) {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmed().lowercased() == "tag" { return pair[1].trimmed() }
        }
        return nil
    }

    static func uri(_ value: String) -> String {
        if let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            return String(value[value.index(after: open)..<close])
        }
        return value.split(separator: ";").first.map { $0.trimmed() } ?? value
    }
}
