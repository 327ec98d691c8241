import Foundation
import TestSupport
import Testing

/// The zip to check, from `RTP2MP3_PACKAGE_ZIP`.
private let packageZipPath: String? = {
    guard let path = ProcessInfo.processInfo.environment["RTP2MP3_PACKAGE_ZIP"], !path.isEmpty else { return nil }
    return path
}()

/// The Lambda zip in an empty root (SPEC §7), when `RTP2MP3_PACKAGE_ZIP` names one (scripts/package writes
/// dist/rtp2mp3-lambda.zip; building it takes a release build, so ordinary test runs skip this).
@Suite(
    "Lambda package",
    .enabled(if: packageZipPath != nil, "set RTP2MP3_PACKAGE_ZIP to the zip from scripts/package")
)
struct PackageTests {
    /// scripts/check-package: unpacked into a root holding only a static busybox and run there with Lambda's
    /// environment, every library resolves from /var/task/lib (also on this host, whose /lib64 would otherwise
    /// win) and the program starts.
    @Test("runs in an empty root with nothing but busybox")
    func emptyRoot() throws {
        let zipPath = try #require(packageZipPath)
        let process = Process()
        process.executableURL = TestData.projectRoot.appendingPathComponent("scripts/check-package")
        process.arguments = [zipPath]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "scripts/check-package failed: see its output above")
    }
}
