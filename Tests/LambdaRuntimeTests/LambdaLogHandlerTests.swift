import Logging
import Testing

@testable import LambdaRuntime

@Suite("LambdaLogHandler")
struct LambdaLogHandlerTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/="
    let lines = LineCollector()

    func logger(_ format: LogSettings.Format, level: Logger.Level = .info) -> Logger {
        let lines = self.lines
        var logger = Logger(label: "test") { label in
            LambdaLogHandler(
                label: label,
                settings: LogSettings(format: format, level: level),
                redactor: Redactor(secrets: [Self.secret, Self.token]),
                clock: ManualClock(1_795_935_344_664),
                sink: lines.sink
            )
        }
        logger[metadataKey: LambdaLogHandler.requestIDKey] = "req-1"
        return logger
    }

    /// Proves the JSON format: one object per line with timestamp (RFC 3339, ms, UTC), level, message,
    /// requestId and the metadata as fields.
    @Test func jsonFormat() throws {
        logger(.json).info("recording written", metadata: ["s3.key": "a \"b\"\n", "count": .stringConvertible(3)])
        #expect(lines.lines.count == 1)
        let object = try jsonObject(lines.lines[0])
        #expect(object["timestamp"] as? String == "2026-11-29T06:55:44.664Z")
        #expect(object["level"] as? String == "INFO")
        #expect(object["message"] as? String == "recording written")
        #expect(object["requestId"] as? String == "req-1")
        #expect(object["s3.key"] as? String == "a \"b\"\n")
        #expect(object["count"] as? String == "3")
        #expect(!lines.lines[0].contains("\n"))
    }

    /// Proves the plain-text format: timestamp, request id, level, message, then key=value.
    @Test func textFormat() {
        logger(.text).warning("slow", metadata: ["s3.key": "a b"])
        #expect(lines.lines == ["2026-11-29T06:55:44.664Z\treq-1\tWARN\tslow s3.key=\"a b\""])
    }

    /// Proves the level threshold from the settings applies.
    @Test func levelFilters() {
        let logger = logger(.text, level: .error)
        logger.info("hidden")
        logger.error("shown")
        #expect(lines.lines.count == 1)
        #expect(lines.lines[0].contains("ERROR\tshown"))
    }

    /// Proves the secret key and session token are never printed, in the message or in metadata, either format.
    @Test(arguments: [LogSettings.Format.text, .json])
    func secretsAreRedacted(format: LogSettings.Format) {
        let logger = logger(format)
        logger.info("key \(Self.secret)", metadata: ["token": "\(Self.token)", "nested": ["t": "\(Self.token)"]])
        #expect(lines.lines.count == 1)
        #expect(!lines.lines[0].contains(Self.secret))
        #expect(!lines.lines[0].contains(Self.token))
        #expect(lines.lines[0].contains(Redactor.placeholder))
    }

    /// Proves short values are not treated as secrets (they would blank out ordinary words).
    @Test func shortSecretsIgnored() {
        #expect(Redactor(secrets: ["abc", ""]).secrets.isEmpty)
        #expect(
            Redactor(environment: ["AWS_SECRET_ACCESS_KEY": Self.secret]).redact("x\(Self.secret)y") == "x[REDACTED]y"
        )
    }

    /// Proves RFC 3339 formatting across the epoch, a leap day and before 1970.
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_709_208_000_123, "2024-02-29T12:00:00.123Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func rfc3339(milliseconds: Int64, text: String) {
        #expect(RFC3339.format(epochMilliseconds: milliseconds) == text)
    }
}

@Suite("MetricsRecord")
struct MetricsRecordTests {
    /// Proves the EMF record's shape (CloudWatch "Embedded metric format specification"): `_aws` with the
    /// timestamp and one directive (namespace rtp2mp3, FunctionName dimension, six metrics with units), and each
    /// metric and dimension as a top-level member.
    @Test func embeddedMetricFormat() throws {
        let outcome = RecordingOutcome(
            outputBucket: "out",
            outputKeys: ["r/a.mp3"],
            audioSeconds: 60,
            transcodeMilliseconds: 1500,
            inputBytes: 1_000_000,
            outputBytes: 240_000,
            packetLossPercent: 0.25
        )
        let line = MetricsRecord.line(
            outcome: outcome,
            ref: ObjectRef(bucket: "calls", key: "a.pcap"),
            functionName: "rtp2mp3-prod",
            requestID: "req-1",
            timestampMilliseconds: 1_795_935_344_664
        )
        #expect(!line.contains("\n"))
        let record = try jsonObject(line)
        let aws = try #require(record["_aws"] as? [String: Any])
        #expect(aws["Timestamp"] as? Int == 1_795_935_344_664)
        let directives = try #require(aws["CloudWatchMetrics"] as? [[String: Any]])
        #expect(directives.count == 1)
        #expect(directives[0]["Namespace"] as? String == "rtp2mp3")
        #expect(directives[0]["Dimensions"] as? [[String]] == [["FunctionName"]])
        let metrics = try #require(directives[0]["Metrics"] as? [[String: String]])
        #expect(
            metrics == [
                ["Name": "AudioSeconds", "Unit": "Seconds"], ["Name": "TranscodeMs", "Unit": "Milliseconds"],
                ["Name": "RealtimeFactor", "Unit": "None"], ["Name": "InputBytes", "Unit": "Bytes"],
                ["Name": "OutputBytes", "Unit": "Bytes"], ["Name": "PacketLossPercent", "Unit": "Percent"],
            ]
        )
        #expect(record["FunctionName"] as? String == "rtp2mp3-prod")
        #expect(record["AudioSeconds"] as? Double == 60)
        #expect(record["TranscodeMs"] as? Double == 1500)
        #expect(record["RealtimeFactor"] as? Double == 40)
        #expect(record["InputBytes"] as? Int == 1_000_000)
        #expect(record["OutputBytes"] as? Int == 240_000)
        #expect(record["PacketLossPercent"] as? Double == 0.25)
        #expect(record["key"] as? String == "a.pcap")
    }
}

extension MetricsRecordTests {
    /// Proves LowestLegMOS (SPEC §6.6) is declared and given, rounded to 0.01, when the legs were scored, and
    /// left out of both the directive and the record when not (EMF needs a member for every declared metric).
    @Test func lowestLegMOS() throws {
        var outcome = RecordingOutcome(
            outputBucket: "out",
            outputKeys: ["r/a.mp3"],
            audioSeconds: 60,
            transcodeMilliseconds: 1500,
            inputBytes: 1_000_000,
            outputBytes: 240_000,
            packetLossPercent: 0.25,
            lowestLegMOS: 4.187
        )
        func record() throws -> [String: Any] {
            try jsonObject(
                MetricsRecord.line(
                    outcome: outcome,
                    ref: ObjectRef(bucket: "calls", key: "a.pcap"),
                    functionName: "f",
                    requestID: "r",
                    timestampMilliseconds: 0
                )
            )
        }
        func declared(_ record: [String: Any]) -> [String] {
            let aws = record["_aws"] as? [String: Any]
            let directive = (aws?["CloudWatchMetrics"] as? [[String: Any]])?.first
            return (directive?["Metrics"] as? [[String: String]])?.compactMap { $0["Name"] } ?? []
        }
        let scored = try record()
        #expect(scored["LowestLegMOS"] as? Double == 4.19)
        #expect(declared(scored).last == "LowestLegMOS")
        outcome.lowestLegMOS = nil
        let unscored = try record()
        #expect(unscored["LowestLegMOS"] == nil)
        #expect(!declared(unscored).contains("LowestLegMOS"))
    }
}
