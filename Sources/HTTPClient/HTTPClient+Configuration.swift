#if canImport(Glibc)
private import Glibc
#elseif canImport(Darwin)
private import Darwin
#endif

extension HTTPClient {
    /// Per-client settings, chosen by the executable (libraries never read the environment).
    public struct Configuration: Sendable, Hashable {
        /// The CA bundle that verifies TLS peers; nil leaves libcurl's compiled-in default. Peer and host
        /// verification are always on.
        public var caBundlePath: String?
        /// Which proxy requests go through. `.none` (the default) sets `CURLOPT_PROXY ""`, which libcurl documents
        /// as disabling proxies even when `http_proxy`/`HTTPS_PROXY` are set: the Lambda Runtime API on loopback
        /// must never be captured by a proxy.
        public var proxy: Proxy
        /// `User-Agent` sent on every request; nil sends none.
        public var userAgent: String?

        public enum Proxy: Sendable, Hashable {
            /// Never use a proxy (`CURLOPT_PROXY ""`).
            case none
            /// libcurl's default: the `http_proxy`, `HTTPS_PROXY`, `NO_PROXY` … environment variables.
            case environment
            /// This proxy, e.g. `http://proxy.internal:3128`.
            case url(String)
        }

        public init(caBundlePath: String? = nil, proxy: Proxy = .none, userAgent: String? = "rtp2mp3") {
            self.caBundlePath = caBundlePath
            self.proxy = proxy
            self.userAgent = userAgent
        }

        /// Where hosts keep their CA bundle: Amazon Linux (the Lambda `provided.al2023` image) first, then
        /// Debian/Ubuntu, then Fedora/RHEL's extracted path and Alpine/openSUSE.
        public static let knownCABundlePaths = [
            "/etc/pki/tls/certs/ca-bundle.crt",
            "/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
            "/etc/ssl/ca-bundle.pem",
            "/etc/ssl/cert.pem",
        ]

        /// The CA bundle to use: `sslCertFile` (the caller passes `SSL_CERT_FILE`) when readable, else the first
        /// readable known path, else `shipped` (a bundle packaged beside the program) when readable, else nil.
        public static func locateCABundle(sslCertFile: String?, shipped: String? = nil) -> String? {
            var candidates: [String] = []
            if let sslCertFile, !sslCertFile.isEmpty { candidates.append(sslCertFile) }
            candidates += knownCABundlePaths
            if let shipped { candidates.append(shipped) }
            return candidates.first { access($0, R_OK) == 0 }
        }
    }
}
