public import SigV4

/// Keeps credentials out of logs and error messages (SPEC §6.5): every occurrence of the secret access key or
/// the session token is replaced by `[REDACTED]` before a line is written.
public struct Redactor: Sendable, Equatable {
    /// The values never to print.
    public var secrets: [String]

    /// Secrets shorter than this are not redacted: replacing every "a" would make logs unreadable, and no AWS
    /// secret (40 characters) or session token (hundreds) is that short.
    public static let minimumSecretLength = 8

    public init(secrets: [String] = []) {
        self.secrets = secrets.filter { $0.utf8.count >= Self.minimumSecretLength }
            .sorted { $0.utf8.count > $1.utf8.count }
    }

    /// The secrets of an environment: `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
    public init(environment: [String: String]) {
        self.init(secrets: ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"].compactMap { environment[$0] })
    }

    /// The secrets of a configuration.
    public init(credentials: AWSCredentials) {
        self.init(secrets: [credentials.secretAccessKey] + (credentials.sessionToken.map { [$0] } ?? []))
    }

    public static let placeholder = "[REDACTED]"

    public func redact(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacing(secret, with: Self.placeholder)
        }
        return text
    }
}
