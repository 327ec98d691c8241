import TestSupport
import Testing

@Suite("Shared test data")
struct TestDataPresenceTests {
    /// In CI the shared test data must be present: every conformance test depends on it.
    @Test("../shared/testdata is present (required when CI=true)")
    func present() {
        if TestData.isAvailable { return }
        if TestData.isCI {
            Issue.record("\(TestData.missingNote); CI requires it")
        } else {
            print("note: \(TestData.missingNote): conformance tests are skipped")
        }
    }
}
