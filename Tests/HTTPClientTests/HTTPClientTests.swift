import Foundation
import HTTPClient
import TestSupport
import Testing

/// HTTPClient against a real HTTP/1.1 server on 127.0.0.1 (TestSupport.LoopbackHTTPServer), no mocks.
@Suite("HTTPClient over loopback")
struct HTTPClientTests {
    struct Boom: Error, Equatable {}

    static func body(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) } }

    // Proves a buffered GET: status, Content-Length body, and case-insensitive header lookup.
    @Test func bufferedGet() throws {
        let server = try LoopbackHTTPServer { _ in
            .respond(.init(status: 200, headers: [("ETag", "\"abc\""), ("X-Thing", "1")], body: Array("hello".utf8)))
        }
        let client = try HTTPClient()
        let response = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/a?b=c"))
        #expect(response.status == 200)
        #expect(response.body == Array("hello".utf8))
        #expect(response.headers["etag"] == "\"abc\"")
        #expect(response.headers["x-thing"] == "1")
        #expect(server.requests.first?.target == "/a?b=c")
    }

    // Proves both chunked and connection-close-delimited response bodies are read whole.
    @Test(arguments: [LoopbackHTTPServer.Framing.chunked(chunkSize: 1000), .closeDelimited])
    func framings(framing: LoopbackHTTPServer.Framing) throws {
        let payload = Self.body(100_000)
        let server = try LoopbackHTTPServer { _ in .respond(.init(body: payload, framing: framing)) }
        let client = try HTTPClient()
        let response = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/"))
        #expect(response.body == payload)
    }

    // Proves the path goes out as given: dot segments and escapes are not rewritten (S3 keys may hold them).
    @Test func pathAsIs() throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init()) }
        let client = try HTTPClient()
        _ = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/b/a/./x/../%2F%20y?q=%2B"))
        #expect(server.requests.first?.target == "/b/a/./x/../%2F%20y?q=%2B")
    }

    // Proves keep-alive: three requests from one client travel on one connection.
    @Test func keepAlive() throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init(body: [1, 2, 3])) }
        let client = try HTTPClient()
        for _ in 0..<3 { _ = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/")) }
        #expect(server.connectionCount == 1)
        #expect(Set(server.requests.map(\.connection)) == [1])
    }

    // Proves a PUT of bytes arrives whole with Content-Length and without an Expect header.
    @Test func putBytes() throws {
        let payload = Self.body(3_000_000)
        let server = try LoopbackHTTPServer { _ in .respond(.init(status: 200)) }
        let client = try HTTPClient()
        let response = try client.execute(
            HTTPRequest(
                method: "PUT",
                url: server.baseURL + "/k",
                headers: ["Content-Type": "x/y"],
                body: .bytes(payload)
            )
        )
        #expect(response.status == 200)
        let received = try #require(server.requests.first)
        #expect(received.method == "PUT")
        #expect(received.body == payload)
        #expect(received.header("content-length") == "3000000")
        #expect(received.header("expect") == nil)
        #expect(received.header("content-type") == "x/y")
    }

    // Proves a POST with an empty body sends Content-Length: 0 (S3's CreateMultipartUpload needs it).
    @Test func emptyPost() throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init(status: 200)) }
        let client = try HTTPClient()
        _ = try client.execute(HTTPRequest(method: "POST", url: server.baseURL + "/k?uploads"))
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.header("content-length") == "0")
        #expect(received.header("expect") == nil)
    }

    // Proves streamed request bodies: with a length (Content-Length) and without (chunked transfer coding).
    @Test(arguments: [true, false])
    func streamedUpload(knownLength: Bool) throws {
        let payload = Self.body(1_000_003)
        let server = try LoopbackHTTPServer { _ in .respond(.init(status: 201)) }
        let client = try HTTPClient()
        var offset = 0
        let provider: (UnsafeMutableRawBufferPointer) throws -> Int = { buffer in
            let count = min(buffer.count, payload.count - offset, 7_777)
            payload.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count]))
            }
            offset += count
            return count
        }
        let request = HTTPRequest(
            method: "POST",
            url: server.baseURL + "/up",
            body: .stream(length: knownLength ? Int64(payload.count) : nil, provider: provider)
        )
        #expect(try client.execute(request).status == 201)
        let received = try #require(server.requests.first)
        #expect(received.body == payload)
        #expect(received.wasChunked == !knownLength)
    }

    // Proves streaming a 2xx body to a sink chunk by chunk (nothing buffered), while a 404's body is buffered
    // for error parsing and not given to the sink.
    @Test func streamedDownload() throws {
        let payload = Self.body(2_000_000)
        let server = try LoopbackHTTPServer { request in
            request.target == "/missing"
                ? .respond(.init(status: 404, body: Array("<Error/>".utf8)))
                : .respond(.init(body: payload, framing: .chunked(chunkSize: 65_536)))
        }
        let client = try HTTPClient()
        var collected: [UInt8] = []
        var chunks = 0
        let ok = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/obj")) { chunk in
            collected += chunk
            chunks += 1
        }
        #expect(ok.status == 200)
        #expect(ok.body.isEmpty)
        #expect(collected == payload)
        #expect(chunks > 1)
        var sinkCalls = 0
        let missing = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/missing")) { _ in
            sinkCalls += 1
        }
        #expect(missing.status == 404)
        #expect(missing.body == Array("<Error/>".utf8))
        #expect(sinkCalls == 0)
    }

    // Proves an error thrown by the sink aborts the transfer and comes back unchanged.
    @Test func sinkErrorIsRethrown() throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init(body: Self.body(500_000))) }
        let client = try HTTPClient()
        #expect(throws: Boom()) {
            _ = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/")) { _ in throw Boom() }
        }
        // The client is still usable afterwards.
        #expect(try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/")).status == 200)
    }

    // Proves an error thrown by a body provider aborts the upload and comes back unchanged.
    @Test func providerErrorIsRethrown() throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init(status: 200)) }
        let client = try HTTPClient()
        #expect(throws: Boom()) {
            _ = try client.execute(
                HTTPRequest(method: "PUT", url: server.baseURL + "/", body: .stream(length: 10) { _ in throw Boom() })
            )
        }
    }

    // Proves HEAD and DELETE go out with their method and HEAD reads no body.
    @Test func headAndDelete() throws {
        let server = try LoopbackHTTPServer { request in
            request.method == "HEAD"
                ? .respond(.init(status: 200, headers: [("Content-Length", "42")], framing: .closeDelimited))
                : .respond(.init(status: 204))
        }
        let client = try HTTPClient()
        let head = try client.execute(HTTPRequest(method: "HEAD", url: server.baseURL + "/x"))
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == "42")
        let delete = try client.execute(HTTPRequest(method: "DELETE", url: server.baseURL + "/x"))
        #expect(delete.status == 204)
        #expect(server.requests.map(\.method) == ["HEAD", "DELETE"])
    }

    // Proves a refused connection is a typed, transient error carrying the curl code.
    @Test func connectionRefused() throws {
        let server = try LoopbackHTTPServer { _ in .close }
        let url = server.baseURL + "/"
        server.stop()
        let client = try HTTPClient()
        let error = try #require(throws: HTTPClientError.self) {
            _ = try client.execute(HTTPRequest(method: "GET", url: url))
        }
        #expect(error.code == .connectionRefused)
        #expect(error.curlCode == 7)
        #expect(error.isTransient)
    }

    // Proves the total timeout: a server that waits 3 s before answering gives a typed timeout.
    @Test func totalTimeout() throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init(delayMilliseconds: 3000)) }
        let client = try HTTPClient()
        let error = try #require(throws: HTTPClientError.self) {
            _ = try client.execute(
                HTTPRequest(method: "GET", url: server.baseURL + "/", timeouts: HTTPTimeouts(totalMilliseconds: 200))
            )
        }
        #expect(error.code == .timeout)
        #expect(error.curlCode == 28)
    }

    // Proves that a reset without an answer, and a reset in the middle of a body, are typed connection resets.
    @Test(arguments: [
        LoopbackHTTPServer.Action.reset,
        .resetAfterPartialBody(.init(body: Array(repeating: 1, count: 100_000)), bytes: 1000),
    ])
    func resets(action: LoopbackHTTPServer.Action) throws {
        let server = try LoopbackHTTPServer { _ in action }
        let client = try HTTPClient()
        let error = try #require(throws: HTTPClientError.self) {
            _ = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/"))
        }
        #expect(error.code == .connectionReset, "\(error)")
        #expect(error.isTransient)
    }

    // Proves the cancellation hook stops a transfer that would otherwise wait.
    @Test func cancellation() throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init(delayMilliseconds: 5000)) }
        let client = try HTTPClient()
        let error = try #require(throws: HTTPClientError.self) {
            _ = try client.execute(HTTPRequest(method: "GET", url: server.baseURL + "/", isCancelled: { true }))
        }
        #expect(error.code == .cancelled)
    }

    // Proves a TLS failure is typed: https:// to a server that answers in plain HTTP fails the handshake.
    @Test func tlsFailure() throws {
        let server = try LoopbackHTTPServer(greeting: Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8)) { _ in .close }
        let client = try HTTPClient(
            configuration: .init(caBundlePath: HTTPClient.Configuration.locateCABundle(sslCertFile: nil))
        )
        let error = try #require(throws: HTTPClientError.self) {
            _ = try client.execute(HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/"))
        }
        #expect(error.code == .tls, "\(error)")
        #expect(!error.isTransient)
    }

    // Proves TLS verification with a configured CA bundle: the server's own certificate as the bundle is
    // trusted (keep-alive included), while the host's bundle refuses it with a typed, non-transient TLS error.
    @Test(.enabled(if: TLSTestServer.isAvailable, "needs openssl and python3")) func tlsVerification() throws {
        let server = try TLSTestServer()
        let trusting = try HTTPClient(configuration: .init(caBundlePath: server.certificatePath))
        for _ in 0..<2 {
            let response = try trusting.execute(HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/"))
            #expect(response.body == Array("secure".utf8))
        }
        let hostBundle = try HTTPClient(
            configuration: .init(caBundlePath: HTTPClient.Configuration.locateCABundle(sslCertFile: nil))
        )
        let error = try #require(throws: HTTPClientError.self) {
            _ = try hostBundle.execute(HTTPRequest(method: "GET", url: "https://127.0.0.1:\(server.port)/"))
        }
        #expect(error.code == .tls, "\(error)")
        #expect(!error.isTransient)
    }

    // Proves the CA bundle search: SSL_CERT_FILE wins when readable, else the host's known bundle.
    @Test func caBundleLocation() throws {
        let debian = "/etc/ssl/certs/ca-certificates.crt"
        let found = HTTPClient.Configuration.locateCABundle(sslCertFile: "/nonexistent/bundle.pem")
        #expect(found != nil)
        #expect(found != "/nonexistent/bundle.pem")
        if FileManager.default.fileExists(atPath: debian) {
            #expect(HTTPClient.Configuration.locateCABundle(sslCertFile: debian) == debian)
        }
    }

    // Proves the proxy setting: a client given a proxy sends through it (the proxy sees the absolute URL),
    // while the default client (`CURLOPT_PROXY ""`, which libcurl documents as overriding http_proxy and
    // friends) goes straight to the target. The environment is not touched: setenv races other threads.
    @Test func proxySetting() throws {
        let target = try LoopbackHTTPServer { _ in .respond(.init(body: Array("direct".utf8))) }
        let proxy = try LoopbackHTTPServer { _ in .respond(.init(body: Array("proxied".utf8))) }
        let url = "http://localhost:\(target.port)/x"
        let direct = try HTTPClient()
        #expect(try direct.execute(HTTPRequest(method: "GET", url: url)).body == Array("direct".utf8))
        let proxied = try HTTPClient(configuration: .init(proxy: .url(proxy.baseURL)))
        #expect(try proxied.execute(HTTPRequest(method: "GET", url: url)).body == Array("proxied".utf8))
        #expect(proxy.requests.first?.target == url)
        #expect(target.requests.count == 1)
    }
}
