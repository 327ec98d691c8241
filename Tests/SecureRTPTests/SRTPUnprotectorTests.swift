import Capture
import SecureRTP
import Testing
import TestSupport

/// SRTP captures written with libsrtp2 (TestSupport.SRTPCallWriter) unprotected back to exactly the clear call's
/// packets (issue 15's acceptance cases).
@Suite struct SRTPUnprotectorTests {
    static let suitePairs: [(SRTPSuite, SRTPSuite)] = [
        (.aes128HMACSHA1_80, .aes128HMACSHA1_80),
        (.aes128HMACSHA1_32, .aes128HMACSHA1_80),
        (.aes192HMACSHA1_80, .aes192HMACSHA1_32),
        (.aes256HMACSHA1_80, .aes256HMACSHA1_32),
        (.aeadAES128GCM, .aeadAES256GCM),
    ]

    @Test("keys in the SDP: every packet authenticates to the clear packet", arguments: suitePairs)
    func keysInSDP(_ suites: (SRTPSuite, SRTPSuite)) throws {
        let writer = SRTPFixtures.writer(suites)
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(verdicts == SRTPFixtures.expectedVerdicts(writer))
        let statistics = unprotector.statistics
        #expect(statistics.count == 2)
        #expect(statistics.map(\.suite) == [suites.0, suites.1])
        #expect(statistics.allSatisfy { $0.authenticationFailures == 0 && $0.keyOrigin?.kind == "sdp" })
    }

    @Test("every suite libsrtp2 is asked for is available in this build", arguments: SRTPSuite.allCases)
    func suiteAvailable(_ suite: SRTPSuite) {
        #expect(suite.isAvailable)
    }
}
