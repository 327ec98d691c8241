private import CCurl

/// The state of one transfer, reached from libcurl's C callbacks through their user-data pointer.
final class Transfer {
    var headers = HTTPHeaders()
    var status = 0
    var body: [UInt8] = []
    let sink: ((UnsafeRawBufferPointer) throws -> Void)?
    let provider: ((UnsafeMutableRawBufferPointer) throws -> Int)?
    let bytes: [UInt8]
    var bytesSent = 0
    let uploads: Bool
    let uploadLength: Int64?
    let isCancelled: (() -> Bool)?
    var cancelled = false
    var onHead: ((Int, HTTPHeaders) -> Void)?
    /// An error thrown by the sink or the provider; rethrown by `execute` in place of libcurl's abort code.
    var callbackError: (any Error)?

    init(request: HTTPRequest, sink: ((UnsafeRawBufferPointer) throws -> Void)?) {
        self.sink = sink
        isCancelled = request.isCancelled
        let method = request.method.uppercased()
        switch request.body {
        case .empty:
            bytes = []
            provider = nil
            // PUT and POST always carry a body, if empty: `Content-Length: 0`, as S3 wants.
            uploads = method == "PUT" || method == "POST"
            uploadLength = 0
        case .bytes(let data):
            bytes = data
            provider = nil
            uploads = true
            uploadLength = Int64(data.count)
        case .stream(let length, let provider):
            bytes = []
            self.provider = provider
            uploads = true
            uploadLength = length
        }
    }

    func header(_ line: UnsafeRawBufferPointer) {
        var end = line.count
        while end > 0 && (line[end - 1] == 0x0a || line[end - 1] == 0x0d) { end -= 1 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            // A new status line (after a 1xx, or a redirect) starts a new header block.
            headers = HTTPHeaders()
            let parts = text.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if text.isEmpty {
            // The blank line ending a header block; interim 1xx blocks are followed by the real one.
            if status >= 200 { onHead?(status, headers) }
        } else if let colon = text.firstIndex(of: ":") {
            let name = String(text[..<colon])
            let value = text[text.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.add(name, String(value))
        }
    }

    func write(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if let sink, (200..<300).contains(status) {
            do {
                try sink(chunk)
            } catch {
                callbackError = error
                return false
            }
        } else if sink == nil || body.count < HTTPClient.errorBodyLimit {
            body.append(contentsOf: chunk)
        }
        return true
    }

    /// Fills `buffer` with the next body bytes; nil aborts.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        if let provider {
            do {
                return try provider(buffer)
            } catch {
                callbackError = error
                return nil
            }
        }
        let count = min(buffer.count, bytes.count - bytesSent)
        if count > 0 {
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[bytesSent..<bytesSent + count]))
            }
            bytesSent += count
        }
        return count
    }

    func shouldAbort() -> Bool {
        if let isCancelled, isCancelled() { cancelled = true }
        return cancelled
    }
}

// libcurl's C callbacks: each finds its Transfer from the user-data pointer.

func httpClientHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    transfer.header(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

func httpClientWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    // Returning a count other than the one given makes libcurl fail with CURLE_WRITE_ERROR.
    return transfer.write(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
}

func httpClientReadCallback(
    _ buffer: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    if transfer.shouldAbort() { return Int(CURL_READFUNC_ABORT) }
    return transfer.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
        ?? Int(CURL_READFUNC_ABORT)
}

// curl_off_t is `long` (Int) on LP64 Linux.
func httpClientProgressCallback(
    _ context: UnsafeMutableRawPointer?,
    _ downloadTotal: Int,
    _ downloaded: Int,
    _ uploadTotal: Int,
    _ uploaded: Int
) -> Int32 {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    // Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
    return transfer.shouldAbort() ? 1 : 0
}
