/// The parts of an HTTP request that SigV4 signs, as they go on the wire.
public struct SigV4Request: Sendable, Hashable {
    /// One header line; names keep their case (signing lowercases them), values may hold folded lines.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `GET`, `PUT`, …
    public var method: String
    /// The path as sent, already percent-encoded (for S3, `URIEncoding.s3Path(key:)` after the bucket).
    public var path: String
    /// The query as sent, without `?` (`prefix=a%2Fb&list-type=2`); empty when there is none.
    public var query: String
    /// Header lines in order; `Host` must be one of them.
    public var headers: [Header]

    public init(method: String, path: String, query: String = "", headers: [Header] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }

    /// The value of the first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// Sets a header: replaces the value of the first one with this name (keeping its place), else appends.
    public mutating func setHeader(_ name: String, _ value: String) {
        let lower = name.lowercased()
        if let index = headers.firstIndex(where: { $0.name.lowercased() == lower }) {
            headers[index].value = value
        } else {
            headers.append(Header(name, value))
        }
    }

    /// The path and query as they appear on the request line.
    public var target: String { query.isEmpty ? path : path + "?" + query }
}
