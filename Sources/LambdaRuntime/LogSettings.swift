public import Logging

/// How logs are written (SPEC §6.6).
public struct LogSettings: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable {
        /// `timestamp<TAB>requestId<TAB>LEVEL<TAB>message key=value…`, Lambda's plain-text layout.
        case text
        /// One JSON object per line (`AWS_LAMBDA_LOG_FORMAT=JSON`).
        case json
    }

    public var format: Format
    public var level: Logger.Level

    public init(format: Format = .text, level: Logger.Level = .info) {
        self.format = format
        self.level = level
    }

    /// Reads only the logging variables, so the executable can set logging up before the rest of the
    /// configuration is checked (and log the init error itself).
    public init(environment: [String: String]) throws(RecordingError) {
        var reader = EnvironmentReader(environment)
        let settings = reader.logSettings()
        if let error = reader.error {
            throw error
        }
        self = settings
    }
}
