/// Where a recording, its picture and its report go.
public struct OutputLocation: Sendable, Equatable {
    public var bucket: String
    /// `recordings/2026/11/29/call-42.mp3`.
    public var recordingKey: String
    /// `recordings/2026/11/29/call-42.json`, or nil when `WRITE_REPORT=false`.
    public var reportKey: String?
    /// `recordings/2026/11/29/call-42.svg` with `WRITE_PICTURE=true`, else nil.
    public var pictureKey: String?

    public init(bucket: String, recordingKey: String, reportKey: String?, pictureKey: String? = nil) {
        self.bucket = bucket
        self.recordingKey = recordingKey
        self.reportKey = reportKey
        self.pictureKey = pictureKey
    }

    /// The keys written, in the order they are put in place: recording, picture, report.
    public var keys: [String] { [recordingKey] + (pictureKey.map { [$0] } ?? []) + (reportKey.map { [$0] } ?? []) }
}
