/// AWS Signature Version 4 (AWS General Reference, "Signing AWS API requests"; S3 API reference,
/// "Authenticating Requests (AWS Signature Version 4)").
///
/// Pure: the signing time is an input, nothing reads a clock, nothing does I/O.
public struct SigV4Signer: Sendable {
    /// How the path is canonicalized and whether `x-amz-content-sha256` is sent.
    public enum Flavor: Sendable, Hashable {
        /// Amazon S3: the path is used exactly as sent (no normalization, no second encoding; an object key
        /// `a//b/../c` is a real key) and `x-amz-content-sha256` is always sent and signed.
        case s3
        /// Every other service (what the aws-c-auth and classic suites test): dot segments and repeated
        /// slashes are removed from the path and the path is percent-encoded once more (`%20` → `%2520`).
        /// `x-amz-content-sha256` is sent only when `signsBodyHeader` is set.
        case generic(normalizesPath: Bool, signsBodyHeader: Bool)
    }

    /// The hash the S3 docs use for a request without a body (SHA-256 of nothing).
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash of presigned S3 URLs, and of header-signed requests whose body is not hashed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: AWSCredentials
    public var region: String
    public var service: String
    public var flavor: Flavor
    /// When false, `x-amz-security-token` is added to the request but left out of the signature (some
    /// services want it so; aws-c-auth's `omit_session_token`). S3 wants it signed: true by default.
    public var signsSessionToken: Bool

    public init(
        credentials: AWSCredentials,
        region: String,
        service: String = "s3",
        flavor: Flavor = .s3,
        signsSessionToken: Bool = true
    ) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.flavor = flavor
        self.signsSessionToken = signsSessionToken
    }

    /// Header signing: sets `X-Amz-Security-Token` (session credentials), `X-Amz-Date`,
    /// `x-amz-content-sha256` (S3, or when the flavor asks) and `Authorization` on `request`.
    ///
    /// - Parameter payloadHash: lowercase hex SHA-256 of the body, or `unsignedPayload`.
    @discardableResult
    public func sign(_ request: inout SigV4Request, payloadHash: String, date: AmzDate) -> SigV4Signature {
        if let token = credentials.sessionToken { request.setHeader("X-Amz-Security-Token", token) }
        request.setHeader("X-Amz-Date", date.timestamp)
        if sendsContentSHA256Header { request.setHeader("x-amz-content-sha256", payloadHash) }
        var excluded: Set<String> = ["authorization"]
        if !signsSessionToken { excluded.insert("x-amz-security-token") }
        let (canonical, signedHeaders) = canonicalRequest(request, payloadHash: payloadHash, excluding: excluded)
        let result = finish(canonicalRequest: canonical, signedHeaders: signedHeaders, date: date)
        request.setHeader("Authorization", result.authorization)
        return result
    }

    /// Query signing (a presigned URL): appends `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-SignedHeaders`, `X-Amz-Expires`, `X-Amz-Security-Token` and `X-Amz-Signature` to the query.
    ///
    /// - Parameter payloadHash: `unsignedPayload` for S3 presigned URLs.
    @discardableResult
    public func presign(
        _ request: inout SigV4Request,
        payloadHash: String,
        date: AmzDate,
        expiresInSeconds: Int
    ) -> SigV4Signature {
        let signedNames = signedHeaderNames(request, excluding: ["authorization"])
        var added: [(String, String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", credentials.accessKeyID + "/" + scope(date)),
            ("X-Amz-Date", date.timestamp),
            ("X-Amz-SignedHeaders", signedNames.joined(separator: ";")),
            ("X-Amz-Expires", String(expiresInSeconds)),
        ]
        let token = credentials.sessionToken
        if let token, signsSessionToken { added.append(("X-Amz-Security-Token", token)) }
        request.query = Self.appending(added, to: request.query)
        let (canonical, signedHeaders) = canonicalRequest(
            request,
            payloadHash: payloadHash,
            excluding: ["authorization"]
        )
        let result = finish(canonicalRequest: canonical, signedHeaders: signedHeaders, date: date)
        var trailer: [(String, String)] = []
        if let token, !signsSessionToken { trailer.append(("X-Amz-Security-Token", token)) }
        trailer.append(("X-Amz-Signature", result.signature))
        request.query = Self.appending(trailer, to: request.query)
        return result
    }

    /// `date/region/service/aws4_request`.
    public func scope(_ date: AmzDate) -> String {
        date.dateStamp + "/" + region + "/" + service + "/aws4_request"
    }

    /// The signing key: HMAC chain over date, region, service and `aws4_request` (Task 3).
    public func signingKey(_ date: AmzDate) -> [UInt8] {
        let dateKey = HMACSHA256.authenticationCode(
            for: date.dateStamp,
            key: Array(("AWS4" + credentials.secretAccessKey).utf8)
        )
        let regionKey = HMACSHA256.authenticationCode(for: region, key: dateKey)
        let serviceKey = HMACSHA256.authenticationCode(for: service, key: regionKey)
        return HMACSHA256.authenticationCode(for: "aws4_request", key: serviceKey)
    }

    /// Task 2: the string to sign of a canonical request.
    public func stringToSign(canonicalRequest: String, date: AmzDate) -> String {
        Self.algorithm + "\n" + date.timestamp + "\n" + scope(date) + "\n" + Hex.encode(SHA256.hash(canonicalRequest))
    }

    /// The signature of one chunk of an `aws-chunked` upload (S3 API reference, "Signature Calculations for
    /// the Authorization Header: Transferring Payload in Multiple Chunks"); the first chunk chains on the
    /// seed signature of the request.
    public func chunkSignature(previousSignature: String, chunk: some Sequence<UInt8>, date: AmzDate) -> String {
        let text =
            "AWS4-HMAC-SHA256-PAYLOAD\n" + date.timestamp + "\n" + scope(date) + "\n" + previousSignature + "\n"
            + Self.emptyPayloadHash + "\n" + Hex.encode(SHA256.hash(chunk))
        return Hex.encode(HMACSHA256.authenticationCode(for: text, key: signingKey(date)))
    }

    private var sendsContentSHA256Header: Bool {
        switch flavor {
        case .s3: true
        case .generic(_, let signsBodyHeader): signsBodyHeader
        }
    }

    private func finish(canonicalRequest: String, signedHeaders: String, date: AmzDate) -> SigV4Signature {
        let stringToSign = stringToSign(canonicalRequest: canonicalRequest, date: date)
        let signature = Hex.encode(HMACSHA256.authenticationCode(for: stringToSign, key: signingKey(date)))
        let authorization =
            Self.algorithm + " Credential=" + credentials.accessKeyID + "/" + scope(date) + ", SignedHeaders="
            + signedHeaders + ", Signature=" + signature
        return SigV4Signature(
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signedHeaders: signedHeaders,
            signature: signature,
            authorization: authorization
        )
    }

    private static func appending(_ parameters: [(String, String)], to query: String) -> String {
        var result = query
        for (name, value) in parameters {
            if !result.isEmpty { result += "&" }
            result += URIEncoding.encode(name, keepSlash: false) + "=" + URIEncoding.encode(value, keepSlash: false)
        }
        return result
    }
}
