import Foundation
import SigV4
import TestSupport
import Testing

/// The worked examples of the S3 API reference (`sigv4/s3-doc-examples/s3-examples.json`): header-signed
/// GET with Range, PUT of `test$file.text`, `?lifecycle`, a listing, a presigned URL, and the chunked upload.
@Suite("SigV4 against the S3 documentation examples", .enabled(if: TestData.shouldRun))
struct S3ExamplesTests {
    static func document() throws -> [String: Any] {
        let data = Data(try TestData.bytes("sigv4/s3-doc-examples/s3-examples.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func example(_ name: String) throws -> (common: [String: Any], example: [String: Any]) {
        let document = try document()
        let cases = try #require(document["cases"] as? [[String: Any]])
        return (
            try #require(document["common"] as? [String: Any]),
            try #require(cases.first { $0["name"] as? String == name })
        )
    }

    static func signer(_ common: [String: Any]) throws -> SigV4Signer {
        SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: try #require(common["accessKeyId"] as? String),
                secretAccessKey: try #require(common["secretAccessKey"] as? String)
            ),
            region: "us-east-1",
            service: "s3"
        )
    }

    /// 2013-05-24T00:00:00Z.
    static let date = AmzDate(secondsSince1970: 1_369_353_600)

    static func request(_ example: [String: Any]) throws -> (SigV4Request, [UInt8]) {
        let spec = try #require(example["request"] as? [String: Any])
        let headers = try #require(spec["headers"] as? [String: String])
        // JSON objects lose order; canonicalization sorts anyway.
        let rawPath = try #require(spec["path"] as? String)
        let request = SigV4Request(
            method: try #require(spec["method"] as? String),
            path: URIEncoding.encode(rawPath, keepSlash: true),
            query: spec["query"] as? String ?? "",
            headers: headers.sorted { $0.key < $1.key }.map { SigV4Request.Header($0.key, $0.value) }
        )
        return (request, Array((spec["body"] as? String ?? "").utf8))
    }

    // Proves the derived signing key of the examples.
    @Test func signingKey() throws {
        let (common, _) = try Self.example("get-object")
        #expect(Hex.encode(try Self.signer(common).signingKey(Self.date)) == common["signingKeyHex"] as? String)
    }

    // Proves header signing in S3 mode (path as sent, payload hash of the body, x-amz-content-sha256).
    @Test(arguments: ["get-object", "put-object", "get-bucket-lifecycle", "get-bucket-list-objects"])
    func headerSigning(name: String) throws {
        let (common, example) = try Self.example(name)
        var (request, body) = try Self.request(example)
        let result = try Self.signer(common).sign(&request, payloadHash: Hex.encode(SHA256.hash(body)), date: Self.date)
        #expect(result.canonicalRequest == example["canonicalRequest"] as? String)
        #expect(Hex.encode(SHA256.hash(result.canonicalRequest)) == example["canonicalRequestSha256"] as? String)
        #expect(result.signedHeaders == example["signedHeaders"] as? String)
        #expect(result.signature == example["signature"] as? String)
        #expect(request.header("authorization") == result.authorization)
    }

    // Proves the presigned URL (UNSIGNED-PAYLOAD, X-Amz-Expires=86400); parameter order aside, the URL is the
    // documented one.
    @Test func presignedURL() throws {
        let (common, example) = try Self.example("presigned-get-object")
        var (request, _) = try Self.request(example)
        let result = try Self.signer(common).presign(
            &request,
            payloadHash: SigV4Signer.unsignedPayload,
            date: Self.date,
            expiresInSeconds: 86_400
        )
        #expect(result.canonicalRequest == example["canonicalRequest"] as? String)
        #expect(result.signature == example["signature"] as? String)
        let expectedURL = try #require(example["presignedUrl"] as? String)
        let expectedQuery = expectedURL.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
        #expect(Set(request.query.split(separator: "&")) == Set(expectedQuery.split(separator: "&")))
        #expect(expectedURL.hasPrefix("https://examplebucket.s3.amazonaws.com" + request.path + "?"))
    }

    // Proves the chunked-upload (aws-chunked) seed signature and the chain of chunk signatures; our client
    // does not send aws-chunked bodies, but the chunk signer is small and this keeps it honest.
    @Test func chunkedUpload() throws {
        let (common, example) = try Self.example("chunked-put-object-streaming")
        var (request, _) = try Self.request(example)
        let signer = try Self.signer(common)
        let seed = signer.sign(&request, payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", date: Self.date)
        #expect(Hex.encode(SHA256.hash(seed.canonicalRequest)) == example["canonicalRequestSha256"] as? String)
        #expect(seed.signedHeaders == example["signedHeaders"] as? String)
        #expect(seed.signature == example["seedSignature"] as? String)
        let chunks = try #require(example["chunkSignatures"] as? [[String: Any]])
        var previous = seed.signature
        for chunk in chunks {
            let size = try #require(chunk["size"] as? Int)
            let signature = signer.chunkSignature(
                previousSignature: previous,
                chunk: [UInt8](repeating: UInt8(ascii: "a"), count: size),
                date: Self.date
            )
            #expect(signature == chunk["signature"] as? String)
            previous = signature
        }
    }
}
