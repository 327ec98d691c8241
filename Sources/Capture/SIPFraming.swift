/// Finding SIP messages in a byte stream (RFC 3261 §7, §18.3) without copying it: start lines, the end of the
/// header, the Content-Length. Every scan is bounded by the bytes it is given and by `maxStartLine`.
enum SIPFraming {
    /// The longest start line looked at (as `PayloadClassifier.isSIP` does).
    static let maxStartLine = 2_048

    private static let version = Array("SIP/2.0".utf8)

    /// Whether the bytes at `start` begin a SIP message: a status line (`SIP/2.0 200 OK`) or a request line
    /// (`INVITE sip:… SIP/2.0`); nil when too few bytes have arrived to tell.
    static func startsMessage(_ bytes: [UInt8], from start: Int) -> Bool? {
        guard start < bytes.count else { return nil }
        let available = bytes.count - start
        // "SIP/2.0 " starts a status line.
        var matched = 0
        while matched < min(available, version.count + 1) {
            let expected = matched < version.count ? version[matched] : 0x20
            guard bytes[start + matched] == expected else { break }
            matched += 1
        }
        if matched == version.count + 1 { return true }
        if matched == available { return nil }
        return startsRequest(bytes, from: start)
    }

    /// A request line: an upper-case method token (letters and `-`), a space, a URI, ` SIP/2.0`, CR LF.
    private static func startsRequest(_ bytes: [UInt8], from start: Int) -> Bool? {
        let limit = min(bytes.count, start + maxStartLine)
        var index = start
        while index < limit, bytes[index] != 0x20 {
            guard (0x41...0x5A).contains(bytes[index]) || bytes[index] == 0x2D else { return false }
            index += 1
        }
        guard index < limit else { return bytes.count - start >= maxStartLine ? false : nil }
        guard index > start, let lineFeed = lineFeed(bytes, from: index, limit: limit) else {
            return index == start || bytes.count - start >= maxStartLine ? false : nil
        }
        var end = lineFeed
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        guard end - index > version.count, bytes[end - version.count - 1] == 0x20 else { return false }
        return bytes[(end - version.count)..<end].elementsEqual(version)
    }

    /// The index past the CRLF keep-alives at `start` (RFC 5626 §4.4.1: a double CRLF ping, a CRLF pong).
    static func keepAliveEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x0D || bytes[index] == 0x0A { index += 1 }
        return index
    }

    /// The index of the next line feed at or after `start` (before `limit`, default the end).
    static func lineFeed(_ bytes: [UInt8], from start: Int, limit: Int? = nil) -> Int? {
        var index = start
        let end = min(bytes.count, limit ?? bytes.count)
        while index < end {
            if bytes[index] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    /// The index just past the empty line that ends the header (CRLF CRLF, or bare LF LF from sloppy stacks),
    /// searched no further than `limit` bytes from `start`.
    static func headerEnd(_ bytes: [UInt8], from start: Int, limit: Int) -> Int? {
        let end = min(bytes.count, start + limit)
        var index = start
        while index < end {
            if bytes[index] == 0x0A {
                if index + 1 < end, bytes[index + 1] == 0x0A { return index + 2 }
                if index + 2 < end, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { return index + 3 }
            }
            index += 1
        }
        return nil
    }

    /// The Content-Length (or compact `l`) of the header in `start..<end`: 0 when absent, nil when it is not a
    /// number below a gigabyte (the stream cannot be framed by it).
    static func contentLength(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        var lineStart = start
        while lineStart < end {
            let lineEnd = lineFeed(bytes, from: lineStart, limit: end) ?? end
            if let colon = bytes[lineStart..<lineEnd].firstIndex(of: 0x3A),
                isContentLength(bytes[lineStart..<colon])
            {
                var digits = 0
                var value = 0
                for byte in bytes[(colon + 1)..<lineEnd] where byte != 0x20 && byte != 0x09 && byte != 0x0D {
                    guard (0x30...0x39).contains(byte), digits < 9 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            lineStart = lineEnd + 1
        }
        return 0
    }

    /// `Content-Length` or `l` (RFC 3261 §7.3.3), any case, spaces around.
    private static func isContentLength(_ name: ArraySlice<UInt8>) -> Bool {
        var start = name.startIndex
        var end = name.endIndex
        while start < end, name[start] == 0x20 || name[start] == 0x09 { start += 1 }
        while end > start, name[end - 1] == 0x20 || name[end - 1] == 0x09 { end -= 1 }
        let lower = name[start..<end].lazy.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        return lower.elementsEqual("content-length".utf8) || lower.elementsEqual("l".utf8)
    }
}
