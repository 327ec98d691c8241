private import CSRTP
public import Capture

/// libsrtp2, set up once per process: `srtp_init` runs the first time any context is made (Swift initialises a
/// global `let` exactly once, whatever the thread), with a log handler that drops every message — libsrtp's debug
/// output would print key material if a debug module were ever switched on.
enum SRTPLibrary {
    /// The status of `srtp_init` (0 when the library is ready).
    static let status: Int32 = {
        let status = srtp_init()
        _ = srtp_install_log_handler({ _, _, _ in }, nil)
        return Int32(bitPattern: status.rawValue)
    }()

    /// Throws when `srtp_init` failed.
    static func ready(source: String) throws(SRTPError) {
        guard status == 0 else {
            throw SRTPError(.libraryFailure, source: source, reason: "srtp_init failed", libraryStatus: status)
        }
    }

    /// The suites this build provides: each is tried once by making a context with a zero key (the GCM suites
    /// need libsrtp2 built on OpenSSL or NSS; Debian's 2.5 uses NSS).
    static let availableSuites: Set<SRTPSuite> = {
        guard status == 0 else { return [] }
        return Set(
            SRTPSuite.allCases.filter { suite in
                let zero = SRTPMasterKey(bytes: [UInt8](repeating: 0, count: suite.keyMaterialLength))
                let material = SRTPKeyMaterial(suite: suite, keys: [SRTPKeyParameter(material: zero)])
                return (try? SRTPSession(material: material, ssrc: 0, source: "probe")) != nil
            }
        )
    }()

    /// `libsrtp2 2.5.0`.
    static var version: String { String(cString: srtp_get_version_string()) }
}

extension SRTPSuite {
    /// Whether the libsrtp2 this program runs with provides the suite.
    public var isAvailable: Bool { SRTPLibrary.availableSuites.contains(self) }

    /// The libsrtp2 version string (`libsrtp2 2.5.0`), for reports and diagnostics.
    public static var libraryVersion: String { SRTPLibrary.version }
}
