public import Logging

/// The function's swift-log handler (SPEC §6.6). Plain text by default, Lambda's layout:
/// `2026-11-29T06:50:00.123Z<TAB>requestId<TAB>INFO<TAB>message key=value…`; with `AWS_LAMBDA_LOG_FORMAT=JSON`
/// one object per line: `{"timestamp","level","message","requestId",…metadata}`. The `aws.request_id`
/// metadata becomes `requestId`. Every line passes through the `Redactor` before it is written.
public struct LambdaLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level

    let label: String
    let format: LogSettings.Format
    let redactor: Redactor
    let clock: any EpochClock
    let sink: @Sendable (String) -> Void

    /// The metadata key that carries the request id.
    public static let requestIDKey = "aws.request_id"

    public init(
        label: String,
        settings: LogSettings,
        redactor: Redactor,
        clock: any EpochClock = SystemEpochClock(),
        sink: @escaping @Sendable (String) -> Void = StandardOutput.writeLine
    ) {
        self.label = label
        self.format = settings.format
        self.logLevel = settings.level
        self.redactor = redactor
        self.clock = clock
        self.sink = sink
    }

    /// For `LoggingSystem.bootstrap`, called once by the executable.
    public static func factory(
        settings: LogSettings,
        redactor: Redactor,
        sink: @escaping @Sendable (String) -> Void = StandardOutput.writeLine
    ) -> @Sendable (String) -> any LogHandler {
        { label in LambdaLogHandler(label: label, settings: settings, redactor: redactor, sink: sink) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() {
            fields.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata {
            fields.merge(explicit) { _, new in new }
        }
        if let error = event.error, fields["error"] == nil {
            fields["error"] = "\(error)"
        }
        let level = event.level
        let message = event.message
        let requestID = fields.removeValue(forKey: Self.requestIDKey).map { "\($0)" }
        let timestamp = RFC3339.format(epochMilliseconds: clock.nowMilliseconds())
        let text: String
        switch format {
        case .text:
            var line = "\(timestamp)\t\(requestID ?? "-")\t\(Self.levelName(level))\t\(message)"
            for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
                line += " \(key)=\(Self.plain(value))"
            }
            text = line
        case .json:
            var json = JSONLine()
            json.string("timestamp", timestamp)
            json.string("level", Self.levelName(level))
            json.string("message", message.description)
            if let requestID {
                json.string("requestId", requestID)
            }
            for (key, value) in fields.sorted(by: { $0.key < $1.key })
            where !["timestamp", "level", "message", "requestId"].contains(key) {
                json.raw(key, Self.json(value))
            }
            text = json.closed()
        }
        sink(redactor.redact(text))
    }

    /// Lambda's level names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL); swift-log's notice is INFO.
    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    static func plain(_ value: Logger.MetadataValue) -> String {
        let text = "\(value)"
        // Quote values a reader could not split on spaces.
        return text.isEmpty || text.contains(where: { $0 == " " || $0 == "\t" || $0.isNewline || $0 == "\"" })
            ? JSONLine.quoted(text) : text
    }

    static func json(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): return JSONLine.quoted(text)
        case .stringConvertible(let convertible): return JSONLine.quoted(convertible.description)
        case .array(let values): return "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let fields):
            let members = fields.sorted { $0.key < $1.key }.map { JSONLine.quoted($0.key) + ":" + json($0.value) }
            return "{" + members.joined(separator: ",") + "}"
        }
    }
}
