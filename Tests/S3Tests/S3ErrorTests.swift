import HTTPClient
import Testing

@testable import S3

/// The pure parts of the S3 client: error classification, the retry policy and the XML reader.
@Suite("S3 errors, retry policy and XML")
struct S3ErrorTests {
    // Proves the retry classification of S3 error codes and statuses (never other 4xx).
    @Test func retryClassification() {
        func error(_ awsCode: String?, _ status: Int?) -> S3Error {
            S3Error(
                code: awsCode.map(S3Error.code(forAWSCode:)) ?? .other,
                awsCode: awsCode,
                message: "",
                status: status,
                operation: "PutObject"
            )
        }
        #expect(error("SlowDown", 503).isRetryable)
        #expect(error("InternalError", 500).isRetryable)
        #expect(error("RequestTimeout", 400).isRetryable)
        #expect(error("Throttling", 400).isRetryable)
        #expect(error(nil, 502).isRetryable)
        #expect(error(nil, 429).isRetryable)
        #expect(!error("NoSuchKey", 404).isRetryable)
        #expect(!error("AccessDenied", 403).isRetryable)
        #expect(!error("SignatureDoesNotMatch", 403).isRetryable)
        #expect(!error("InvalidArgument", 400).isRetryable)
        let refused = HTTPClientError(code: .connectionRefused, curlCode: 7, message: "", method: "PUT", url: "x")
        #expect(S3Error(code: .transport, message: "", operation: "PutObject", transport: refused).isRetryable)
        let tls = HTTPClientError(code: .tls, curlCode: 60, message: "", method: "PUT", url: "x")
        #expect(!S3Error(code: .transport, message: "", operation: "PutObject", transport: tls).isRetryable)
    }

    // Proves the backoff ceilings double from the base and stop at the cap.
    @Test func backoffCeilings() {
        let policy = S3RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        let ceilings = (1...6).map { policy.delayCeiling(beforeRetry: $0) }
        #expect(
            ceilings == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ]
        )
        for _ in 0..<100 { #expect(S3Client.fullJitter(.milliseconds(50)) <= .milliseconds(50)) }
    }

    // Proves an S3 error document is read into the typed error: Code, Message, RequestId, status, key.
    @Test func errorDocument() {
        let body = Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>\
            <Key>a &amp; b</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId>x</HostId></Error>
            """.utf8
        )
        let response = HTTPResponse(status: 404, headers: [:], body: body)
        let error = S3Client.error(
            from: response,
            operation: .init(name: "GetObject", method: "GET", bucket: "b", key: "a & b"),
            attempts: 1
        )
        #expect(error.code == .noSuchKey)
        #expect(error.message == "The specified key does not exist.")
        #expect(error.requestID == "4442587FB7D0A2F9")
        #expect(
            "\(error)"
                == "S3 GetObject s3://b/a & b failed: HTTP 404 NoSuchKey: The specified key does not exist. (request id 4442587FB7D0A2F9)"
        )
    }

    // Proves garbage in an error body still gives a typed error named after the status, never a crash.
    @Test(arguments: ["", "<html>502 Bad Gateway", "<Error><Code>x</Cod", "\u{0}\u{1}<<<>>>&&&;", "<a><b></a></b>"])
    func garbageErrorBody(text: String) {
        let response = HTTPResponse(status: 503, headers: ["x-amz-request-id": "R1"], body: Array(text.utf8))
        let error = S3Client.error(
            from: response,
            operation: .init(name: "PutObject", method: "PUT", bucket: "b", key: "k"),
            attempts: 2
        )
        #expect(error.status == 503)
        #expect(error.isRetryable)
        #expect(error.requestID == "R1")
    }

    // Proves the XML reader: declaration, namespaces, entities, numeric references, CDATA, comments, repeats.
    @Test func xmlReader() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- listing -->
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>b</Name><IsTruncated>false</IsTruncated>
              <Contents><Key>a&lt;b&gt;&quot;&apos;&#233;&#x65E5;</Key><Size>12</Size><ETag>&quot;e1&quot;</ETag></Contents>
              <Contents><Key><![CDATA[x<y>]]></Key><Size>0</Size></Contents>
              <Empty/>
            </ListBucketResult>
            """
        let document = try #require(S3XML.parse(Array(text.utf8)))
        #expect(document.name == "ListBucketResult")
        let contents = document.children("Contents")
        #expect(contents.count == 2)
        #expect(contents[0].value("Key") == "a<b>\"'é日")
        #expect(contents[0].value("ETag") == "\"e1\"")
        #expect(contents[1].value("Key") == "x<y>")
        #expect(document.value("Empty") == "")
    }

    // Proves malformed or hostile XML gives nil rather than trapping (unclosed, mismatched, deep nesting).
    @Test func xmlReaderRejectsGarbage() {
        #expect(S3XML.parse(Array("<a><b></a>".utf8)) == nil)
        #expect(S3XML.parse(Array("<a>&bogus;</a>".utf8)) == nil)
        #expect(S3XML.parse(Array("<a".utf8)) == nil)
        #expect(S3XML.parse(Array(String(repeating: "<a>", count: 10_000).utf8)) == nil)
        #expect(S3XML.parse([]) == nil)
        #expect(S3XML.parse([0xff, 0xfe, 0x3c]) == nil)
    }
}
