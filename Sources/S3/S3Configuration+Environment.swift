import SigV4

extension S3Configuration {
    /// Why an environment cannot configure S3; `variable` names the culprit (never its secret value).
    public struct EnvironmentError: Error, Sendable, CustomStringConvertible {
        public var variable: String
        public var reason: String
        public var description: String { "\(variable): \(reason)" }
    }

    /// The configuration the AWS SDKs would build from these variables (passed in by the executable; libraries
    /// never read the process environment): `AWS_REGION` or `AWS_DEFAULT_REGION` (default `us-east-1`),
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, and `AWS_ENDPOINT_URL_S3` or
    /// `AWS_ENDPOINT_URL` for a custom endpoint (path-style addressing).
    public init(environment: [String: String]) throws(EnvironmentError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1"
        guard region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw EnvironmentError(
                variable: "AWS_REGION",
                reason: "expected a region name like eu-west-1, found \"\(region)\""
            )
        }
        guard let accessKey = value("AWS_ACCESS_KEY_ID") else {
            throw EnvironmentError(
                variable: "AWS_ACCESS_KEY_ID",
                reason: "not set (credentials come from the environment)"
            )
        }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw EnvironmentError(variable: "AWS_SECRET_ACCESS_KEY", reason: "not set")
        }
        var endpoint: String?
        for name in ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"] {
            guard let url = value(name) else { continue }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw EnvironmentError(variable: name, reason: "expected an http:// or https:// URL, found \"\(url)\"")
            }
            endpoint = url
            break
        }
        self.init(
            region: region,
            credentials: AWSCredentials(
                accessKeyID: accessKey,
                secretAccessKey: secret,
                sessionToken: value("AWS_SESSION_TOKEN")
            ),
            endpoint: endpoint
        )
    }
}

/// An `s3://bucket/key` address.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    public var key: String

    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket/key`; nil for anything else (or an empty bucket or key).
    public init?(url: String) {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let bucket = String(rest[..<slash])
        let key = String(rest[rest.index(after: slash)...])
        guard !bucket.isEmpty, !key.isEmpty else { return nil }
        self.init(bucket: bucket, key: key)
    }

    public var description: String { "s3://\(bucket)/\(key)" }
}
