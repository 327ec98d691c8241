import AudioCodecs
import CallTimeline
import Capture
import SecureRTP
import TestSupport
import Testing

/// The real SRTP capture of the shared test data (gteissier/srtp-decrypt's marseillaise-srtp.pcap: PCMA music,
/// AES_CM_128_HMAC_SHA1_80, no signalling; the key is given out of band in ../shared/testdata/README.md).
@Suite(.enabled(if: TestData.shouldRun, Comment(rawValue: TestData.missingNote)))
struct SRTPRealCaptureTests {
    static let path = "captures/gteissier-srtp/marseillaise-srtp.pcap"
    static let option = "AES_CM_128_HMAC_SHA1_80:aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz"

    static func receive(keys: SRTPKeyRing) throws -> SRTPReceiver {
        var receiver = SRTPReceiver(keys: keys)
        try receiver.run(capture: try TestData.bytes(path), name: "marseillaise-srtp.pcap")
        return receiver
    }

    @Test("with the key given as --srtp-key, all 11,888 packets authenticate, at rollover counter 0")
    func everyPacketAuthenticates() throws {
        let receiver = try Self.receive(keys: SRTPKeyRing([try SRTPKeyOption.parse(Self.option, index: 1)]))
        let verdicts = receiver.mediaVerdicts
        #expect(verdicts.count == 11_888)
        #expect(verdicts.allSatisfy { if case .authenticated = $0 { true } else { false } })
        let statistics = try #require(receiver.unprotector.statistics.first)
        #expect(receiver.unprotector.statistics.count == 1)
        #expect(statistics.authenticated == 11_888)
        #expect(statistics.authenticationFailures == 0 && statistics.duplicates == 0)
        #expect(statistics.initialRolloverCounter == 0)
        #expect(statistics.keyOrigin == .option(index: 1))
    }

    @Test("the clear packets are PCMA (payload type 8) with 160-byte payloads: the 10-byte tags are gone")
    func clearPacketsArePCMA() throws {
        let receiver = try Self.receive(keys: SRTPKeyRing([try SRTPKeyOption.parse(Self.option, index: 1)]))
        for verdict in receiver.mediaVerdicts.prefix(500) {
            guard case .authenticated(let clear) = verdict else {
                Issue.record("not authenticated: \(verdict)")
                return
            }
            let packet = try RTPPacket(parsing: clear)
            #expect(packet.payloadType == 8 && packet.payload.count == 160)
        }
    }

    @Test("without the key, every packet is 'no key'; with a wrong key, every packet fails authentication")
    func withoutTheKey() throws {
        #expect(try Self.receive(keys: SRTPKeyRing()).mediaVerdicts.allSatisfy { $0 == .noKey })
        let wrong = try SRTPKeyOption.parse("AES_CM_128_HMAC_SHA1_80:" + String(repeating: "A", count: 40), index: 1)
        let receiver = try Self.receive(keys: SRTPKeyRing([wrong]))
        #expect(receiver.mediaVerdicts.allSatisfy { $0 == .authenticationFailed })
        #expect(receiver.unprotector.statistics.first?.status == .noKeyAuthenticates)
    }
}

/// The detectors of SPEC §2.4 on the real SRTP capture: the ciphertext trips the tag-length check (c) and the
/// noise guard (d); the same packets decrypted are clear PCMA music and trip neither.
@Suite(.enabled(if: TestData.shouldRun, Comment(rawValue: TestData.missingNote)))
struct SRTPRealCaptureEvidenceTests {
    static func detector(_ packets: [[UInt8]]) throws -> PayloadEncryptionDetector {
        var detector = PayloadEncryptionDetector()
        for bytes in packets {
            let packet = try RTPPacket(parsing: bytes)
            detector.add(
                payloadType: packet.payloadType,
                sequenceNumber: packet.sequenceNumber,
                timestamp: packet.timestamp,
                payload: packet.payload
            )
        }
        return detector
    }

    @Test("the ciphertext: payloads 10 bytes longer than PCMA frames, and loud white noise when decoded")
    func ciphertext() throws {
        let receiver = try SRTPRealCaptureTests.receive(keys: SRTPKeyRing())
        let detector = try Self.detector(receiver.outcomes.filter { $0.verdict != nil }.map(\.datagram.payload))
        let evidence = detector.evidence(payloadType: 8, encodingName: "PCMA")
        let tag = evidence.compactMap { if case .authenticationTag(let finding) = $0 { finding } else { nil } }.first
        #expect(tag?.extraBytes == 10 && tag?.pairs == 11_887 && tag?.measuredPairs == 11_887)
        let noise = evidence.compactMap { if case .noiseLikeAudio(let finding) = $0 { finding } else { nil } }.first
        #expect(noise != nil && noise?.noiseWindows == noise?.windows)
    }

    @Test("decrypted: PCMA music, no tag excess and not one of its windows taken for noise")
    func decrypted() throws {
        let receiver = try SRTPRealCaptureTests.receive(
            keys: SRTPKeyRing([try SRTPKeyOption.parse(SRTPRealCaptureTests.option, index: 1)])
        )
        let clear = receiver.mediaVerdicts.compactMap { if case .authenticated(let bytes) = $0 { bytes } else { nil } }
        let detector = try Self.detector(clear)
        #expect(detector.evidence(payloadType: 8, encodingName: "PCMA").isEmpty)
        let (tags, noise) = try #require(detector.detectors(payloadType: 8))
        #expect(tags.dominantExcess(format: FixedRateFormat(encodingName: "PCMA")!)?.excess == 0)
        #expect(noise.windows > 400 && noise.noiseWindowsALaw == 0)
    }
}
