import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads HTTP/1.1 requests from a socket: request line, headers, then a Content-Length or chunked body.
final class SocketReader {
    private let socket: Int32
    private var buffer: [UInt8] = []

    init(socket: Int32) { self.socket = socket }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count <= 0 { return false }
        buffer += chunk[0..<count]
        return true
    }

    /// The bytes up to CRLF (excluded), or nil when the peer closed first.
    func readLine() -> String? {
        while true {
            if let index = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let line = String(decoding: buffer[0..<index], as: UTF8.self)
                buffer.removeFirst(index + 2)
                return line
            }
            if !fill() { return nil }
        }
    }

    func readBytes(_ count: Int) -> [UInt8]? {
        while buffer.count < count { if !fill() { return nil } }
        let bytes = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return bytes
    }

    func readRequest(connection: Int) -> LoopbackHTTPServer.Request? {
        guard var requestLine = readLine() else { return nil }
        while requestLine.isEmpty {
            guard let next = readLine() else { return nil }
            requestLine = next
        }
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2 else { return nil }
        var headers: [(name: String, value: String)] = []
        while let line = readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        if header("expect")?.lowercased() == "100-continue" {
            _ = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8).withUnsafeBytes {
                send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
        }
        var body: [UInt8] = []
        let chunked = header("transfer-encoding")?.lowercased().contains("chunked") ?? false
        if chunked {
            while true {
                guard let sizeLine = readLine() else { return nil }
                let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) ?? 0
                if size == 0 {
                    while let trailer = readLine(), !trailer.isEmpty {}
                    break
                }
                guard let data = readBytes(size), readLine() != nil else { return nil }
                body += data
            }
        } else if let length = Int(header("content-length") ?? "0"), length > 0 {
            guard let data = readBytes(length) else { return nil }
            body = data
        }
        return LoopbackHTTPServer.Request(
            method: String(parts[0]),
            target: String(parts[1]),
            headers: headers,
            body: body,
            connection: connection,
            wasChunked: chunked
        )
    }
}
