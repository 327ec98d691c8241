import Foundation

#if canImport(Glibc)
private import Glibc
#elseif canImport(Darwin)
private import Darwin
#endif

/// An HTTP answer read from a loopback server.
public struct LoopbackHTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased (HTTP names are case-insensitive).
    public var headers: [String: String]
    public var body: [UInt8]

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// `X-Amz-Function-Error` (`Unhandled` when the function failed), or nil.
    public var functionError: String? { headers["x-amz-function-error"] }
}

/// A minimal HTTP/1.1 client for loopback test servers over a plain socket: one request per connection
/// (`Connection: close`), so the answer ends with the connection. Kept to the bare protocol so tests of the
/// emulator do not depend on the HTTP client under test (FoundationNetworking's URLSession would also pull
/// libcurl and proxy settings into the picture).
public enum LoopbackHTTP {
    public static func post(
        port: Int,
        path: String,
        headers: [String: String] = [:],
        body: [UInt8]
    ) throws -> LoopbackHTTPResponse {
        try exchange(method: "POST", port: port, path: path, headers: headers, body: body)
    }

    /// Sends one request and reads the whole answer. Blocks as long as the server takes (no timeout: the
    /// Runtime API's `next` is a long poll).
    public static func exchange(
        method: String,
        port: Int,
        path: String,
        headers: [String: String] = [:],
        body: [UInt8] = []
    ) throws -> LoopbackHTTPResponse {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw EmulatorError(message: "socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw EmulatorError(message: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }

        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if method != "GET" {
            head += "Content-Length: \(body.count)\r\n"
            if headers.keys.contains(where: { $0.lowercased() == "content-type" }) == false {
                head += "Content-Type: application/json\r\n"
            }
        }
        for (name, value) in headers where !value.isEmpty {
            head += "\(name): \(value)\r\n"
        }
        head += "\r\n"
        try sendAll(descriptor, Array(head.utf8) + body)

        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return try parse(received)
    }

    private static func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, $0.count - offset, 0) }
            if sent < 0 {
                if errno == EINTR { continue }
                throw EmulatorError(message: "send failed: errno \(errno)")
            }
            offset += sent
        }
    }

    /// Parses status line, headers and body (by Content-Length, else to the end of the connection).
    static func parse(_ bytes: [UInt8]) throws -> LoopbackHTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw EmulatorError(message: "no HTTP answer (\(bytes.count) bytes received)")
        }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).split(separator: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw EmulatorError(message: "bad status line: \(lines.first ?? "")")
        }
        var headers = [String: String]()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(headEnd + 4)...])
        if let length = headers["content-length"].flatMap(Int.init), length <= body.count {
            body = Array(body[..<length])
        }
        return LoopbackHTTPResponse(status: status, headers: headers, body: body)
    }
}
