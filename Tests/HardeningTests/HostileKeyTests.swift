import HTTPClient
import Logging
import S3
import SigV4
import TestSupport
import Testing

/// Object keys with control characters (S3 allows any UTF-8 in a key; SPEC §6.4: S3's own URI encoding, every
/// byte but the unreserved ones): they must be percent-encoded in the request line and the signature, never
/// reach the wire raw (a CR LF in a key must not become a header), and survive into errors intact.
@Suite("Hostile object keys")
struct HostileKeyTests {
    /// Every control character (C0, DEL), a CR LF header-injection attempt, `%`, `+`, space and non-ASCII.
    static let hostileKey =
        "captures/" + String(decoding: (0..<32).map { UInt8($0) } + [0x7F], as: UTF8.self)
        + "\r\nX-Injected: 1\r\n/a b+c%2F%/é€\u{1F4DE}.pcap"

    // Proves the S3 path of the key encodes every control byte as %XY (uppercase), keeps `/`, encodes `%`, `+`
    // and space, and leaves no byte below 0x21 or 0x7F and above in the path.
    @Test("the S3 path of a key with control characters")
    func path() {
        let path = URIEncoding.s3Path(key: Self.hostileKey)
        #expect(path.hasPrefix("/captures/%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10"))
        #expect(path.contains("%1F%7F%0D%0AX-Injected%3A%201%0D%0A/a%20b%2Bc%252F%25/%C3%A9%E2%82%AC%F0%9F%93%9E.pcap"))
        #expect(path.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F })
        #expect(URIEncoding.decode(String(path.dropFirst())) == Array(Self.hostileKey.utf8))
    }

    // Proves a PutObject of that key against a loopback server sends one request whose target is the encoded
    // path, whose headers contain no injected field, and whose body arrives intact; and that a NoSuchKey error
    // for it keeps the key as given.
    @Test("a PUT and a failed GET of a key with control characters")
    func putAndGet() throws {
        let server = try LoopbackHTTPServer { request in
            if request.method == "PUT" {
                return .respond(.init(status: 200, headers: [("ETag", "\"e\"")], body: []))
            }
            let body = "<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>r1</RequestId></Error>"
            return .respond(.init(status: 404, headers: [], body: Array(body.utf8)))
        }
        defer { server.stop() }
        let configuration = S3Configuration(
            region: "us-east-1",
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"),
            endpoint: server.baseURL,
            retry: S3RetryPolicy(maxAttempts: 1)
        )
        let client = S3Client(
            configuration: configuration,
            httpClient: try HTTPClient(),
            logger: Logger(label: "hardening", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        _ = try client.putObject(bucket: "bucket", key: Self.hostileKey, body: [1, 2, 3])
        let requests = server.requests
        #expect(requests.count == 1)
        let put = try #require(requests.first)
        #expect(put.target == "/bucket" + URIEncoding.s3Path(key: Self.hostileKey))
        #expect(put.header("X-Injected") == nil)
        #expect(put.body == [1, 2, 3])
        #expect(put.header("Authorization")?.contains("Signature=") == true)

        let error = try #require(throws: S3Error.self) {
            _ = try client.getObjectBytes(bucket: "bucket", key: Self.hostileKey)
        }
        #expect(error.code == .noSuchKey)
        #expect(error.key == Self.hostileKey)
        #expect(error.requestID == "r1")
    }
}
