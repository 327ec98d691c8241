import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes the run's temporary files when it is interrupted (SIGINT, SIGTERM, SIGHUP), so that stopping a long
/// transcode leaves nothing beside the output or in the temporary folder; then exits with 128 + the signal
/// number, as a shell reports a process killed by it. A signal the process was started ignoring stays ignored.
///
/// The handlers are installed first thing, before any file can be made (``install()``); every temporary file is
/// registered before it is created (``remove(onInterrupt:)``), so there is no moment at which a file exists that an
/// interrupt would leave behind. The handler may only call async-signal-safe functions (POSIX.1-2017, 2.4.3): it
/// walks a list of paths copied in advance, published with an atomic store, and calls `unlink` and `_exit`. Nodes
/// are never freed (a handful per run, two per call with `--all-calls`), so the handler never reads freed memory.
enum InterruptCleanup {
    /// One registered path; `next` is the one registered before it.
    private struct Node {
        var path: UnsafeMutablePointer<CChar>
        var next: UnsafeMutablePointer<Node>?
    }

    /// The last registered node's address (0: none), read by the handler.
    private static let head = Atomic<Int>(0)

    /// The signals that stop a run.
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers (once; before the command line is even parsed).
    static func install() {
        for number in signals where !isIgnored(number) {
            _ = signal(number, interrupted)
        }
    }

    /// Removes `path` if the process is interrupted from now on. Called before the file is made.
    static func remove(onInterrupt path: String) {
        guard let copy = strdup(path) else { return }
        let node = UnsafeMutablePointer<Node>.allocate(capacity: 1)
        // Registration happens on the thread that makes the files; the handler only reads.
        let previous = head.load(ordering: .acquiring)
        node.initialize(to: Node(path: copy, next: UnsafeMutablePointer(bitPattern: previous)))
        head.store(Int(bitPattern: node), ordering: .releasing)
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
        var node = UnsafeMutablePointer<Node>(bitPattern: head.load(ordering: .acquiring))
        while let current = node {
            unlink(current.pointee.path)
            node = current.pointee.next
        }
    }
}

private let interrupted: @convention(c) (Int32) -> Void = { signal in
    InterruptCleanup.unlinkAll()
    _exit(128 + signal)
}
