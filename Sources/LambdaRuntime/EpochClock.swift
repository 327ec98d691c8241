import FoundationEssentials

/// The wall clock, in milliseconds since the Unix epoch (the unit of `Lambda-Runtime-Deadline-Ms`). Injected so
/// deadline handling is tested without waiting.
public protocol EpochClock: Sendable {
    func nowMilliseconds() -> Int64
}

/// The system's real-time clock.
public struct SystemEpochClock: EpochClock {
    public init() {}

    public func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
