import AudioCodecs
import OpusCodec
import TestSupport
import Testing

@Suite("Opus (libopus)")
struct OpusDecoderTests {
    /// 4 s of speech material at 48 kHz, and libopus's packets for it (VoIP, 24 kbit/s, 20 ms).
    static let speech = CodecTest.speech(sampleRate: 48000)
    static let packets = encode(speech, settings: OpusEncoder.Settings())

    static func encode(_ samples: [Int16], settings: OpusEncoder.Settings) -> [[UInt8]] {
        // The settings are valid: a failure here is a broken test, not a finding.
        try! OpusEncoder(settings).encode(stream: samples)
    }

    static func codecFrames(_ packets: [[UInt8]], sampleRate: Int) -> [CodecFrame] {
        packets.map { CodecFrame(kind: .speech, bytes: $0, sampleCount: sampleRate / 50) }
    }

    // Proves the wrapper adds nothing to libopus on a clean stream at each output rate: sample for sample what a
    // libopus decoder at that rate gives, 20 ms per packet.
    @Test(arguments: OpusDecoder.sampleRates)
    func decodesLikeTheLibrary(sampleRate: Int) throws {
        let decoder = try OpusDecoder(sampleRate: sampleRate)
        let output = CodecTest.decode(Self.codecFrames(Self.packets, sampleRate: sampleRate), with: decoder)
        #expect(output.count == Self.packets.count * sampleRate / 50)
        #expect(output == OpusLibrary.decode(Self.packets, sampleRate: sampleRate, lossSamples: 0))
        #expect(decoder.rejectedFrames == 0)
    }

    // Proves independent decoders hear the same audio: FFmpeg's libopus wrapper (sample for sample), and FFmpeg's
    // own Opus decoder, from an Ogg Opus file of the same packets (pre-skip 0), at 48 kHz. The stream is SILK
    // wideband (VoIP at 24 kbit/s, bandwidth capped at wideband). FFmpeg's own decoder resamples SILK's 16 kHz output
    // to 48 kHz with its own resampler, which RFC 6716 §4.2.9 leaves to the implementation: it comes out 2 samples
    // (42 µs) later than libopus's and its filter differs near the 8 kHz band edge, so the vowel (below 7 kHz)
    // agrees at that lag, and the chirp's sweep through 7–8 kHz and the white noise do not (figures printed).
    // In CELT (the stereo test below) the two agree with no lag.
    @Test(.enabled(if: CodecTest.hasFFmpeg), arguments: ["libopus", "opus"])
    func ffmpegAgrees(ffmpegDecoder: String) throws {
        var settings = OpusEncoder.Settings()
        settings.wideband = true
        let packets = Self.encode(Self.speech, settings: settings)
        let decoder = try OpusDecoder(sampleRate: 48000)
        let ours = CodecTest.decode(Self.codecFrames(packets, sampleRate: 48000), with: decoder)
        let file = CodecStreamFile.oggOpus(
            packets,
            packetSamples: packets.map { OpusLibrary.sampleCount(ofPacket: $0) ?? 0 },
            channels: 1
        )
        let reference = try CodecTest.ffmpeg(file, suffix: ".opus", decoder: ffmpegDecoder)
        #expect(reference.sampleRate == 48000 && reference.channels == 1)
        let comparison = SignalComparison(reference: reference.mono, actual: ours, maximumLag: 8)
        CodecTest.figure("Opus SILK wideband 24 kbit/s mono vs ffmpeg \(ffmpegDecoder)", comparison)
        #expect(comparison.compared == ours.count)
        let vowel = 0..<115200
        let vowelComparison = SignalComparison(
            reference: Array(reference.mono[vowel]),
            actual: Array(ours[vowel]),
            maximumLag: 8
        )
        CodecTest.figure("Opus SILK wideband 24 kbit/s mono vs ffmpeg \(ffmpegDecoder), the vowel", vowelComparison)
        if ffmpegDecoder == "libopus" {
            #expect(comparison.maximumDifference == 0)
        } else {
            #expect(vowelComparison.bestLag == -2, "\(vowelComparison)")
            #expect(vowelComparison.correlationAtBestLag >= 0.99, "\(vowelComparison)")
        }
    }

    // Proves a stereo stream decodes to one channel: libopus's downmix agrees with the average of FFmpeg's own
    // stereo decode of the same packets.
    @Test(.enabled(if: CodecTest.hasFFmpeg)) func stereoStreamDecodesToMono() throws {
        let right = Signals.vowel(pitch: 210, count: Self.speech.count, sampleRate: 48000, formants: [400, 2000, 2800])
        var interleaved = [Int16](repeating: 0, count: Self.speech.count * 2)
        for index in Self.speech.indices {
            interleaved[2 * index] = Self.speech[index]
            interleaved[2 * index + 1] = right[index]
        }
        var settings = OpusEncoder.Settings()
        settings.channels = 2
        settings.bitrate = 64000
        let packets = Self.encode(interleaved, settings: settings)
        let decoder = try OpusDecoder(sampleRate: 48000)
        let ours = CodecTest.decode(Self.codecFrames(packets, sampleRate: 48000), with: decoder)
        #expect(ours.count == Self.speech.count)
        let file = CodecStreamFile.oggOpus(
            packets,
            packetSamples: packets.map { OpusLibrary.sampleCount(ofPacket: $0) ?? 0 },
            channels: 2
        )
        let reference = try CodecTest.ffmpeg(file, suffix: ".opus", decoder: "opus")
        #expect(reference.channels == 2)
        let comparison = SignalComparison(reference: reference.mono, actual: ours)
        CodecTest.figure("Opus 64 kbit/s stereo decoded mono vs ffmpeg opus stereo averaged", comparison)
        #expect(comparison.correlation >= 0.99, "\(comparison)")
    }
}

extension OpusDecoderTests {
    static let lost: Set<Int> = [30, 31, 75, 110, 111, 112, 150]

    // Proves a lost packet without a following one becomes libopus's PLC, 20 ms, the same as libopus's own PLC
    // call, with no click and no rise in level.
    @Test func lossIsConcealedByThePLC() throws {
        let decoder = try OpusDecoder(sampleRate: 48000)
        let frames = Self.codecFrames(Self.packets, sampleRate: 48000)
        let lossy = LossyDecode(frames, lost: Self.lost, samples: 960, decoder: decoder)
        let withLosses = Self.packets.enumerated().map { Self.lost.contains($0.offset) ? [] : $0.element }
        #expect(lossy.output == OpusLibrary.decode(withLosses, sampleRate: 48000, lossSamples: 960))
        let clean = OpusLibrary.decode(Self.packets, sampleRate: 48000, lossSamples: 0)
        #expect(lossy.problems(samples: 960, clean: clean, sampleRate: 48000) == [])
    }

    // Proves in-band FEC is used when the next packet is given: the gap is what libopus decodes from that packet
    // with decode_fec (sample for sample), and it is closer to the lossless decode than PLC alone.
    @Test func lossIsRecoveredFromTheNextPacketsFEC() throws {
        var settings = OpusEncoder.Settings()
        settings.inbandFEC = true
        settings.expectedLossPercent = 20
        let packets = Self.encode(Self.speech, settings: settings)
        let frames = Self.codecFrames(packets, sampleRate: 48000)
        let lost: Set<Int> = [30, 75, 110, 150]
        let withFEC = try OpusDecoder(sampleRate: 48000)
        let recovered = LossyDecode(frames, lost: lost, samples: 960, passNext: true, decoder: withFEC)
        let withoutFEC = try OpusDecoder(sampleRate: 48000)
        let concealed = LossyDecode(frames, lost: lost, samples: 960, decoder: withoutFEC)
        let clean = OpusLibrary.decode(packets, sampleRate: 48000, lossSamples: 0)
        #expect(recovered.problems(samples: 960, clean: clean, sampleRate: 48000) == [])
        let withLosses = packets.enumerated().map { lost.contains($0.offset) ? [] : $0.element }
        let reference = OpusLibrary.decode(
            withLosses,
            sampleRate: 48000,
            lossSamples: 960,
            forwardErrorCorrection: true
        )
        #expect(recovered.output == reference)
        // FEC is a low-rate copy, so how much it gains depends on the frame; it never loses to PLC, and on
        // average it gains clearly.
        var gains: [Double] = []
        for (gap, index) in zip(recovered.gaps, lost.sorted()) {
            let fecSNR = Signals.snr(reference: clean, actual: recovered.output, range: gap)
            let plcSNR = Signals.snr(reference: clean, actual: concealed.output, range: gap)
            print(
                "figure: Opus loss of packet \(index): FEC \(fecSNR) dB, PLC \(plcSNR) dB against the lossless decode"
            )
            #expect(fecSNR > plcSNR, "packet \(index): FEC \(fecSNR) dB, PLC \(plcSNR) dB")
            gains.append(fecSNR - plcSNR)
        }
        #expect(gains.reduce(0, +) / Double(gains.count) > 3, "FEC gains \(gains) dB")
    }

    // Proves DTX streams decode: the encoder's 1-byte packets in silence decode to 20 ms each, and a DTX gap
    // (packets not sent) concealed for its length is quiet.
    @Test func dtxPacketsAndGapsKeepTheirLength() throws {
        var settings = OpusEncoder.Settings()
        settings.dtx = true
        let packets = Self.encode(Self.speech, settings: settings)
        let silent = packets.indices.filter { packets[$0].count <= 2 }
        #expect(silent.count > 5)
        let decoder = try OpusDecoder(sampleRate: 16000)
        let output = CodecTest.decode(Self.codecFrames(packets, sampleRate: 16000), with: decoder)
        #expect(output.count == packets.count * 320)
        #expect(output == OpusLibrary.decode(packets, sampleRate: 16000, lossSamples: 0))
        var gap: [Int16] = []
        let first = try #require(silent.first)
        let gapDecoder = try OpusDecoder(sampleRate: 16000)
        _ = CodecTest.decode(Self.codecFrames(Array(packets[0..<first]), sampleRate: 16000), with: gapDecoder)
        #expect(gapDecoder.conceal(count: 320 * 10, next: nil, appendingTo: &gap))
        #expect(gap.count == 3200)
        #expect(CodecTest.level(gap, in: 1600..<3200) < -40)
    }

    // Proves odd lengths work: a concealment that is not a multiple of 2.5 ms comes out exactly as long, and a
    // packet libopus rejects is concealed for the frame's duration and counted.
    @Test func oddConcealmentsAndRejectedPackets() throws {
        let decoder = try OpusDecoder(sampleRate: 48000)
        var output = CodecTest.decode(
            Self.codecFrames(Array(Self.packets.prefix(10)), sampleRate: 48000),
            with: decoder
        )
        #expect(decoder.conceal(count: 1001, next: nil, appendingTo: &output))
        #expect(
            decoder.conceal(
                count: 7,
                next: Self.codecFrames([Self.packets[11]], sampleRate: 48000)[0],
                appendingTo: &output
            )
        )
        #expect(output.count == 9600 + 1001 + 7)
        // TOC code 3 with a frame count of 0 is malformed (RFC 6716 §3.2.5, [R5]).
        decoder.decode(CodecFrame(kind: .speech, bytes: [0x0B, 0x00], sampleCount: 960), appendingTo: &output)
        #expect(output.count == 9600 + 1008 + 960)
        #expect(decoder.rejectedFrames == 1)
        // Without a sample count the last packet's 20 ms is used.
        decoder.decode(CodecFrame(kind: .damaged, bytes: [], sampleCount: 0), appendingTo: &output)
        #expect(output.count == 9600 + 1008 + 1920)
    }

    @Test func unsupportedRateIsAnError() {
        #expect(throws: OpusCodecError.self) { try OpusDecoder(sampleRate: 44100) }
    }
}
