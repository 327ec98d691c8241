/// One CloudWatch Embedded Metric Format record per recording (SPEC §6.6; CloudWatch User Guide, "Embedded
/// metric format specification"): a JSON line on stdout that CloudWatch Logs turns into metrics in the
/// `rtp2mp3` namespace, dimensioned by function name. The object's bucket and key ride along as properties, so
/// a metric can be traced back to its recording with Logs Insights.
public enum MetricsRecord {
    public static let namespace = "rtp2mp3"

    /// Metric names and their CloudWatch units.
    public static let metrics: [(name: String, unit: String)] = [
        ("AudioSeconds", "Seconds"),
        ("TranscodeMs", "Milliseconds"),
        ("RealtimeFactor", "None"),
        ("InputBytes", "Bytes"),
        ("OutputBytes", "Bytes"),
        ("PacketLossPercent", "Percent"),
        ("LowestLegMOS", "None"),
    ]

    /// The record as one line of JSON.
    public static func line(
        outcome: RecordingOutcome,
        ref: ObjectRef,
        functionName: String,
        requestID: String,
        timestampMilliseconds: Int64
    ) -> String {
        // A metric without a value is left out of the directive too (EMF: every declared metric needs a member).
        let declared = metrics.filter { $0.name != "LowestLegMOS" || outcome.lowestLegMOS != nil }
        let definitions = declared.map { "{\"Name\":\(JSONLine.quoted($0.name)),\"Unit\":\(JSONLine.quoted($0.unit))}" }
        let directive =
            "{\"Timestamp\":\(timestampMilliseconds),\"CloudWatchMetrics\":[{\"Namespace\":"
            + JSONLine.quoted(namespace) + ",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":["
            + definitions.joined(separator: ",") + "]}]}"
        var json = JSONLine()
        json.raw("_aws", directive)
        json.string("FunctionName", functionName)
        json.number("AudioSeconds", outcome.audioSeconds)
        json.number("TranscodeMs", outcome.transcodeMilliseconds)
        json.number("RealtimeFactor", outcome.realtimeFactor)
        json.integer("InputBytes", outcome.inputBytes)
        json.integer("OutputBytes", outcome.outputBytes)
        json.number("PacketLossPercent", outcome.packetLossPercent)
        if let mos = outcome.lowestLegMOS { json.number("LowestLegMOS", (mos * 100).rounded() / 100) }
        json.string("requestId", requestID)
        json.string("bucket", ref.bucket)
        json.string("key", ref.key)
        return json.closed()
    }
}
