import Capture
import SecureRTP
import TestSupport
import Testing

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
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
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

/// Keys that are not in the SDP, wrong keys, and no keys.
@Suite struct SRTPKeySourceTests {
    @Test(
        "keys only in a key file, scoped by source, SSRC, both or neither",
        arguments: [
            SRTPCallWriter.KeyFileScope.source, .ssrc, .both, .none,
        ]
    )
    func keyFileOnly(_ scope: SRTPCallWriter.KeyFileScope) throws {
        let writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes256HMACSHA1_32), placement: .keyFile)
        let entries = try SRTPKeyFile.parse(writer.keyFile(scopedBy: scope), name: "call.keys.json")
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer, keys: SRTPKeyRing(entries))
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(unprotector.statistics.allSatisfy { $0.keyOrigin?.kind == "key file" && $0.status == .decrypted })
    }

    @Test("no keys anywhere: every packet is 'no key', none is decoded")
    func noKeys() throws {
        let writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80), placement: .none)
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(!verdicts.isEmpty)
        #expect(verdicts.allSatisfy { $0 == .noKey })
        #expect(unprotector.statistics.allSatisfy { $0.status == .noKey })
    }

    @Test("a wrong key: authentication fails for every packet, nothing is decrypted")
    func wrongKey() throws {
        let writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80), placement: .none)
        let wrong = SRTPKeyEntry(
            material: SRTPKeyMaterial(
                suite: .aes128HMACSHA1_80,
                keys: [SRTPKeyParameter(material: SRTPMasterKey(bytes: [UInt8](repeating: 7, count: 30)))]
            ),
            scope: .any,
            origin: .option(index: 1)
        )
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer, keys: SRTPKeyRing([wrong]))
        #expect(verdicts.allSatisfy { $0 == .authenticationFailed })
        #expect(unprotector.statistics.count == 2)
        #expect(unprotector.statistics.allSatisfy { $0.status == .noKeyAuthenticates && $0.authenticated == 0 })
    }

    @Test("a wrong key among right ones: authentication picks the right one")
    func wrongKeyAmongRight() throws {
        let writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80), placement: .sdp)
        let decoy = SRTPKeyEntry(
            material: SRTPKeyMaterial(
                suite: .aes128HMACSHA1_80,
                keys: [SRTPKeyParameter(material: SRTPMasterKey(bytes: [UInt8](repeating: 9, count: 30)))]
            ),
            scope: SRTPKeyScope(source: SRTPFixtures.alice),
            origin: .option(index: 1)
        )
        let (verdicts, _) = try SRTPFixtures.verdicts(writer, keys: SRTPKeyRing([decoy]))
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
    }
}

/// The two passes of the pipeline must decide alike: pass 2, given pass 1's keys (each known from the record that
/// brought it) and the same datagrams without the SIP, gives the same verdict for every packet.
@Suite struct SRTPPassAgreementTests {
    @Test("pass 2 with pass 1's ring: the same verdicts, re-key, reordering, ROC 1 and a corrupted tag included")
    func passesAgree() throws {
        var writer = SRTPFixtures.writer(
            (.aes128HMACSHA1_32, .aeadAES128GCM),
            call: SRTPFixtures.call(duplicates: 0.05, reorder: 0.1)
        )
        writer.senders[0].rekey = (60, SRTPMasterKey(bytes: [UInt8](repeating: 0x44, count: 30)))
        writer.senders[0].corruptedPacket = 10
        writer.senders[1].rolloverCounter = 1
        let capture = writer.capture()
        var pass1 = SRTPReceiver()
        try pass1.run(capture: capture)
        let pass2 = SRTPUnprotector(keys: pass1.unprotector.keys)
        var verdicts2: [SRTPVerdict] = []
        for datagram in try SRTPReceiver.datagrams(capture) where datagram.payload.first.map({ $0 >> 6 == 2 }) == true {
            if case .rtp = PayloadClassifier.classify(datagram) { verdicts2.append(pass2.unprotect(datagram)) }
        }
        #expect(SRTPFixtures.firstDifference(verdicts2, pass1.mediaVerdicts) == nil)
        #expect(SRTPFixtures.firstDifference(pass1.mediaVerdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(pass2.statistics == pass1.unprotector.statistics)
    }

    @Test("an offer listing several a=crypto lines: authentication finds the one the sender uses")
    func severalOfferedLines() throws {
        var writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes256HMACSHA1_80))
        writer.senders[0].decoyLines = 3
        writer.senders[1].decoyLines = 1
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(unprotector.keys.entries.count == 6)
        #expect(
            unprotector.statistics.map(\.keyOrigin) == [.sdp(packetNumber: 1, tag: 4), .sdp(packetNumber: 2, tag: 2)]
        )
    }
}

/// What the network and the capture do to SRTP: wraps, duplicates, reordering, corruption, re-keying, MKI.
@Suite struct SRTPStreamEventTests {
    @Test(
        "a sender whose sequence number wrapped before the capture (rollover counter 1) is found",
        arguments: [
            SRTPSuite.aes128HMACSHA1_80, .aes128HMACSHA1_32, .aes256HMACSHA1_80, .aeadAES128GCM, .aeadAES256GCM,
        ]
    )
    func rolloverCounterOne(_ suite: SRTPSuite) throws {
        var writer = SRTPFixtures.writer((suite, suite))
        writer.senders[1].rolloverCounter = 1
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(unprotector.statistics.map(\.initialRolloverCounter) == [0, 1])
    }

    @Test(
        "a sequence number wrap inside the capture, at rollover counter 0 and 2",
        arguments: [
            (SRTPSuite.aes128HMACSHA1_80, UInt32(0)), (.aeadAES128GCM, 0), (.aes128HMACSHA1_32, 2), (.aeadAES256GCM, 2),
        ]
    )
    func wrapInside(_ suite: SRTPSuite, rollover: UInt32) throws {
        let call = SRTPFixtures.call(firstSequences: (65_480, 65_500))
        var writer = SRTPFixtures.writer((suite, suite), call: call)
        writer.senders[0].rolloverCounter = rollover
        writer.senders[1].rolloverCounter = rollover
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(unprotector.statistics.map(\.initialRolloverCounter) == [rollover, rollover])
        #expect(unprotector.statistics.map(\.resynchronizations) == [0, 0])
    }

    @Test(
        "duplicated and reordered packets: duplicates reported as such, never as authentication failures",
        arguments: [SRTPSuite.aes128HMACSHA1_80, .aeadAES128GCM]
    )
    func duplicatesAndReordering(_ suite: SRTPSuite) throws {
        let writer = SRTPFixtures.writer((suite, suite), call: SRTPFixtures.call(duplicates: 0.1, reorder: 0.1))
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        let expected = SRTPFixtures.expectedVerdicts(writer)
        #expect(expected.contains(.duplicate))
        #expect(SRTPFixtures.firstDifference(verdicts, expected) == nil)
        #expect(unprotector.statistics.allSatisfy { $0.authenticationFailures == 0 })
        #expect(unprotector.statistics.map(\.duplicates).reduce(0, +) == expected.filter { $0 == .duplicate }.count)
    }

    @Test("one packet with a corrupted tag fails authentication; its neighbours do not")
    func corruptedTag() throws {
        var writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aeadAES128GCM))
        writer.senders[0].corruptedPacket = 30
        writer.senders[1].corruptedPacket = 0
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(unprotector.statistics.map(\.authenticationFailures) == [1, 1])
    }

    @Test(
        "re-keying by re-INVITE: the new key takes over, packets keyed before it still authenticate",
        arguments: [SRTPSuite.aes128HMACSHA1_80, .aeadAES256GCM]
    )
    func rekey(_ suite: SRTPSuite) throws {
        var writer = SRTPFixtures.writer((suite, suite), call: SRTPFixtures.call(reorder: 0.1))
        writer.senders[1].rekey = (40, SRTPMasterKey(bytes: [UInt8](repeating: 0x33, count: suite.keyMaterialLength)))
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(unprotector.statistics.map(\.keyChanges) == [0, 1])
    }

    @Test(
        "several master keys told apart by MKI, the second one in use",
        arguments: [
            SRTPSuite.aes128HMACSHA1_80, .aeadAES128GCM,
        ]
    )
    func masterKeyIdentifier(_ suite: SRTPSuite) throws {
        var writer = SRTPFixtures.writer((suite, suite))
        writer.senders[0] = SRTPCallWriter.Sender(suite: suite, seed: 5, keyCount: 2)
        writer.senders[0].keyIndex = 1
        writer.senders[0].lifetime = 1 << 31
        let (verdicts, _) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
    }
}

/// SDES session parameters that switch services off (RFC 4568 §6.3).
@Suite struct SRTPSessionParameterTests {
    @Test("UNENCRYPTED_SRTP and UNENCRYPTED_SRTCP: authenticated only, still checked and stripped of the tag")
    func unencrypted() throws {
        var writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes256HMACSHA1_32))
        for leg in 0..<2 { writer.senders[leg].sessionParameters = ["UNENCRYPTED_SRTP", "UNENCRYPTED_SRTCP"] }
        writer.senders[0].corruptedPacket = 3
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(unprotector.statistics.map(\.authenticationFailures) == [1, 0])
    }

    @Test("UNAUTHENTICATED_SRTP: with nothing to authenticate, the key is used only for the stream its SDP names")
    func unauthenticated() throws {
        var writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80))
        for leg in 0..<2 { writer.senders[leg].sessionParameters = ["UNAUTHENTICATED_SRTP"] }
        let (verdicts, _) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
    }
}

/// SRTCP: not audio, but an authenticated sender report confirms the key and tells the rollover counter.
@Suite struct SRTCPTests {
    @Test(
        "SRTCP sender reports authenticate with the sender's key",
        arguments: [
            SRTPSuite.aes128HMACSHA1_32, .aes256HMACSHA1_80, .aeadAES128GCM,
        ]
    )
    func senderReports(_ suite: SRTPSuite) throws {
        var writer = SRTPFixtures.writer((suite, suite))
        writer.senders[0].senderReports = true
        var receiver = SRTPReceiver()
        try receiver.run(capture: writer.capture())
        let control = receiver.outcomes.filter(\.isControl)
        #expect(control.count == 2)
        #expect(
            control.allSatisfy { if case .authenticated(let clear) = $0.verdict { clear[1] == 200 } else { false } }
        )
        #expect(receiver.unprotector.statistics.first?.controlAuthenticated == 1)
    }

    @Test("a sender 9 wraps in (beyond the counters tried blindly) is found through its SRTCP sender report")
    func rolloverFromSenderReport() throws {
        var writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80))
        writer.senders[1].rolloverCounter = 9
        writer.senders[1].senderReports = true
        let (verdicts, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(SRTPFixtures.firstDifference(verdicts, SRTPFixtures.expectedVerdicts(writer)) == nil)
        #expect(unprotector.statistics.map(\.initialRolloverCounter) == [0, 9])
    }

    @Test("without the report, a sender 9 wraps in cannot be found: every packet fails, none is noise")
    func rolloverOutOfReach() throws {
        var writer = SRTPFixtures.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80))
        writer.senders[1].rolloverCounter = 9
        let (_, unprotector) = try SRTPFixtures.verdicts(writer)
        #expect(unprotector.statistics.map(\.status) == [.decrypted, .noKeyAuthenticates])
    }
}
