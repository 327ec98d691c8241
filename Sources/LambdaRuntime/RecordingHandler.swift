/// Turns one capture into a recording: the seam between the runtime loop and the real work. The bootstrap
/// implements it with S3 (get, put) and the Transcoder; tests use a fake.
public protocol RecordingHandler {
    /// Transcodes `ref` and writes the outputs to `context.output`. Throws `RecordingError` with the type that
    /// fits (any other error is reported as `Unhandled`). It watches `context` and stops before the deadline,
    /// leaving nothing at the output keys.
    func handle(ref: ObjectRef, context: InvocationContext) throws -> RecordingOutcome
}
