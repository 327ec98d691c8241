import Foundation
import LambdaRuntime
import Synchronization

/// A Runtime API client that hands out scripted invocations and records what the loop posted.
final class ScriptedRuntimeClient: RuntimeAPIClient, @unchecked Sendable {
    enum Post: Equatable {
        case response(id: String, body: [UInt8])
        case error(id: String, error: LambdaErrorBody)
        case initError(LambdaErrorBody)
    }

    private var script: [Invocation]
    private(set) var posts: [Post] = []
    var failResponses = false

    init(_ script: [Invocation]) {
        self.script = script
    }

    struct Exhausted: Error {}
    struct Refused: Error, CustomStringConvertible {
        var description: String { "413 RequestEntityTooLarge" }
    }

    func next() throws -> Invocation {
        guard !script.isEmpty else { throw Exhausted() }
        return script.removeFirst()
    }

    func respond(id: String, body: [UInt8]) throws {
        if failResponses { throw Refused() }
        posts.append(.response(id: id, body: body))
    }

    func fail(id: String, error: LambdaErrorBody) throws {
        posts.append(.error(id: id, error: error))
    }

    func initError(error: LambdaErrorBody) throws {
        posts.append(.initError(error))
    }
}

/// A recording handler whose answer per key is scripted; it records each call with its context.
final class FakeRecordingHandler: RecordingHandler, @unchecked Sendable {
    var failures: [String: any Error] = [:]
    /// Called before answering, e.g. to move the clock.
    var onCall: (@Sendable (ObjectRef) -> Void)?
    private(set) var calls: [(ref: ObjectRef, context: InvocationContext)] = []

    func handle(ref: ObjectRef, context: InvocationContext) throws -> RecordingOutcome {
        calls.append((ref, context))
        onCall?(ref)
        if let failure = failures[ref.key] {
            throw failure
        }
        return RecordingOutcome(
            outputBucket: context.output.bucket,
            outputKeys: context.output.keys,
            audioSeconds: 12.5,
            transcodeMilliseconds: 250,
            inputBytes: 480_000,
            outputBytes: 50_000,
            packetLossPercent: 1.5
        )
    }
}

/// A clock the test sets.
final class ManualClock: EpochClock, @unchecked Sendable {
    private let now: Mutex<Int64>

    init(_ now: Int64) {
        self.now = Mutex(now)
    }

    func nowMilliseconds() -> Int64 {
        now.withLock { $0 }
    }

    func set(_ value: Int64) {
        now.withLock { $0 = value }
    }
}

/// Collects written lines (log lines, EMF records, trace ids).
final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }

    var sink: @Sendable (String) -> Void {
        { line in self.storage.withLock { $0.append(line) } }
    }

    func append(_ line: String) {
        storage.withLock { $0.append(line) }
    }
}

/// Reads a JSON object from bytes or text, for checking answers and log lines.
func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(bytes))
    guard let object = value as? [String: Any] else {
        throw CocoaError(.coderReadCorrupt)
    }
    return object
}

func jsonObject(_ text: String) throws -> [String: Any] {
    try jsonObject(Array(text.utf8))
}
