import AudioCodecs
import CallTimeline
import Capture
import Foundation
import TestSupport
import Testing

/// SPEC §2.4's recognition of encrypted media without keys, on real clear captures (never a false alarm) and on
/// SRTP, ZRTP and DTLS-SRTP calls written with libsrtp2 (always recognised).
@Suite struct EncryptionEvidenceTests {
    static let alice = Endpoint(address: IPAddress(ipv4: 192, 0, 2, 10), port: 40_000)
    static let bob = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 20), port: 50_000)

    static func call(_ codecs: (SynthCodec, SynthCodec) = (.pcma, .pcmu), seconds: Double = 3) -> CallSynthesizer {
        var caller = SynthLeg(codec: codecs.0, source: alice, destination: bob)
        caller.durationSeconds = seconds
        var callee = SynthLeg(codec: codecs.1, source: bob, destination: alice)
        callee.durationSeconds = seconds
        callee.ssrc = 0x2222_2222
        callee.seed = 2
        var synth = CallSynthesizer(legs: [caller, callee])
        synth.withSIP = true
        return synth
    }

    static func writer(_ suite: SRTPSuite, codecs: (SynthCodec, SynthCodec) = (.pcma, .pcmu)) -> SRTPCallWriter {
        SRTPCallWriter(
            call: call(codecs),
            senders: [.init(suite: suite, seed: 1), .init(suite: suite, seed: 2)],
            placement: .none
        )
    }

    /// Every real capture but the SRTP one, each of its streams.
    static var clearCaptures: [String] {
        guard TestData.isAvailable,
            let files = try? FileManager.default.subpathsOfDirectory(
                atPath: TestData.directory.appendingPathComponent("captures").path
            )
        else { return [] }
        return files.filter { ($0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng")) && !$0.contains("srtp") }.sorted()
    }

    @Test(
        "real clear captures (speech, music on hold, DTMF, comfort noise, 9 codecs) show no evidence of encryption",
        .enabled(if: TestData.shouldRun, Comment(rawValue: TestData.missingNote)),
        arguments: clearCaptures
    )
    func realClearCaptures(_ file: String) throws {
        let scan = try EncryptionScan(capture: try TestData.bytes("captures/" + file), name: file)
        for key in scan.streams {
            #expect(scan.evidence(key).isEmpty, "\(file) \(key.source) → \(key.destination)")
        }
    }

    @Test(
        "SRTP without keys: the SDP, the tag length and the decoded noise each say so",
        arguments: [
            (SRTPSuite.aes128HMACSHA1_80, 10), (.aes128HMACSHA1_32, 4), (.aes256HMACSHA1_80, 10), (.aeadAES128GCM, 16),
        ]
    )
    func srtpWithoutKeys(_ suite: SRTPSuite, tag: Int) throws {
        let scan = try EncryptionScan(capture: Self.writer(suite).capture())
        #expect(scan.streams.count == 2)
        for key in scan.streams {
            let evidence = scan.evidence(key)
            #expect(
                evidence.contains {
                    if case .signalled(let sdp) = $0 { sdp.profile == .srtp("RTP/SAVP") } else { false }
                }
            )
            #expect(
                evidence.contains {
                    if case .authenticationTag(let tags) = $0 { tags.extraBytes == tag } else { false }
                }
            )
            #expect(evidence.contains { if case .noiseLikeAudio = $0 { true } else { false } })
        }
    }

    @Test("a 4-byte MKI after an 80-bit tag: payloads 14 bytes longer, named as tag and MKI")
    func tagWithMKI() throws {
        var writer = Self.writer(.aes128HMACSHA1_80, codecs: (.g722, .g722))
        writer.senders[0] = SRTPCallWriter.Sender(suite: .aes128HMACSHA1_80, seed: 3, keyCount: 2)
        let scan = try EncryptionScan(capture: writer.capture())
        let evidence = scan.evidence(scan.streams.first { $0.source == Self.alice }!)
        let tag = evidence.compactMap { if case .authenticationTag(let tags) = $0 { tags } else { nil } }.first
        #expect(tag?.extraBytes == 14)
        #expect(tag?.description.contains("HMAC-SHA1-80 and a 4-byte MKI") == true)
    }

    @Test(
        "the same call in clear shows no evidence (G.711 and G.722)",
        arguments: [
            (SynthCodec.pcma, SynthCodec.pcmu), (.g722, .g722),
        ]
    )
    func clearCall(_ codecs: (SynthCodec, SynthCodec)) throws {
        let scan = try EncryptionScan(capture: Self.call(codecs).capture())
        for key in scan.streams { #expect(scan.evidence(key).isEmpty) }
    }

    @Test("ZRTP: Hello…Conf2ACK on the media ports, clear RTP before, SRTP after, and a=zrtp-hash in the SDP")
    func zrtp() throws {
        let writer = Self.writer(.aes128HMACSHA1_32)
        let scan = try EncryptionScan(capture: SRTPCallWriter.capture(writer.zrtpPackets(zrtpHashInSDP: true)))
        for key in scan.streams {
            let evidence = scan.evidence(key)
            let sighting = evidence.compactMap { if case .zrtp(let seen) = $0 { seen } else { nil } }.first
            #expect(sighting?.messages.prefix(3) == ["Hello", "HelloACK", "Commit"])
            #expect(sighting?.packets == 10)
            #expect(evidence.allSatisfy { $0.keyExchange == .zrtp || $0.keyExchange == .unknown })
            #expect(evidence.contains { if case .signalled(let sdp) = $0 { sdp.keyExchange == .zrtp } else { false } })
            #expect(
                evidence.contains { if case .authenticationTag(let tags) = $0 { tags.extraBytes == 4 } else { false } }
            )
            #expect(evidence.first { $0.keyExchange == .zrtp }?.description.contains("ZRTP") == true)
        }
    }

    @Test(
        "DTLS-SRTP: a=fingerprint and UDP/TLS/RTP/SAVPF in the SDP, a handshake on the media ports; keys unobtainable"
    )
    func dtls() throws {
        let writer = Self.writer(.aes128HMACSHA1_80)
        let scan = try EncryptionScan(capture: SRTPCallWriter.capture(writer.dtlsPackets()))
        for key in scan.streams {
            let evidence = scan.evidence(key)
            let sdp = evidence.compactMap { if case .signalled(let sdp) = $0 { sdp } else { nil } }.first
            #expect(sdp?.profile == .dtlsSRTP("UDP/TLS/RTP/SAVPF"))
            #expect(sdp?.keyExchange == .dtls && sdp?.keyExchange.keysCanBeInCapture == false)
            #expect(evidence.contains { if case .dtls(let seen) = $0 { seen.handshake } else { false } })
            #expect(evidence.contains { $0.description.contains("DTLS-SRTP") })
        }
    }
}

/// The last guard (d) against tones and noises that clear G.711 streams carry.
@Suite struct NoiseLikeAudioDetectorTests {
    /// A G.711 stream of `samples` encoded with `law`, 20 ms packets, through the detector.
    static func detect(_ samples: [Int16], law: G711Law) -> NoiseFinding? {
        var detector = NoiseLikeAudioDetector()
        let codes = law == .muLaw ? G711.encodeMuLaw(samples) : G711.encodeALaw(samples)
        for packet in 0..<(codes.count / 160) {
            detector.add(sequenceNumber: UInt16(packet), payload: codes[(packet * 160)..<(packet * 160 + 160)])
        }
        return detector.finding(law: law)
    }

    static func tones(_ frequencies: [Double], amplitude: Double, seconds: Double = 4) -> [Int16] {
        (0..<Int(seconds * 8000)).map { (n: Int) -> Int16 in
            var value = 0.0
            for frequency in frequencies {
                let phase: Double = 2 * Double.pi * frequency * Double(n) / 8000
                value += amplitude * sin(phase)
            }
            return Int16(max(-32768.0, min(32767.0, value.rounded())))
        }
    }

    static func whiteNoise(amplitude: Double, seconds: Double = 4) -> [Int16] {
        var random = SplitMix64(seed: 7)
        return (0..<Int(seconds * 8000)).map { _ -> Int16 in
            let unit = Double(random.next() >> 11) / 9_007_199_254_740_992.0
            return Int16((unit * 2 - 1) * amplitude)
        }
    }

    @Test(
        "loud DTMF pairs (ITU-T Q.23 frequencies), a 2 kHz tone and a 3.4 kHz tone are not noise",
        arguments: [
            [697.0, 1209.0], [941.0, 1633.0], [852.0, 1477.0], [2000.0], [3400.0], [1004.0],
        ]
    )
    func tonesAreNotNoise(_ frequencies: [Double]) {
        let amplitude = 30_000.0 / Double(frequencies.count)
        #expect(Self.detect(Self.tones(frequencies, amplitude: amplitude), law: .muLaw) == nil)
        #expect(Self.detect(Self.tones(frequencies, amplitude: amplitude), law: .aLaw) == nil)
    }

    @Test("comfort-noise-level white noise (−50 dBov) is not noise to this guard: it is quiet")
    func quietNoise() {
        #expect(Self.detect(Self.whiteNoise(amplitude: 180), law: .aLaw) == nil)
    }

    @Test("speech-like synthesized audio at full level is not noise")
    func speechLike() {
        let speech = CallSynthesizer.speechLike(count: 32_000, sampleRate: 8000, pitch: 140).map {
            Int16(clamping: Int($0) * 3)
        }
        #expect(Self.detect(speech, law: .muLaw) == nil)
    }

    @Test("loud white noise is what the guard reports (it cannot tell it from ciphertext, and should not record it)")
    func loudWhiteNoise() {
        let finding = Self.detect(Self.whiteNoise(amplitude: 30_000), law: .muLaw)
        #expect(finding != nil && finding!.noiseWindows == finding!.windows)
    }
}
