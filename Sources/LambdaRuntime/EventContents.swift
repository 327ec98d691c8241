/// The objects an event names, and the records it holds that are not for this function.
public struct EventContents: Sendable, Equatable {
    public var refs: [ObjectRef]
    /// Records ignored on purpose (test events, deletions, restores), each with the reason logged.
    public var ignored: [IgnoredRecord]

    public init(refs: [ObjectRef] = [], ignored: [IgnoredRecord] = []) {
        self.refs = refs
        self.ignored = ignored
    }

    mutating func append(_ other: EventContents) {
        refs += other.refs
        ignored += other.ignored
    }
}
