import CallTimeline
import Logging
import SigV4

/// Reads and checks environment variables, collecting every problem so one init error lists them all.
struct EnvironmentReader {
    let environment: [String: String]
    private(set) var problems: [(variable: String, message: String)] = []

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// `ConfigInvalid` naming every problem, or nil.
    var error: RecordingError? {
        guard let first = problems.first else { return nil }
        let message = problems.map(\.message).joined(separator: "; ")
        return RecordingError(.configInvalid, message, variable: first.variable)
    }

    mutating func problem(_ variable: String, _ message: String) {
        problems.append((variable, message))
    }

    /// The value, trimmed; nil when unset or blank.
    func value(_ name: String) -> String? {
        guard let raw = environment[name] else { return nil }
        let trimmed = raw.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A value quoted for an error message, shortened and with control characters escaped. Never used for
    /// secrets.
    static func quoted(_ value: String) -> String {
        var text = ""
        for scalar in value.unicodeScalars.prefix(80) {
            text += scalar.value < 0x20 || scalar == "\"" ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return "\"\(text)\(value.unicodeScalars.count > 80 ? "…" : "")\""
    }

    mutating func invalid(_ name: String, expected: String, found: String) {
        problem(name, "\(name): expected \(expected), found \(Self.quoted(found))")
    }

    mutating func choice<T: RawRepresentable<String>>(_ name: String, _ type: T.Type) -> T? {
        guard let raw = value(name) else { return nil }
        if let choice = T(rawValue: raw.lowercased()) { return choice }
        let options: String
        switch name {
        case "OUTPUT_FORMAT": options = "mp3 or wav"
        case "CHANNELS": options = "stereo or mono"
        case "CALLS": options = "longest or all"
        default: options = "a known value"
        }
        invalid(name, expected: options, found: raw)
        return nil
    }

    mutating func integer(_ name: String, allowed: [Int], describe: String) -> Int? {
        guard let raw = value(name) else { return nil }
        guard let number = Int(raw), allowed.contains(number) else {
            invalid(name, expected: describe, found: raw)
            return nil
        }
        return number
    }

    mutating func boolean(_ name: String) -> Bool? {
        guard let raw = value(name) else { return nil }
        switch raw.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            invalid(name, expected: "true or false", found: raw)
            return nil
        }
    }

    mutating func prefix(_ name: String) -> String? {
        guard let raw = environment[name] else { return nil }
        // An empty prefix is meaningful (the bucket root), so it is kept rather than read as "unset".
        if raw.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            invalid(name, expected: "an S3 key prefix without control characters", found: raw)
            return nil
        }
        return raw
    }

    /// S3 bucket naming rules (S3 User Guide, "Bucket naming rules"), loosened to accept legacy names
    /// (upper case, `_`) that older buckets in us-east-1 may have.
    mutating func bucketName(_ name: String) -> String? {
        guard let raw = value(name) else { return nil }
        let allowed = raw.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default: false
            }
        }
        guard allowed, (3...255).contains(raw.utf8.count) else {
            invalid(name, expected: "an S3 bucket name (3-63 of a-z 0-9 . -)", found: raw)
            return nil
        }
        return raw
    }

    mutating func endpoint(_ name: String) -> String? {
        guard let raw = value(name) else { return nil }
        let lower = raw.lowercased()
        let scheme = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : 0
        let host = raw.dropFirst(scheme).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard scheme > 0, !host.isEmpty, !raw.contains(where: { $0 == " " || $0.isNewline }) else {
            invalid(name, expected: "an http:// or https:// URL with a host", found: raw)
            return nil
        }
        return raw
    }

    mutating func region(_ names: [String], required: Bool) -> String? {
        for name in names {
            guard let raw = value(name) else { continue }
            let valid = raw.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            }
            guard valid else {
                invalid(name, expected: "an AWS region such as us-east-1", found: raw)
                return nil
            }
            return raw
        }
        if required {
            problem(names[0], "\(names.joined(separator: " / ")): expected an AWS region, found none set")
        }
        return nil
    }

    mutating func credentials() -> AWSCredentials {
        let keyId = value("AWS_ACCESS_KEY_ID")
        let secret = value("AWS_SECRET_ACCESS_KEY")
        // Secrets are named, never shown.
        if keyId == nil {
            problem("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID: expected an access key id, found none set")
        }
        if secret == nil {
            problem("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY: expected a secret access key, found none set")
        }
        return AWSCredentials(
            accessKeyID: keyId ?? "",
            secretAccessKey: secret ?? "",
            sessionToken: value("AWS_SESSION_TOKEN")
        )
    }

    mutating func logSettings() -> LogSettings {
        var settings = LogSettings()
        if let raw = value("AWS_LAMBDA_LOG_FORMAT") {
            switch raw.lowercased() {
            case "json": settings.format = .json
            case "text": settings.format = .text
            default: invalid("AWS_LAMBDA_LOG_FORMAT", expected: "Text or JSON", found: raw)
            }
        }
        for name in ["AWS_LAMBDA_LOG_LEVEL", "LOG_LEVEL"] {
            guard let raw = value(name) else { continue }
            if let level = Self.logLevel(raw) {
                settings.level = level
            } else {
                invalid(name, expected: "TRACE, DEBUG, INFO, WARN, ERROR or FATAL", found: raw)
            }
            break
        }
        return settings
    }

    /// Lambda's level names (TRACE … FATAL, Lambda Developer Guide "Log-level filtering") and swift-log's.
    static func logLevel(_ raw: String) -> Logger.Level? {
        switch raw.lowercased() {
        case "trace": .trace
        case "debug": .debug
        case "info": .info
        case "notice": .notice
        case "warn", "warning": .warning
        case "error": .error
        case "fatal", "critical": .critical
        default: nil
        }
    }

    /// `caller`, `callee`, an IPv4/IPv6 address, or a CIDR block (SPEC §3.2, `--left`), read as the command
    /// line's `--left` is.
    mutating func leftChannel(_ name: String) -> LeftChannelRule? {
        guard let raw = value(name) else { return nil }
        guard let rule = LeftChannelRule(raw) else {
            invalid(name, expected: "caller, callee, an IP address or a CIDR block", found: raw)
            return nil
        }
        return rule
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
