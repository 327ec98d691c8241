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

    /// Every output with its role, recording first, report last.
    var roles: [(location: Location, role: String)] {
        [(recording, "recording")] + (picture.map { [($0, "picture")] } ?? []) + (report.map { [($0, "report")] } ?? [])
    }

    /// The outputs of call `number` of an all-calls run (`--all-calls`, `CALLS=all`; SPEC §4): each named with
    /// `-call<number>` before its extension (`call.mp3` → `call-call2.mp3`, `s3://b/r/call.json` →
    /// `s3://b/r/call-call2.json`, `call.svg` → `call-call2.svg`).
    public func forCall(_ number: Int) -> OutputPlan {
        OutputPlan(
            recording: recording.suffixed("-call\(number)"),
            report: report.map { $0.suffixed("-call\(number)") },
            picture: picture.map { $0.suffixed("-call\(number)") }
        )
    }
}
