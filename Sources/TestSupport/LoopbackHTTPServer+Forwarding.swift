import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension LoopbackHTTPServer {
    /// Sends `request` unchanged (same target, same headers, the Host header included, so a signature still
    /// verifies) to 127.0.0.1:`port` over a fresh connection, and returns the raw response bytes read until the
    /// upstream closes. For fault-injecting proxies: answer with `.raw(forward(...))`.
    public static func forward(_ request: Request, toPort port: Int) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw LoopbackError("connect to upstream port \(port) failed: errno \(errno)") }
        var text = "\(request.method) \(request.target) HTTP/1.1\r\n"
        let hopByHop: Set<String> = ["connection", "content-length", "transfer-encoding", "keep-alive", "expect"]
        for (name, value) in request.headers where !hopByHop.contains(name.lowercased()) {
            text += "\(name): \(value)\r\n"
        }
        text += "Content-Length: \(request.body.count)\r\nConnection: close\r\n\r\n"
        let outgoing = Array(text.utf8) + request.body
        var offset = 0
        while offset < outgoing.count {
            let sent = outgoing[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw LoopbackError("send to upstream failed: errno \(errno)") }
            offset += sent
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += chunk[0..<count]
        }
        return response
    }
}
