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
}
