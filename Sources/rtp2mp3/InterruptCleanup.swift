#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes the run's temporary files when it is interrupted (SIGINT, SIGTERM, SIGHUP), so that stopping a long
/// transcode leaves nothing beside the output or in the temporary folder; then exits with 128 + the signal
/// number, as a shell reports a process killed by it. A signal the process was started ignoring stays ignored.
///
/// The handler may only call async-signal-safe functions (POSIX.1-2017, 2.4.3): it reads paths copied in advance
/// and calls `unlink` and `_exit`. Paths are registered as soon as their files are made and never released (a
/// handful per run), so the handler never reads freed memory.
enum InterruptCleanup {
    /// Room for an S3 capture's spool and the staged outputs, with some to spare.
    private static let capacity = 16
    nonisolated(unsafe) private static let paths = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(
        capacity: capacity
    )
    nonisolated(unsafe) private static var count = 0
    nonisolated(unsafe) private static var installed = false

    /// Removes `path` if the process is interrupted from now on.
    static func remove(onInterrupt path: String) {
        guard count < capacity, let copy = strdup(path) else { return }
        paths[count] = copy
        count += 1
        guard !installed else { return }
        installed = true
        for number in [SIGINT, SIGTERM, SIGHUP] where !isIgnored(number) {
            _ = signal(number, interrupted)
        }
    }

    /// Whether the signal is ignored, as `nohup` and shells do for background jobs; it stays so.
    private static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        // SIG_IGN is the handler value 1 (signal.h), not imported into Swift as a constant.
        #if os(Linux)
        let handler = current.__sigaction_handler.sa_handler
        #else
        let handler = current.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == 1
    }

    fileprivate static func unlinkAll() {
        for index in 0..<count {
            if let path = paths[index] { unlink(path) }
        }
    }
}

private let interrupted: @convention(c) (Int32) -> Void = { signal in
    InterruptCleanup.unlinkAll()
    _exit(128 + signal)
}
