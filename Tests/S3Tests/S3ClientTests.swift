import Foundation
import HTTPClient
import S3
import SigV4
import TestSupport
import Testing

/// The S3 client against a real S3 API: the loopback server (moto with a faithful SigV4 checker, authentication
/// on) or real AWS (see S3TestContext).
@Suite(
    "S3 client against a signature-checking S3 server",
    .enabled(if: S3TestContext.shouldRun, Comment(rawValue: S3TestServer.unavailableNote))
)
struct S3ClientTests {
    // Proves a PUT/GET round trip with content type, user metadata and checksum, and HEAD's metadata.
    @Test func putGetRoundTrip() throws {
        let context = try S3TestContext.make("roundtrip")
        let client = try context.client()
        let key = context.prefix + "calls/call-42.mp3"
        let body = S3TestContext.bytes(300_000)
        let put = try client.putObject(
            bucket: context.bucket,
            key: key,
            body: body,
            contentType: "audio/mpeg",
            metadata: ["Source": "captures/call-42.pcap"]
        )
        #expect(put.eTag != nil)
        #expect(put.parts == 0)
        var chunks = 0
        var received: [UInt8] = []
        let got = try client.getObject(bucket: context.bucket, key: key) { chunk in
            chunks += 1
            received += chunk
        }
        #expect(received == body)
        #expect(got.size == Int64(body.count))
        #expect(got.contentType == "audio/mpeg")
        #expect(got.eTag == put.eTag)
        #expect(got.metadata["source"] == "captures/call-42.pcap")
        let head = try client.headObject(bucket: context.bucket, key: key)
        #expect(head.size == Int64(body.count))
        #expect(head.eTag == put.eTag)
        try client.deleteObject(bucket: context.bucket, key: key)
    }

    // Proves a ranged GET returns the range and reports the full size.
    @Test func rangedGet() throws {
        let context = try S3TestContext.make("range")
        let client = try context.client()
        let key = context.prefix + "range.bin"
        let body = S3TestContext.bytes(10_000)
        try client.putObject(bucket: context.bucket, key: key, body: body)
        let (bytes, metadata) = try client.getObjectBytes(
            bucket: context.bucket,
            key: key,
            range: S3ByteRange(first: 100, last: 199)
        )
        #expect(bytes == Array(body[100...199]))
        #expect(metadata.size == 10_000)
        #expect(metadata.contentLength == 100)
        try client.deleteObject(bucket: context.bucket, key: key)
    }

    static let awkwardKeys = [
        "with space/and more spaces.pcap",
        "plus+equals=colon:comma,parens()quote'bang!star*amp&dollar$at@semi;percent%",
        "percent%2Fslash-escape%20literal",
        "unicodé/日本語/ключ — dash.pcap",
        "dir//double/./dot/../kept",
        "tilde~under_score-dash.dot",
    ]

    // Proves S3's key encoding: keys with spaces, reserved characters, literal percent escapes, non-ASCII and
    // dot segments are signed as sent and stored under exactly that key.
    @Test(arguments: awkwardKeys)
    func awkwardKey(name: String) throws {
        let context = try S3TestContext.make("keys")
        let client = try context.client()
        let key = context.prefix + name
        let body = Array("body of \(name)".utf8)
        try client.putObject(bucket: context.bucket, key: key, body: body)
        #expect(try client.getObjectBytes(bucket: context.bucket, key: key).bytes == body)
        let listed = try client.listObjectsV2(bucket: context.bucket, prefix: context.prefix)
        #expect(listed.objects.map(\.key).contains(key))
        try client.deleteObject(bucket: context.bucket, key: key)
    }

    // Proves listing pages with continuation tokens.
    @Test func listPages() throws {
        let context = try S3TestContext.make("list")
        let client = try context.client()
        for index in 0..<5 {
            try client.putObject(bucket: context.bucket, key: context.prefix + "k\(index)", body: [UInt8(index)])
        }
        var keys: [String] = []
        var token: String? = nil
        repeat {
            let page = try client.listObjectsV2(
                bucket: context.bucket,
                prefix: context.prefix,
                continuationToken: token,
                maxKeys: 2
            )
            keys += page.objects.map(\.key)
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil
        #expect(keys == (0..<5).map { context.prefix + "k\($0)" })
        for key in keys { try client.deleteObject(bucket: context.bucket, key: key) }
    }

    // Proves STS session credentials: x-amz-security-token is sent and signed.
    @Test(.enabled(if: S3TestContext.loopbackOnly)) func sessionCredentials() throws {
        let context = try S3TestContext.make("session")
        let server = try #require(context.server)
        var configuration = context.configuration
        configuration.credentials = AWSCredentials(
            accessKeyID: server.sessionAccessKeyID,
            secretAccessKey: server.sessionSecretAccessKey,
            sessionToken: server.sessionToken
        )
        let client = try context.client(configuration: configuration)
        try client.putObject(bucket: context.bucket, key: "via-session", body: [1, 2, 3])
        #expect(try client.getObjectBytes(bucket: context.bucket, key: "via-session").bytes == [1, 2, 3])
        // The same session key without its token is refused.
        configuration.credentials.sessionToken = nil
        let tokenless = try context.client(configuration: configuration)
        let error = try #require(throws: S3Error.self) {
            _ = try tokenless.headObject(bucket: context.bucket, key: "via-session")
        }
        #expect(error.status == 400 || error.status == 403)
    }

    // Proves a wrong secret gives a typed SignatureDoesNotMatch, is not retried, and the error text carries
    // neither the secret nor the signature.
    @Test func wrongSecret() throws {
        let context = try S3TestContext.make("wrongsecret")
        var configuration = context.configuration
        configuration.credentials.secretAccessKey = "WRONGwrongWRONGwrongWRONGwrong0123456789"
        let client = try context.client(configuration: configuration)
        let error = try #require(throws: S3Error.self) {
            try client.putObject(bucket: context.bucket, key: context.prefix + "x", body: [1])
        }
        #expect(error.code == .signatureDoesNotMatch)
        #expect(error.awsCode == "SignatureDoesNotMatch")
        #expect(error.status == 403)
        #expect(error.attempts == 1)
        #expect(error.requestID != nil)
        #expect(error.key == context.prefix + "x")
        #expect(!"\(error)".contains("WRONGwrong"))
        #expect(!"\(error)".contains(context.configuration.credentials.secretAccessKey))
    }

    // Proves a missing key gives a typed NoSuchKey for GET (with S3's message and request id) and for HEAD
    // (no body: derived from the 404), without retries.
    @Test func missingKey() throws {
        let context = try S3TestContext.make("missing")
        let client = try context.client()
        let get = try #require(throws: S3Error.self) {
            try client.getObject(bucket: context.bucket, key: context.prefix + "nope") { _ in }
        }
        #expect(get.code == .noSuchKey)
        #expect(get.status == 404)
        #expect(get.attempts == 1)
        #expect(get.isNotFoundOrForbidden)
        #expect(!get.isRetryable)
        let head = try #require(throws: S3Error.self) {
            _ = try client.headObject(bucket: context.bucket, key: context.prefix + "nope")
        }
        #expect(head.code == .noSuchKey)
    }

    // Proves the clock is an input: a client clock 20 minutes off is refused (RequestTimeTooSkewed), typed.
    @Test func clockSkew() throws {
        let context = try S3TestContext.make("skew")
        let client = try context.client(clock: { S3Client.systemClock() - 20 * 60 })
        let error = try #require(throws: S3Error.self) {
            try client.putObject(bucket: context.bucket, key: context.prefix + "x", body: [1])
        }
        #expect(error.code == .requestTimeTooSkewed)
    }

    // Proves multipart upload of 20 MiB (8 MiB parts, each with its SHA-256 checksum) and that the object
    // reads back intact.
    @Test func multipartUpload() throws {
        let context = try S3TestContext.make("multipart")
        let client = try context.client()
        let key = context.prefix + "big/recording.wav"
        let body = S3TestContext.bytes(20 << 20, seed: 7)
        let result = try client.putObject(bucket: context.bucket, key: key, body: body, contentType: "audio/wav")
        #expect(result.parts == 3)
        var hasher = SHA256()
        var size = 0
        let metadata = try client.getObject(bucket: context.bucket, key: key) { chunk in
            hasher.update(chunk)
            size += chunk.count
        }
        #expect(size == body.count)
        #expect(hasher.finalize() == SHA256.hash(body))
        #expect(metadata.contentType == "audio/wav")
        try client.deleteObject(bucket: context.bucket, key: key)
    }

    // Proves PutObject from a reader (the Lambda function uploads the recording from its file this way): above the
    // threshold it goes up by multipart in pieces and reads back intact, below it is one PutObject, and a reader
    // that fails part-way aborts the upload with nothing left at the key.
    @Test func putObjectFromReader() throws {
        let context = try S3TestContext.make("reader")
        let client = try context.client()
        let body = S3TestContext.bytes(20 << 20, seed: 11)
        var reads: [Int] = []
        let big = try client.putObject(bucket: context.bucket, key: context.prefix + "big.mp3", size: body.count) {
            offset,
            count in
            reads.append(count)
            return Array(body[offset..<offset + count])
        }
        #expect(big.parts == 3)
        #expect(reads.max() == 1 << 20, "read a MiB at a time")
        #expect(try client.getObjectBytes(bucket: context.bucket, key: context.prefix + "big.mp3").bytes == body)

        let small = try client.putObject(bucket: context.bucket, key: context.prefix + "small.mp3", size: 1000) {
            offset,
            count in Array(body[offset..<offset + count])
        }
        #expect(small.parts == 0)
        #expect(
            try client.getObjectBytes(bucket: context.bucket, key: context.prefix + "small.mp3").bytes.count == 1000
        )

        // A caller that already has the SHA-256 (a recording hashed for its report) spares the reading for it: the
        // body is read once, to send it, and the server's checksum check accepts it.
        var knownReads = 0
        let known = Array(body[0..<1000])
        try client.putObject(
            bucket: context.bucket,
            key: context.prefix + "known.mp3",
            size: known.count,
            sha256: SHA256.hash(known)
        ) { offset, count in
            knownReads += 1
            return Array(known[offset..<offset + count])
        }
        #expect(knownReads == 1)
        #expect(try client.getObjectBytes(bucket: context.bucket, key: context.prefix + "known.mp3").bytes == known)

        struct ReadFailure: Error {}
        #expect(throws: ReadFailure.self) {
            try client.putObject(bucket: context.bucket, key: context.prefix + "cut.mp3", size: body.count) {
                offset,
                count in
                guard offset < 12 << 20 else { throw ReadFailure() }
                return Array(body[offset..<offset + count])
            }
        }
        #expect(try client.listMultipartUploads(bucket: context.bucket, prefix: context.prefix).isEmpty)
        let names = try client.listObjectsV2(bucket: context.bucket, prefix: context.prefix).objects.map(\.key)
        #expect(!names.contains(context.prefix + "cut.mp3"))
    }

    // Proves the streaming writer: small writes accumulate into parts; a small total is a single PutObject.
    @Test func streamingWriter() throws {
        let context = try S3TestContext.make("writer")
        let client = try context.client()
        let body = S3TestContext.bytes(9 << 20, seed: 3)
        let writer = S3MultipartWriter(client: client, bucket: context.bucket, key: context.prefix + "w.mp3")
        var offset = 0
        while offset < body.count {
            let end = min(offset + 100_003, body.count)
            try writer.write(body[offset..<end])
            offset = end
        }
        #expect(writer.uploadID != nil)
        #expect(try writer.finish().parts == 2)
        #expect(try client.getObjectBytes(bucket: context.bucket, key: context.prefix + "w.mp3").bytes == body)

        let small = S3MultipartWriter(client: client, bucket: context.bucket, key: context.prefix + "s.json")
        try small.write(Array("{}".utf8))
        #expect(try small.finish().parts == 0)
        #expect(small.uploadID == nil)
    }

    // Proves abort leaves nothing: no object at the key and no upload in progress.
    @Test func abortLeavesNothing() throws {
        let context = try S3TestContext.make("abort")
        let client = try context.client()
        let key = context.prefix + "half.mp3"
        let writer = S3MultipartWriter(client: client, bucket: context.bucket, key: key)
        try writer.write(S3TestContext.bytes(9 << 20))
        #expect(writer.uploadID != nil)
        writer.abort()
        #expect(try client.listMultipartUploads(bucket: context.bucket, prefix: context.prefix).isEmpty)
        #expect(try client.listObjectsV2(bucket: context.bucket, prefix: context.prefix).objects.isEmpty)
        let error = try #require(throws: S3Error.self) { _ = try client.headObject(bucket: context.bucket, key: key) }
        #expect(error.code == .noSuchKey)
    }

    // Proves the deadline hook: a deadline already passed stops a PUT before anything is sent, and stops a
    // multipart writer with nothing left behind (no object, no upload in progress). The slow-server case is in
    // S3RetryTests.deadlineAbortsMultipart.
    @Test func deadlinePassed() throws {
        let context = try S3TestContext.make("deadline")
        let client = try context.client()
        let past = ContinuousClock.now.advanced(by: .seconds(-1))
        let early = try #require(throws: S3Error.self) {
            try client.putObject(bucket: context.bucket, key: context.prefix + "x", body: [1], deadline: past)
        }
        #expect(early.code == .deadlineExceeded)
        #expect(early.attempts == 0)
        let late = S3MultipartWriter(client: client, bucket: context.bucket, key: context.prefix + "z", deadline: past)
        let error = try #require(throws: S3Error.self) { try late.write(S3TestContext.bytes(9 << 20)) }
        #expect(error.code == .deadlineExceeded)
        #expect(try client.listMultipartUploads(bucket: context.bucket, prefix: context.prefix).isEmpty)
        #expect(try client.listObjectsV2(bucket: context.bucket, prefix: context.prefix).objects.isEmpty)
    }

    // Proves SigV4 query signing end to end: a presigned GET URL built with SigV4Signer.presign reads the
    // object with no Authorization header, and a tampered one is refused.
    @Test(.enabled(if: S3TestContext.loopbackOnly)) func presignedURL() throws {
        let context = try S3TestContext.make("presign")
        let server = try #require(context.server)
        let key = "shared call+1.mp3"
        try context.client().putObject(bucket: context.bucket, key: key, body: [9, 8, 7])
        let host = "127.0.0.1:\(server.port)"
        var request = SigV4Request(
            method: "GET",
            path: "/\(context.bucket)" + URIEncoding.s3Path(key: key),
            headers: [.init("Host", host)]
        )
        let signer = SigV4Signer(credentials: context.configuration.credentials, region: server.region)
        signer.presign(
            &request,
            payloadHash: SigV4Signer.unsignedPayload,
            date: AmzDate(secondsSince1970: S3Client.systemClock()),
            expiresInSeconds: 300
        )
        let http = try HTTPClient()
        let response = try http.execute(HTTPRequest(method: "GET", url: "http://\(host)\(request.target)"))
        #expect(response.status == 200)
        #expect(response.body == [9, 8, 7])
        let tampered = request.target.replacingOccurrences(of: "X-Amz-Expires=300", with: "X-Amz-Expires=301")
        #expect(try http.execute(HTTPRequest(method: "GET", url: "http://\(host)\(tampered)")).status == 403)
    }

    // Proves a private S3TestServer starts with authentication on and stops cleanly (no lingering process).
    @Test(.enabled(if: S3TestContext.loopbackOnly)) func serverStartsAndStops() throws {
        let server = try S3TestServer.start()
        let http = try HTTPClient()
        let anonymous = try http.execute(HTTPRequest(method: "GET", url: server.endpoint + "/"))
        #expect(anonymous.status == 403 || anonymous.status == 400)
        server.stop()
        let error = try #require(throws: HTTPClientError.self) {
            _ = try http.execute(HTTPRequest(method: "GET", url: server.endpoint + "/"))
        }
        #expect(error.code == .connectionRefused || error.code == .connectionReset)
    }

    // Proves the faithful checker accepts what the AWS SDK (boto3) signs, awkward keys and session included,
    // and refuses a wrong secret: the server is strict in the right places, not just strict.
    @Test(.enabled(if: S3TestContext.loopbackOnly)) func boto3Sanity() throws {
        let server = try S3TestServer.shared()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", TestData.projectRoot.appendingPathComponent("scripts/s3-server-boto3-check.py").path,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data((server.readyLine + "\n").utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.hasSuffix("ok\n"), "\(text)")
    }
}
