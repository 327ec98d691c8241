/// Everything one signing produced, the intermediate steps included so tests and logs (at trace level, the
/// secret is never in them) can show where a mismatch starts.
public struct SigV4Signature: Sendable, Hashable {
    /// Task 1: the canonical request.
    public var canonicalRequest: String
    /// Task 2: the string to sign.
    public var stringToSign: String
    /// `host;x-amz-date;…`, the lowercased names of the signed headers, sorted.
    public var signedHeaders: String
    /// Task 3: the signature, lowercase hex.
    public var signature: String
    /// The `Authorization` header value (header signing) that carries it.
    public var authorization: String
}
