import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1, port 0 (the kernel picks a free one), for testing HTTP clients without
/// mocks. Each connection runs on its own thread; a handler script decides what every request gets: a response
/// framed by Content-Length, chunked coding or connection close, after an optional delay; a TCP reset; a bare
/// close; or raw bytes. Connections are kept alive unless the script or the client says otherwise.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// A request as received.
    public struct Request: Sendable {
        public var method: String
        /// Path and query, as on the request line.
        public var target: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// Which accepted connection carried it (1, 2, …): equal numbers mean a kept-alive connection.
        public var connection: Int
        /// Whether the body came with `Transfer-Encoding: chunked`.
        public var wasChunked: Bool

        /// The first value of a header (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// How a response body is delimited.
    public enum Framing: Sendable {
        case contentLength
        /// `Transfer-Encoding: chunked`, in chunks of the given size.
        case chunked(chunkSize: Int)
        /// No length: the body ends when the server closes the connection.
        case closeDelimited
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var framing: Framing
        /// Waited before anything is sent.
        public var delayMilliseconds: Int

        public init(
            status: Int = 200,
            headers: [(String, String)] = [],
            body: [UInt8] = [],
            framing: Framing = .contentLength,
            delayMilliseconds: Int = 0
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.framing = framing
            self.delayMilliseconds = delayMilliseconds
        }
    }

    /// What the server does with a request.
    public enum Action: Sendable {
        case respond(Response)
        /// Resets the connection (SO_LINGER 0, then close: the peer sees ECONNRESET) without answering.
        case reset
        /// Closes the connection without answering.
        case close
        /// Sends the status line, headers and the first `bytes` bytes of a Content-Length body, then resets.
        case resetAfterPartialBody(Response, bytes: Int)
        /// Sends these bytes as they are, then closes the connection.
        case raw([UInt8])
        /// Sends these bytes as they are, then resets the connection.
        case rawThenReset([UInt8])
    }

    public typealias Handler = @Sendable (Request) -> Action

    /// The port the server listens on.
    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var received: [Request] = []
    private var accepted = 0
    private var openSockets: Set<Int32> = []
    private var stopped = false

    private let greeting: [UInt8]?

    /// Starts listening on 127.0.0.1 with a kernel-chosen port. With a `greeting`, every connection is sent
    /// those bytes as soon as it is accepted and then closed (a server that speaks the wrong protocol).
    public init(greeting: [UInt8]? = nil, handler: @escaping Handler) throws {
        self.handler = handler
        self.greeting = greeting
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket() failed: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw LoopbackError("bind/listen on 127.0.0.1 failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        // The accept thread holds the server weakly: a server dropped by its test is stopped by `deinit`, which
        // closes the listening socket and so ends the thread.
        let reference = WeakReference(self)
        let thread = Thread { Self.acceptLoop(listener: fd, server: reference) }
        thread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in order.
    public var requests: [Request] { lock.withLock { received } }

    /// How many connections were accepted so far.
    public var connectionCount: Int { lock.withLock { accepted } }

    /// Stops accepting and closes every open connection.
    ///
    /// Sockets are shut down, not closed, here: the threads that own them close them, under the lock, so that
    /// a descriptor number is never reused by another server while this one still holds it.
    public func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            // Wakes the accept thread (accept fails with EINVAL), which then closes the listening socket.
            shutdown(listener, Int32(SHUT_RDWR))
            for socket in openSockets { shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    private static func acceptLoop(listener: Int32, server reference: WeakReference) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                close(listener)
                return
            }
            guard let server = reference.value, let number = server.register(client) else {
                close(client)
                close(listener)
                return
            }
            let thread = Thread { server.serve(client, connection: number) }
            thread.start()
        }
    }

    /// Counts an accepted connection; nil once the server is stopped.
    private func register(_ client: Int32) -> Int? {
        lock.withLock {
            if stopped { return nil }
            accepted += 1
            openSockets.insert(client)
            return accepted
        }
    }

    private func serve(_ socket: Int32, connection: Int) {
        let reader = SocketReader(socket: socket)
        var resets = false
        defer {
            lock.withLock {
                _ = openSockets.remove(socket)
                if resets {
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                }
                close(socket)
            }
        }
        if let greeting {
            sendAll(socket, greeting)
            return
        }
        while let request = reader.readRequest(connection: connection) {
            lock.withLock { received.append(request) }
            let action = handler(request)
            switch action {
            case .reset:
                resets = true
                return
            case .close:
                return
            case .raw(let bytes):
                sendAll(socket, bytes)
                return
            case .rawThenReset(let bytes):
                sendAll(socket, bytes)
                resets = true
                return
            case .resetAfterPartialBody(let response, let count):
                pause(response.delayMilliseconds)
                var head = Self.head(response, framing: .contentLength)
                head += Array(response.body.prefix(count))
                sendAll(socket, head)
                resets = true
                return
            case .respond(let response):
                pause(response.delayMilliseconds)
                sendAll(socket, Self.encode(response))
                if case .closeDelimited = response.framing { return }
                if request.header("connection")?.lowercased() == "close" { return }
            }
        }
    }

    private func pause(_ milliseconds: Int) {
        if milliseconds > 0 { usleep(useconds_t(milliseconds * 1000)) }
    }

    private func sendAll(_ socket: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    static func head(_ response: Response, framing: Framing) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        switch framing {
        case .contentLength: text += "Content-Length: \(response.body.count)\r\n"
        case .chunked: text += "Transfer-Encoding: chunked\r\n"
        case .closeDelimited: text += "Connection: close\r\n"
        }
        return Array((text + "\r\n").utf8)
    }

    static func encode(_ response: Response) -> [UInt8] {
        var bytes = head(response, framing: response.framing)
        switch response.framing {
        case .contentLength, .closeDelimited:
            bytes += response.body
        case .chunked(let size):
            var offset = 0
            while offset < response.body.count {
                let end = min(offset + max(size, 1), response.body.count)
                bytes += Array((String(end - offset, radix: 16) + "\r\n").utf8)
                bytes += response.body[offset..<end]
                bytes += Array("\r\n".utf8)
                offset = end
            }
            bytes += Array("0\r\n\r\n".utf8)
        }
        return bytes
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 206: "Partial Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

private final class WeakReference: @unchecked Sendable {
    weak var value: LoopbackHTTPServer?
    init(_ value: LoopbackHTTPServer) { self.value = value }
}

/// A failure of the loopback test servers.
public struct LoopbackError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
