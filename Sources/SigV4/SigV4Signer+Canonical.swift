// Task 1 of SigV4: the canonical request (AWS General Reference, "Create a canonical request"; the S3 variant
// in the S3 API reference, sig-v4-header-based-auth).
extension SigV4Signer {
    /// The canonical request of `request` and its signed-header list, leaving out headers named in `excluding`
    /// (lowercase).
    public func canonicalRequest(
        _ request: SigV4Request,
        payloadHash: String,
        excluding: Set<String> = ["authorization"]
    ) -> (canonicalRequest: String, signedHeaders: String) {
        let headers = canonicalHeaders(request, excluding: excluding)
        let signedHeaders = headers.map(\.name).joined(separator: ";")
        var text = request.method + "\n"
        text += canonicalURI(request.path) + "\n"
        text += Self.canonicalQuery(request.query) + "\n"
        for header in headers { text += header.name + ":" + header.value + "\n" }
        text += "\n" + signedHeaders + "\n" + payloadHash
        return (text, signedHeaders)
    }

    /// The canonical URI: for S3 the path as sent; otherwise normalized (RFC 3986 §5.2.4 dot segments, empty
    /// segments dropped) when asked and then percent-encoded again (the generic "double encoding").
    public func canonicalURI(_ path: String) -> String {
        switch flavor {
        case .s3:
            return path.isEmpty ? "/" : path
        case .generic(let normalizesPath, _):
            let normalized = normalizesPath ? Self.normalize(path) : (path.isEmpty ? "/" : path)
            return URIEncoding.encode(normalized, keepSlash: true)
        }
    }

    /// The canonical query: each `name=value` pair decoded then encoded with the strict rule, sorted by name
    /// then value (byte order); a name without `=` gets an empty value (`?lifecycle` → `lifecycle=`).
    public static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                name = part
                value = ""
            }
            pairs.append(
                (
                    URIEncoding.encode(URIEncoding.decode(String(name)), keepSlash: false),
                    URIEncoding.encode(URIEncoding.decode(String(value)), keepSlash: false)
                )
            )
        }
        pairs.sort { lhs, rhs in
            lhs.0 == rhs.0
                ? Array(lhs.1.utf8).lexicographicallyPrecedes(rhs.1.utf8)
                : Array(lhs.0.utf8).lexicographicallyPrecedes(rhs.0.utf8)
        }
        return pairs.map { $0.0 + "=" + $0.1 }.joined(separator: "&")
    }

    /// The lowercased, sorted header names that `canonicalRequest` signs.
    func signedHeaderNames(_ request: SigV4Request, excluding: Set<String>) -> [String] {
        canonicalHeaders(request, excluding: excluding).map(\.name)
    }

    /// Lowercased names, sorted; values trimmed with inner whitespace runs (folded lines too) made one space;
    /// repeated headers joined with `,` in order of appearance.
    func canonicalHeaders(_ request: SigV4Request, excluding: Set<String>) -> [SigV4Request.Header] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            if excluding.contains(name) { continue }
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(Self.trimmedValue(header.value))
        }
        return order.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }.map {
            SigV4Request.Header($0, values[$0]!.joined(separator: ","))
        }
    }

    static func trimmedValue(_ value: String) -> String {
        var out = [UInt8]()
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        var result = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/") && !segments.isEmpty { result += "/" }
        return result
    }
}
