/// The Lambda Runtime API, as the runtime loop uses it. The bootstrap implements it over HTTP (libcurl) with the
/// requests `RuntimeAPIRequest` builds and the answers `RuntimeAPIResponse` checks; tests use a scripted fake.
public protocol RuntimeAPIClient {
    /// `GET …/runtime/invocation/next`: blocks (no timeout: it is a long poll) until an invocation arrives.
    func next() throws -> Invocation
    /// `POST …/runtime/invocation/{id}/response`.
    func respond(id: String, body: [UInt8]) throws
    /// `POST …/runtime/invocation/{id}/error`.
    func fail(id: String, error: LambdaErrorBody) throws
    /// `POST …/runtime/init/error`; the process exits afterwards.
    func initError(error: LambdaErrorBody) throws
}
