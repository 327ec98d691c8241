/// Where a run's outputs go (SPEC §4): the recording and, when asked, the picture of the call (SVG) and the JSON
/// report. Every output is staged (written complete to a temporary file) before any is put in place, and they are
/// put in place in this order, the recording first and the report last, so a report never names a recording that
/// is not there.
public struct OutputPlan: Sendable, Hashable {
    public var recording: Location
    /// The JSON report, or nil for none.
    public var report: Location?
    /// The picture of the call, or nil for none (then none is drawn).
    public var picture: Location?

    public init(recording: Location, report: Location? = nil, picture: Location? = nil) {
        self.recording = recording
        self.report = report
        self.picture = picture
    }
}
