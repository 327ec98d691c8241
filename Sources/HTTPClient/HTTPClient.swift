private import CCurl

/// A small synchronous HTTP/1.1 client over one reused libcurl easy handle: successive requests to the same
/// host reuse the connection (keep-alive).
///
/// Not thread-safe: use one client per thread (the handle, its connection cache and its buffers are
/// unsynchronized state).
public final class HTTPClient {
    /// How much of a non-2xx body is kept when the body is otherwise streamed to a sink.
    public static let errorBodyLimit = 1 << 20

    public let configuration: Configuration
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates a client. Fails only if libcurl cannot be initialized or cannot allocate a handle.
    public init(configuration: Configuration = Configuration()) throws(HTTPClientError) {
        let globalCode = HTTPClient.globalInitialization
        guard globalCode == 0, let handle = curl_easy_init() else {
            throw HTTPClientError(
                code: .other,
                curlCode: Int(globalCode),
                message: "libcurl initialization failed",
                method: "",
                url: ""
            )
        }
        self.configuration = configuration
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// `curl_global_init` runs once per process, the first time a client is made (a Swift global is
    /// initialized exactly once, thread-safely). CURL_GLOBAL_ALL is `CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32` = 3;
    /// the macro is an expression Swift does not import.
    private static let globalInitialization: UInt32 = curl_global_init(3).rawValue

    /// Sends a request and returns the response with its body buffered.
    public func execute(_ request: HTTPRequest) throws -> HTTPResponse {
        try perform(request, sink: nil)
    }

    /// Sends a request and streams the body of a 2xx response to `sink`, chunk by chunk as it arrives; the
    /// body of any other status is buffered into the response instead (so an error document can be read).
    /// An error thrown by `sink` aborts the transfer and is rethrown. `onResponseHead` is called with the
    /// status and headers of the final response as soon as they are complete, before any body byte (so a caller
    /// knows the ETag even if the transfer breaks later).
    public func execute(
        _ request: HTTPRequest,
        onResponseHead: ((Int, HTTPHeaders) -> Void)? = nil,
        streamingBodyTo sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> HTTPResponse {
        try withoutActuallyEscaping(sink) { sink in
            if let onResponseHead {
                return try withoutActuallyEscaping(onResponseHead) { onHead in
                    try perform(request, sink: sink, onHead: onHead)
                }
            }
            return try perform(request, sink: sink, onHead: nil)
        }
    }

    private func perform(
        _ request: HTTPRequest,
        sink: ((UnsafeRawBufferPointer) throws -> Void)?,
        onHead: ((Int, HTTPHeaders) -> Void)? = nil
    ) throws -> HTTPResponse {
        let transfer = Transfer(request: request, sink: sink)
        transfer.onHead = onHead
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        // Keeps the connection cache (reset clears options only), so keep-alive survives from request to request.
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        var code = setup(request, transfer: transfer, context: context)
        for field in request.headers {
            headerList = curl_slist_append(headerList, field.name + ": " + field.value)
        }
        if transfer.uploads && request.headers["expect"] == nil {
            // An empty Expect header stops libcurl's "Expect: 100-continue" wait before sending a body.
            headerList = curl_slist_append(headerList, "Expect:")
        }
        if code == CURLE_OK { code = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }
        if code == CURLE_OK { code = withExtendedLifetime(transfer) { curl_easy_perform(handle) } }
        if let error = transfer.callbackError { throw error }
        guard code == CURLE_OK else { throw makeError(code, request: request, cancelled: transfer.cancelled) }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    /// Sets every option of one request; returns the first failure.
    private func setup(_ request: HTTPRequest, transfer: Transfer, context: UnsafeMutableRawPointer) -> CURLcode {
        var results: [CURLcode] = []
        func long(_ option: CURLoption, _ value: Int) { results.append(ccurl_setopt_long(handle, option, value)) }
        func string(_ option: CURLoption, _ value: String) {
            results.append(ccurl_setopt_string(handle, option, value))
        }
        results.append(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        string(CURLOPT_URL, request.url)
        // Signals are not safe with threads (libcurl's DNS timeout uses them otherwise).
        long(CURLOPT_NOSIGNAL, 1)
        long(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        long(CURLOPT_TCP_KEEPALIVE, 1)
        // The path goes out exactly as given: libcurl would otherwise squash "/./" and "/../" (RFC 3986 §5.2.4),
        // which changes an S3 key such as "a/../b" and breaks its signature.
        long(CURLOPT_PATH_AS_IS, 1)
        long(CURLOPT_SSL_VERIFYPEER, 1)
        long(CURLOPT_SSL_VERIFYHOST, 2)
        if let path = configuration.caBundlePath { string(CURLOPT_CAINFO, path) }
        switch configuration.proxy {
        case .none: string(CURLOPT_PROXY, "")
        case .environment: break
        case .url(let url): string(CURLOPT_PROXY, url)
        }
        if let agent = configuration.userAgent { string(CURLOPT_USERAGENT, agent) }
        long(CURLOPT_CONNECTTIMEOUT_MS, request.timeouts.connectMilliseconds)
        long(CURLOPT_TIMEOUT_MS, request.timeouts.totalMilliseconds)
        long(CURLOPT_LOW_SPEED_LIMIT, request.timeouts.lowSpeedBytesPerSecond)
        long(CURLOPT_LOW_SPEED_TIME, request.timeouts.lowSpeedSeconds)
        results.append(ccurl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, httpClientHeaderCallback))
        results.append(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        results.append(ccurl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, httpClientWriteCallback))
        results.append(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        if request.isCancelled != nil {
            long(CURLOPT_NOPROGRESS, 0)
            results.append(ccurl_setopt_xferinfo_callback(handle, CURLOPT_XFERINFOFUNCTION, httpClientProgressCallback))
            results.append(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context))
        }
        let method = request.method.uppercased()
        switch method {
        case "GET" where !transfer.uploads: long(CURLOPT_HTTPGET, 1)
        case "HEAD": long(CURLOPT_NOBODY, 1)
        default: string(CURLOPT_CUSTOMREQUEST, method)
        }
        if transfer.uploads {
            // UPLOAD sends the body through the read callback whatever the method (CUSTOMREQUEST names it), with
            // Content-Length when the size is known and chunked transfer coding otherwise.
            long(CURLOPT_UPLOAD, 1)
            results.append(ccurl_setopt_read_callback(handle, CURLOPT_READFUNCTION, httpClientReadCallback))
            results.append(ccurl_setopt_pointer(handle, CURLOPT_READDATA, context))
            if let length = transfer.uploadLength {
                results.append(ccurl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(length)))
            }
        }
        return results.first { $0 != CURLE_OK } ?? CURLE_OK
    }

    private func makeError(_ code: CURLcode, request: HTTPRequest, cancelled: Bool) -> HTTPClientError {
        let buffered = String(cString: errorBuffer)
        let message = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
        let url = request.url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.url
        let kind: HTTPClientError.Code
        switch code {
        case _ where cancelled: kind = .cancelled
        case CURLE_COULDNT_CONNECT: kind = .connectionRefused
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE: kind = .connectionReset
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .nameResolution
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT:
            kind = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION:
            kind = .invalidRequest
        default: kind = .other
        }
        return HTTPClientError(
            code: kind,
            curlCode: Int(code.rawValue),
            message: message,
            method: request.method,
            url: url
        )
    }
}
