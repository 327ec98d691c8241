import CallTimeline
import Capture
import SecureRTP
import TestSupport
import Testing
import Transcoder

/// SPEC §2.4 through both passes: SRTP decrypted with the keys of the SDP, of an option or of a key file gives
/// the recording of the same call captured in the clear, byte for byte; encrypted media without a key that
/// authenticates it is never a recording (exit 65 with the way to give keys).
@Suite("SRTP in the pipeline")
struct SRTPPipelineTests {
    static let alice = Endpoint(address: IPAddress(ipv4: 192, 0, 2, 10), port: 40_000)
    static let bob = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 20), port: 50_000)

    /// A two-way call with SIP: PCMA from the caller, PCMU from the callee.
    static func call(
        seconds: Double = 2,
        duplicates: Double = 0,
        reorder: Double = 0,
        firstSequence: UInt16 = 1000
    )
        -> CallSynthesizer
    {
        var caller = SynthLeg(codec: .pcma, source: alice, destination: bob)
        caller.durationSeconds = seconds
        caller.firstSequence = firstSequence
        caller.duplicateProbability = duplicates
        caller.reorderProbability = reorder
        var callee = SynthLeg(codec: .pcmu, source: bob, destination: alice)
        callee.durationSeconds = seconds
        callee.ssrc = 0x2222_2222
        callee.firstSequence = 20_000
        callee.seed = 2
        callee.duplicateProbability = duplicates
        callee.reorderProbability = reorder
        var synth = CallSynthesizer(legs: [caller, callee])
        synth.withSIP = true
        return synth
    }

    static func writer(
        _ suites: (SRTPSuite, SRTPSuite),
        placement: SRTPCallWriter.KeyPlacement = .sdp,
        call: CallSynthesizer = call()
    ) -> SRTPCallWriter {
        SRTPCallWriter(
            call: call,
            senders: [.init(suite: suites.0, seed: 11), .init(suite: suites.1, seed: 22)],
            placement: placement
        )
    }

    static func transcode(
        _ capture: [UInt8],
        keys: SRTPKeyRing = SRTPKeyRing()
    ) throws(TranscodeError)
        -> TwoSteps.Result
    {
        var settings = TranscodeSettings()
        settings.srtpKeys = keys
        return try TwoSteps.transcode(
            MemorySource(bytes: capture, name: "srtp.pcap", chunkSize: 4096),
            settings: settings
        )
    }

    static func encryption(_ result: TwoSteps.Result) -> [StreamEncryption?] {
        result.contents.timeline.summary.streams.map(\.encryption)
    }

    static func encryptedError(_ capture: [UInt8], keys: SRTPKeyRing = SRTPKeyRing()) -> TranscodeError? {
        do {
            _ = try transcode(capture, keys: keys)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "keys in the SDP: the recording is byte-identical to the clear call's",
        arguments: [
            (SRTPSuite.aes128HMACSHA1_80, SRTPSuite.aes128HMACSHA1_32),
            (.aes256HMACSHA1_80, .aes192HMACSHA1_32),
            (.aeadAES128GCM, .aeadAES256GCM),
        ]
    )
    func sdpKeys(suites: (SRTPSuite, SRTPSuite)) throws {
        let writer = Self.writer(suites)
        let clear = try Self.transcode(writer.call.capture())
        let decrypted = try Self.transcode(writer.capture())
        #expect(decrypted.recording.bytes == clear.recording.bytes)
        let encryption = Self.encryption(decrypted)
        #expect(encryption.count == 2)
        #expect(encryption.allSatisfy { $0?.status == .decrypted && $0?.keyOrigin == .sdp })
        #expect(encryption.map { $0?.suite } == [suites.0, suites.1])
        #expect(encryption.allSatisfy { $0?.authenticationFailures == 0 })
        #expect(encryption.map { $0?.authenticated } == clear.contents.timeline.summary.streams.map(\.packets))
    }

    @Test("keys only in a key file: the same recording as the clear call")
    func keyFileKeys() throws {
        let writer = Self.writer((.aes128HMACSHA1_80, .aes256HMACSHA1_80), placement: .keyFile)
        let keys = SRTPKeyRing(try SRTPKeyFile.parse(writer.keyFile(), name: "call.keys.json"))
        let clear = try Self.transcode(writer.call.capture())
        let decrypted = try Self.transcode(writer.capture(), keys: keys)
        #expect(decrypted.recording.bytes == clear.recording.bytes)
        #expect(Self.encryption(decrypted).allSatisfy { $0?.keyOrigin == .keyFile && $0?.status == .decrypted })
    }

    @Test("a sender whose sequence number wrapped before the capture (rollover counter 1)")
    func rolloverCounter() throws {
        var writer = Self.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80), call: Self.call(firstSequence: 65_500))
        writer.senders[0].rolloverCounter = 1
        let clear = try Self.transcode(writer.call.capture())
        let decrypted = try Self.transcode(writer.capture())
        #expect(decrypted.recording.bytes == clear.recording.bytes)
        #expect(Self.encryption(decrypted).first??.initialRolloverCounter == 1)
    }

    @Test("re-keying by re-INVITE: the new key takes over, the recording is the clear call's")
    func rekey() throws {
        var writer = Self.writer((.aes128HMACSHA1_80, .aeadAES256GCM), call: Self.call(reorder: 0.05))
        writer.senders[1].rekey = (
            40, SRTPMasterKey(bytes: [UInt8](repeating: 0x33, count: SRTPSuite.aeadAES256GCM.keyMaterialLength))
        )
        let clear = try Self.transcode(writer.call.capture())
        let decrypted = try Self.transcode(writer.capture())
        #expect(decrypted.recording.bytes == clear.recording.bytes)
        #expect(Self.encryption(decrypted).map { $0?.keyChanges } == [0, 1])
    }

    @Test("two master keys told apart by MKI, and SRTCP sender reports from a sender 9 wraps in")
    func masterKeyIdentifierAndSenderReports() throws {
        var writer = Self.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_32), call: Self.call(firstSequence: 40_000))
        writer.senders[0] = SRTPCallWriter.Sender(suite: .aes128HMACSHA1_80, seed: 5, keyCount: 2)
        writer.senders[0].keyIndex = 1
        writer.senders[0].lifetime = 1 << 31
        writer.senders[1].rolloverCounter = 9
        writer.senders[1].senderReports = true
        let clear = try Self.transcode(writer.call.capture())
        let decrypted = try Self.transcode(writer.capture())
        #expect(decrypted.recording.bytes == clear.recording.bytes)
        #expect(Self.encryption(decrypted).map { $0?.initialRolloverCounter } == [0, 9])
    }

    @Test("duplicated and reordered SRTP packets: removed and reordered as in the clear call")
    func duplicatesAndReordering() throws {
        let writer = Self.writer(
            (.aes128HMACSHA1_80, .aeadAES128GCM),
            call: Self.call(seconds: 3, duplicates: 0.05, reorder: 0.05)
        )
        let clear = try Self.transcode(writer.call.capture())
        let decrypted = try Self.transcode(writer.capture())
        #expect(clear.contents.timeline.summary.streams.map(\.duplicated).reduce(0, +) > 0)
        #expect(decrypted.recording.bytes == clear.recording.bytes)
        #expect(Self.encryption(decrypted).allSatisfy { $0?.authenticationFailures == 0 && ($0?.duplicates ?? 0) > 0 })
    }

    @Test("a packet with a corrupted tag is counted and concealed like the loss of that packet")
    func corruptedTag() throws {
        var writer = Self.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80))
        writer.senders[0].corruptedPacket = 30
        let decrypted = try Self.transcode(writer.capture())
        #expect(Self.encryption(decrypted).map { $0?.authenticationFailures } == [1, 0])
        // The clear call without that packet: what the receiver is left with.
        var lost = writer.call.packets()
        let position = try #require(lost.indices.filter { lost[$0].leg == 0 }.dropFirst(30).first)
        lost.remove(at: position)
        let clear = try Self.transcode(SRTPCallWriter.capture(lost))
        #expect(decrypted.recording.bytes == clear.recording.bytes)
        #expect(decrypted.contents.timeline.summary.streams.first?.lost == 1)
    }

    @Test("no keys: the encrypted-media error naming the SDP and saying how to give keys, no recording")
    func noKeys() {
        let writer = Self.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_32), placement: .none)
        let error = Self.encryptedError(writer.capture())
        #expect(error?.code == .encryptedMedia)
        #expect(error?.isInvalidInput == true)
        let text = error?.description ?? ""
        #expect(text.contains("the media is encrypted"))
        #expect(text.contains("RTP/SAVP"))
        #expect(text.contains("--srtp-key") && text.contains("--srtp-keys") && text.contains(".keys.json"))
        #expect(text.contains("DTLS-SRTP"))
    }

    @Test("a wrong key: a clear error that the key does not authenticate the packets, not noise")
    func wrongKey() throws {
        let writer = Self.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80), placement: .none)
        var wrong = writer
        wrong.senders = [.init(suite: .aes128HMACSHA1_80, seed: 98), .init(suite: .aes128HMACSHA1_80, seed: 99)]
        let keys = SRTPKeyRing(try SRTPKeyFile.parse(wrong.keyFile(scopedBy: .none), name: "wrong.json"))
        let error = Self.encryptedError(writer.capture(), keys: keys)
        #expect(error?.code == .encryptedMedia)
        #expect(error?.description.contains("wrong key") == true)
    }

    @Test("ZRTP: clear packets before the switch, then SRTP: the encrypted error, not a recording")
    func zrtp() {
        let writer = Self.writer((.aes128HMACSHA1_32, .aes128HMACSHA1_32))
        let error = Self.encryptedError(SRTPCallWriter.capture(writer.zrtpPackets()))
        #expect(error?.code == .encryptedMedia)
        #expect(error?.description.contains("ZRTP") == true)
        #expect(error?.description.contains("cannot come from a capture") == true)
    }

    @Test("DTLS-SRTP: handshake on the media ports and a=fingerprint: the encrypted error saying keys cannot be had")
    func dtls() {
        let writer = Self.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80))
        let error = Self.encryptedError(SRTPCallWriter.capture(writer.dtlsPackets()))
        #expect(error?.code == .encryptedMedia)
        #expect(error?.description.contains("DTLS") == true)
        #expect(error?.description.contains("cannot come from a capture") == true)
    }

    @Test("no key material in errors, warnings or stream descriptions")
    func keysNeverShown() throws {
        let writer = Self.writer((.aes128HMACSHA1_80, .aes128HMACSHA1_80))
        let secrets = writer.senders.flatMap(\.keys).map { key in
            key.withUnsafeBytes { SRTPCallWriter.base64(Array($0)) }
        }
        let decrypted = try Self.transcode(writer.capture())
        var texts = decrypted.contents.timeline.summary.warnings
        texts += decrypted.contents.timeline.summary.streams.map { "\($0)" }
        let wrongKeys = SRTPKeyRing(try SRTPKeyFile.parse(writer.keyFile(scopedBy: .none), name: "k.json"))
        texts.append(
            Self.encryptedError(
                Self.writer(
                    (.aes128HMACSHA1_80, .aes128HMACSHA1_80),
                    placement: .none,
                    call: Self.call(seconds: 1)
                ).capture(),
                keys: wrongKeys
            )?.description ?? ""
        )
        for secret in secrets {
            #expect(!texts.contains { $0.contains(secret) || $0.contains(secret.dropLast(4)) })
        }
    }
}

/// `gteissier-srtp/marseillaise-srtp.pcap` against its README row.
@Suite("SRTP real capture through the pipeline", .enabled(if: TestData.shouldRun))
struct SRTPRealCapturePipelineTests {
    static var path: String { get throws { try TestData.url("captures/gteissier-srtp/marseillaise-srtp.pcap").path } }
    static let key = "AES_CM_128_HMAC_SHA1_80:aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz"

    @Test("without the key: the encrypted-media error, never noise")
    func withoutKey() throws {
        var settings = TranscodeSettings()
        settings.format = .wav
        #expect {
            _ = try TwoSteps.transcode(FileSource(path: try Self.path), settings: settings)
        } throws: { error in
            guard let error = error as? TranscodeError else { return false }
            return error.code == .encryptedMedia && error.description.contains("HMAC-SHA1-80")
        }
    }

    @Test("with the key: one leg, 8 kHz, ≈ 237.74 s, all 11,888 packets authenticate")
    func withKey() throws {
        var settings = TranscodeSettings()
        settings.format = .wav
        settings.srtpKeys = SRTPKeyRing([try SRTPKeyOption.parse(Self.key, index: 1)])
        let result = try TwoSteps.transcode(FileSource(path: try Self.path), settings: settings)
        #expect(result.call.legs.count == 1)
        #expect(result.recording.sampleRate == 8000)
        #expect(abs(result.recording.durationSeconds - 237.74) < 0.05)
        let encryption = result.contents.timeline.summary.streams.first?.encryption
        #expect(encryption?.authenticated == 11_888)
        #expect(encryption?.authenticationFailures == 0)
        #expect(encryption?.keyOrigin == .option)
        // Music, not ciphertext decoded as A-law: neighbouring samples correlate (white noise would give ≈ 0).
        let samples = result.recording.bytes.dropFirst(44).withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let minute = samples.dropFirst(2 * 8000 * 60).prefix(2 * 8000 * 10).enumerated().filter { $0.offset % 2 == 0 }
            .map { Double($0.element) }
        let mean = minute.reduce(0, +) / Double(minute.count)
        let lagged = zip(minute, minute.dropFirst()).map { ($0 - mean) * ($1 - mean) }.reduce(0, +)
        let power = minute.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        #expect(lagged / power > 0.5)
    }
}
