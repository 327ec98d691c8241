import HTTPClient
import Logging
import SigV4
import Testing

@testable import S3

/// How the S3 client addresses and signs requests (no network: the requests are built, not sent).
@Suite("S3 request addressing and signing")
struct S3RequestTests {
    static func client(endpoint: String?, region: String = "eu-west-1", token: String? = nil) throws -> S3Client {
        S3Client(
            configuration: S3Configuration(
                region: region,
                credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "SECRET", sessionToken: token),
                endpoint: endpoint
            ),
            httpClient: try HTTPClient(),
            logger: Logger(label: "test"),
            clock: { 1_440_938_160 }
        )
    }

    static func request(
        _ client: S3Client,
        bucket: String?,
        key: String?,
        query: [(String, String)] = []
    ) -> HTTPRequest {
        client.makeRequest(
            .init(name: "GetObject", method: "GET", bucket: bucket, key: key, query: query),
            payloadHash: SigV4Signer.emptyPayloadHash
        )
    }

    // Proves AWS virtual-hosted style, with the key S3-encoded and `/` kept.
    @Test func virtualHosted() throws {
        let request = Self.request(try Self.client(endpoint: nil), bucket: "calls", key: "2026/11/a b+c.pcap")
        #expect(request.url == "https://calls.s3.eu-west-1.amazonaws.com/2026/11/a%20b%2Bc.pcap")
        #expect(request.headers["host"] == "calls.s3.eu-west-1.amazonaws.com")
    }

    // Proves path style for dotted bucket names on AWS (TLS wildcard certificates do not cover them).
    @Test func dottedBucket() throws {
        let request = Self.request(try Self.client(endpoint: nil), bucket: "calls.example.com", key: "k")
        #expect(request.url == "https://s3.eu-west-1.amazonaws.com/calls.example.com/k")
    }

    // Proves path style on a custom endpoint, its port and path prefix kept, and the query strictly encoded.
    @Test func customEndpoint() throws {
        let client = try Self.client(endpoint: "http://127.0.0.1:4566/s3/")
        let request = Self.request(client, bucket: "b", key: "x/y z", query: [("prefix", "a/b c"), ("list-type", "2")])
        #expect(request.url == "http://127.0.0.1:4566/s3/b/x/y%20z?prefix=a%2Fb%20c&list-type=2")
        #expect(request.headers["host"] == "127.0.0.1:4566")
    }

    // Proves the signed headers: date from the injected clock, payload hash, session token, Authorization
    // scoped to the region and s3.
    @Test func signedHeaders() throws {
        let request = Self.request(try Self.client(endpoint: nil, token: "TOKEN"), bucket: "b", key: "k")
        #expect(request.headers["x-amz-date"] == "20150830T123600Z")
        #expect(request.headers["x-amz-content-sha256"] == SigV4Signer.emptyPayloadHash)
        #expect(request.headers["x-amz-security-token"] == "TOKEN")
        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/s3/aws4_request, "))
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(!authorization.contains("SECRET"))
    }
}
