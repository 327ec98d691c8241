/// Where the Runtime API is: `AWS_LAMBDA_RUNTIME_API` (`host:port`).
public struct RuntimeAPIEndpoint: Sendable, Equatable {
    /// `127.0.0.1:9001`.
    public var hostAndPort: String

    public init(_ hostAndPort: String) throws(RecordingError) {
        let trimmed = hostAndPort.trimmingASCIIWhitespace()
        let valid =
            !trimmed.isEmpty
            && trimmed.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "/") && byte != UInt8(ascii: "?")
                    && byte != UInt8(ascii: "#") && byte != UInt8(ascii: "@")
            }
        guard valid else {
            throw RecordingError(
                .configInvalid,
                "AWS_LAMBDA_RUNTIME_API: expected host:port, found \(EnvironmentReader.quoted(hostAndPort))",
                variable: "AWS_LAMBDA_RUNTIME_API"
            )
        }
        self.hostAndPort = trimmed
    }

    /// From `AWS_LAMBDA_RUNTIME_API`.
    public init(environment: [String: String]) throws(RecordingError) {
        guard let value = environment["AWS_LAMBDA_RUNTIME_API"] else {
            throw RecordingError(
                .configInvalid,
                "AWS_LAMBDA_RUNTIME_API: expected host:port, found none set (not running under Lambda?)",
                variable: "AWS_LAMBDA_RUNTIME_API"
            )
        }
        try self.init(value)
    }

    /// `http://host:port/2018-06-01/runtime`.
    public var runtimeBaseURL: String { "http://\(hostAndPort)/2018-06-01/runtime" }
}
