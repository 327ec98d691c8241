/// What the function answers to one invocation.
public enum InvocationAnswer: Sendable, Equatable {
    /// `POST …/{id}/response` with this body.
    case response([UInt8])
    /// `POST …/{id}/error`.
    case error(LambdaErrorBody)
}
