public import S3

/// Where a capture or an output is: a local path or an S3 object (`s3://bucket/key`, SPEC §5).
public enum Location: Sendable, Hashable, CustomStringConvertible {
    case file(String)
    case s3(S3Location)

    /// `s3://bucket/key` is an S3 object; anything else is a path.
    public init(_ text: String) {
        self = S3Location(url: text).map(Location.s3) ?? .file(text)
    }

    /// The path or `s3://bucket/key`: how messages and the report name it.
    public var description: String {
        switch self {
        case .file(let path): path
        case .s3(let object): object.description
        }
    }

    package var isS3: Bool {
        if case .s3 = self { return true }
        return false
    }

    /// The same place with `suffix` added to the name before its extension (after the last `/`), or at the end
    /// when the name has none.
    public func suffixed(_ suffix: String) -> Location {
        switch self {
        case .file(let path): .file(Self.insert(suffix, into: path))
        case .s3(let object): .s3(S3Location(bucket: object.bucket, key: Self.insert(suffix, into: object.key)))
        }
    }

    private static func insert(_ suffix: String, into path: String) -> String {
        let name = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[name...].lastIndex(of: "."), dot > name else { return path + suffix }
        return String(path[..<dot]) + suffix + String(path[dot...])
    }
}
