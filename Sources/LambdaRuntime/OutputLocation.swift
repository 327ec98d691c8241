/// Where a recording and its report go.
public struct OutputLocation: Sendable, Equatable {
    public var bucket: String
    /// `recordings/2026/11/29/call-42.mp3`.
    public var recordingKey: String
    /// `recordings/2026/11/29/call-42.json`, or nil when `WRITE_REPORT=false`.
    public var reportKey: String?

    public init(bucket: String, recordingKey: String, reportKey: String?) {
        self.bucket = bucket
        self.recordingKey = recordingKey
        self.reportKey = reportKey
    }

    /// The keys written, recording first.
    public var keys: [String] { [recordingKey] + (reportKey.map { [$0] } ?? []) }
}
