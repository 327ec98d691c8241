import AMRCodec
import AudioCodecs
import CallTimeline
import Capture
import Foundation
import G729Codec
import GSMCodec
import OpusCodec
import PayloadFormats
import SpeexCodec
import TestSupport
import Testing
import Transcoder

/// Two-party calls in every codec, written by TestSupport with each library's own encoder (bcg729, libopus,
/// opencore-amrnb, vo-amrwbenc, libgsm, libspeex; the codec core for G.726), through the whole pipeline:
/// lossless, the product's audio is the library called directly on the same frames, sample for sample, at each
/// leg's own offset, and ffmpeg hears the same; with loss, reordering and jitter, the timeline is still right.
@Suite("Synthetic calls in every codec", .enabled(if: FFmpegTool.isAvailable))
struct SyntheticCodecCallTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var codec: SynthCodec
        /// The rate the call is recorded at (the codec's own: no resampling between the decoder and the file).
        var sampleRate: Int
        /// The least correlation with ffmpeg on the same frames.
        var ffmpegCorrelation = 0.99
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "G.729", codec: .g729(), sampleRate: 8000),
        // libopus decodes at 16 kHz itself; ffmpeg's libopus decodes at 48 kHz, then ffmpeg resamples.
        Case(name: "Opus", codec: .opus(), sampleRate: 16000, ffmpegCorrelation: 0.98),
        // At 48 kHz both decode at the codec's own rate: no resampler between them.
        Case(name: "Opus, recorded at 48 kHz", codec: .opus(), sampleRate: 48000),
        Case(name: "AMR 12.2, bandwidth-efficient", codec: .amr(), sampleRate: 8000),
        Case(name: "AMR 7.4, octet-aligned", codec: .amr(mode: 4, octetAligned: true), sampleRate: 8000),
        Case(name: "AMR-WB 23.85, bandwidth-efficient", codec: .amr(mode: 8, wideband: true), sampleRate: 16000),
        Case(
            name: "AMR-WB 12.65, octet-aligned",
            codec: .amr(mode: 2, wideband: true, octetAligned: true),
            sampleRate: 16000
        ),
        Case(name: "GSM", codec: .gsm, sampleRate: 8000),
        Case(name: "Speex narrowband", codec: .speex(.narrowband), sampleRate: 8000),
        Case(name: "Speex wideband", codec: .speex(.wideband), sampleRate: 16000),
        // ffmpeg's G.726 departs from ITU-T G.726 in four named ways (AudioCodecsTests' G726FFmpegTests).
        Case(name: "G.726-32", codec: .g726(.kbps32), sampleRate: 8000, ffmpegCorrelation: 0.97),
        Case(
            name: "G.726-24, AAL2 packing",
            codec: .g726(.kbps24, packing: .aal2),
            sampleRate: 8000,
            ffmpegCorrelation: 0.97
        ),
    ]

    /// Leg B starts this long after leg A.
    static let offsetMilliseconds = 500

    /// A call with SIP (SDP names the dynamic payload types): A from the start, B half a second later, both in
    /// `codec`, three seconds each.
    static func call(_ codec: SynthCodec, impaired: Bool = false, callee: SynthCodec? = nil) -> CallSynthesizer {
        let alice = Endpoint(address: IPAddress(ipv4: 192, 0, 2, 1), port: 40000)
        let bob = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 2), port: 50000)
        var a = SynthLeg(codec: codec, source: alice, destination: bob)
        var b = SynthLeg(codec: callee ?? codec, source: bob, destination: alice)
        a.durationSeconds = 3
        b.durationSeconds = 3
        b.startMilliseconds = Double(offsetMilliseconds)
        b.pitchHz = 210
        b.ssrc = 0x2222_2222
        b.seed = 7
        a.audio = Speech.sentence(0, sampleRate: codec.sampleRate)
        b.audio = Speech.sentence(1, sampleRate: b.codec.sampleRate)
        if impaired {
            for index in [0, 1] {
                var leg = index == 0 ? a : b
                leg.lossBursts = [(first: 40, count: 2)]
                leg.reorderProbability = 0.05
                leg.jitterMilliseconds = 8
                if index == 0 { a = leg } else { b = leg }
            }
        }
        var synth = CallSynthesizer(legs: [a, b])
        synth.withSIP = true
        return synth
    }

    static func transcode(_ synth: CallSynthesizer, rate: Int) throws -> TwoSteps.Result {
        var settings = TranscodeSettings()
        settings.format = .wav
        settings.sampleRate = rate
        return try TwoSteps.transcode(MemorySource(bytes: synth.capture(), name: "synth.pcap"), settings: settings)
    }

    /// The leg's frames decoded by the library called directly (or the codec core, for G.726), at its own rate.
    static func libraryDecode(_ leg: EncodedLeg, codec: SynthCodec, rate: Int) -> [Int16] {
        let frames = leg.packets.flatMap(\.frames)
        switch codec.codec {
        case .g729: return G729Library.decode(frames.map { $0 })
        case .gsm: return GSMLibrary.decode(frames)
        case .amr: return AMRLibrary.decodeNarrowband(frames)
        case .amrWideband: return AMRLibrary.decodeWideband(frames)
        case .opus:
            return OpusLibrary.decode(leg.packets.map(\.payload), sampleRate: rate, lossSamples: rate / 50)
        case .speex(let format):
            let band: SpeexBand = format.band == .narrowband ? .narrowband : .wideband
            return SpeexLibrary.decode(leg.packets.map(\.payload), band: band, framesPerPayload: 1)
        case .g726(let format):
            var decoder = G726Decoder(rate: format.rate)
            return decoder.decode(packed: leg.packets.flatMap(\.payload), packing: format.packing)
        default:
            Issue.record("no library decoder for \(codec.codec)")
            return []
        }
    }

    // Proves, lossless: each leg's samples in the recording are the library's decoding of the same frames, sample
    // for sample, from the leg's own start (A at 0, B 500 ms later); and ffmpeg's decoding correlates ≥ 0.99.
    @Test(arguments: cases)
    func lossless(_ expected: Case) throws {
        let synth = Self.call(expected.codec)
        let result = try Self.transcode(synth, rate: expected.sampleRate)
        let call = result.call
        #expect(call.legs.count == 2)
        #expect(abs(call.durationSeconds - 3.5) < 0.03, "\(call.durationSeconds) s")
        for (index, leg) in call.legs.enumerated() {
            #expect(leg.segments.map(\.codec) == [expected.codec.codec])
            #expect(leg.gaps.isEmpty, "\(leg.gaps)")
            let encoded = synth.encodedLeg(index)
            let direct = Self.libraryDecode(encoded, codec: expected.codec, rate: expected.sampleRate)
            let channel = RealCaptureCodecTests.channel(result.recording.bytes, index: leg.side.channel)
            let offset = index * Self.offsetMilliseconds * expected.sampleRate / 1000
            let ours = Array(channel[min(offset, channel.count)...].prefix(direct.count))
            let exact = SignalComparison(reference: direct, actual: ours)
            #expect(
                ours.count == direct.count && exact.maximumDifference == 0,
                "\(expected) leg \(leg.label): \(exact)"
            )
            // Before the leg starts: nothing.
            #expect(channel[0..<min(offset, channel.count)].allSatisfy { $0 == 0 })
            let reference = try RealCaptureCodecTests.ffmpeg(
                encoded.packets.map(\.payload),
                codec: expected.codec.codec,
                rate: expected.sampleRate
            )
            let comparison = SignalComparison(reference: reference, actual: ours, maximumLag: 8)
            print("figure: synthetic \(expected) leg \(leg.label) vs ffmpeg: \(comparison)")
            #expect(comparison.correlationAtBestLag >= expected.ffmpegCorrelation, "\(comparison)")
        }
    }

    // Proves mixed-codec calls: one wideband leg makes the call 16 kHz (SPEC §3.8); the wideband leg is its library's
    // decoding sample for sample, the narrowband one its decoding brought to 16 kHz (correlation ≥ 0.99 with the
    // direct decoding resampled on its own), each at its offset.
    @Test(arguments: [("AMR-WB caller, G.729 callee", 0), ("Opus caller, G.711 callee", 1)])
    func mixed(name: String, index: Int) throws {
        let (caller, callee): (SynthCodec, SynthCodec) =
            index == 0 ? (.amr(mode: 8, wideband: true), .g729()) : (.opus(), .pcmu)
        let synth = Self.call(caller, callee: callee)
        let result = try Self.transcode(synth, rate: 16000)
        let call = result.call
        #expect(result.recording.sampleRate == 16000)
        #expect(call.legs.map { $0.segments.map(\.codec) } == [[caller.codec], [callee.codec]])
        let wide = RealCaptureCodecTests.channel(result.recording.bytes, index: 0)
        let direct = Self.libraryDecode(synth.encodedLeg(0), codec: caller, rate: 16000)
        #expect(Array(wide.prefix(direct.count)) == direct, "\(name): the wideband leg")
        let narrow = RealCaptureCodecTests.channel(result.recording.bytes, index: 1)
        let narrowDirect: [Int16]
        if callee == .pcmu {
            var decoded: [Int16] = []
            synth.encodedLeg(1).packets.flatMap(\.payload).withUnsafeBytes {
                G711.decodeMuLaw($0, appendingTo: &decoded)
            }
            narrowDirect = decoded
        } else {
            narrowDirect = Self.libraryDecode(synth.encodedLeg(1), codec: callee, rate: 8000)
        }
        var resampler = Resampler(from: 8000, to: 16000, compensatesLatency: true)
        var reference = resampler.process(narrowDirect)
        resampler.flush(appendingTo: &reference)
        let offset = Self.offsetMilliseconds * 16
        let ours = Array(narrow[min(offset, narrow.count)...].prefix(reference.count))
        let comparison = SignalComparison(reference: reference, actual: ours, maximumLag: 4)
        print("figure: mixed \(name), the narrowband leg at 16 kHz vs its direct decoding resampled: \(comparison)")
        #expect(comparison.correlationAtBestLag >= 0.99, "\(comparison)")
    }

    // Proves, with two packets lost, 5 % reordered and 8 ms of jitter on each leg: the losses are counted and
    // concealed (no longer than they are), the reordered packets put back, the legs at their offsets and the call
    // as long as the lossless one; the audio before the loss is the lossless audio.
    @Test(arguments: cases)
    func impaired(_ expected: Case) throws {
        let synth = Self.call(expected.codec, impaired: true)
        let result = try Self.transcode(synth, rate: expected.sampleRate)
        let call = result.call
        #expect(call.legs.count == 2)
        #expect(abs(call.durationSeconds - 3.5) < 0.05, "\(call.durationSeconds) s")
        let streams = result.contents.timeline.summary.streams
        for (index, leg) in call.legs.enumerated() {
            let stream = try #require(streams.first { $0.key.ssrc == leg.segments.first?.ssrc })
            #expect(stream.lost == 2, "\(stream.lost)")
            #expect(stream.reordered > 0)
            let concealed = leg.gaps.filter { $0.kind == .concealed }.map(\.durationMilliseconds).reduce(0, +)
            #expect(concealed >= 38 && concealed <= 42, "\(leg.gaps)")
            let offset = Double(leg.segments[0].start - call.start) / 1e6
            #expect(abs(offset - Double(index * Self.offsetMilliseconds)) < 1, "leg \(leg.label) at \(offset) ms")
            let direct = Self.libraryDecode(synth.encodedLeg(index), codec: expected.codec, rate: expected.sampleRate)
            let channel = RealCaptureCodecTests.channel(result.recording.bytes, index: leg.side.channel)
            let start = index * Self.offsetMilliseconds * expected.sampleRate / 1000
            let beforeLoss = 40 * expected.sampleRate / 50 - expected.sampleRate / 100
            let ours = Array(channel[min(start, channel.count)...].prefix(beforeLoss))
            // A quarter of a millisecond either way: the placement tolerance below, in samples at the leg's rate.
            let lagBudget = max(4, expected.sampleRate / 4000)
            let comparison = SignalComparison(
                reference: Array(direct.prefix(beforeLoss)),
                actual: ours,
                maximumLag: lagBudget
            )
            print(
                "figure: impaired \(expected) leg \(leg.label), before the loss, vs lossless library decode: \(comparison)"
            )
            // Placed by its least-delayed packets: within a quarter of a millisecond under 8 ms of jitter.
            #expect(comparison.correlationAtBestLag >= 0.999, "\(comparison)")
            #expect(abs(comparison.bestLag) <= expected.sampleRate / 4000, "\(comparison)")
            let whole = SignalComparison(
                reference: direct,
                actual: Array(channel[min(start, channel.count)...]),
                maximumLag: lagBudget
            )
            print("figure: impaired \(expected) leg \(leg.label), whole leg, vs lossless library decode: \(whole)")
            #expect(whole.correlationAtBestLag >= 0.85, "\(whole)")
        }
    }
}

/// Two sentences spoken by espeak-ng at a codec's rate (via ffmpeg), or nil without the tools: the synthesizer's
/// speech-like signal then stands in.
enum Speech {
    static let texts = [
        "Hello, this is the support line. Could you tell me your account number please?",
        "Yes of course, it is four seven one two, and the line keeps breaking up today.",
    ]

    static func sentence(_ index: Int, sampleRate: Int) -> [Int16]? {
        guard let espeak = Subprocess.tool("espeak-ng"), let ffmpeg = Subprocess.tool("ffmpeg"),
            let directory = try? Subprocess.temporaryDirectory()
        else { return nil }
        defer { try? FileManager.default.removeItem(at: directory) }
        let wav = directory.appendingPathComponent("speech.wav").path
        guard let spoken = try? Subprocess.run(espeak, ["-v", "en-us", "-s", "160", "-w", wav, texts[index]]),
            spoken.status == 0,
            let raw = try? Subprocess.run(
                ffmpeg,
                ["-v", "error", "-i", wav, "-ar", "\(sampleRate)", "-ac", "1", "-f", "s16le", "-"]
            ),
            raw.status == 0
        else { return nil }
        return raw.stdout.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

}

extension SyntheticCodecCallTests {
    // Proves SPEC §3.8's rate rule on its own: one wideband leg (Opus) beside a G.711 one, no rate asked, records
    // the call at 16 kHz.
    @Test("an Opus leg beside a G.711 leg: the call is recorded at 16 kHz unasked")
    func widebandLegChoosesRate() throws {
        var settings = TranscodeSettings()
        settings.format = .wav
        let synth = Self.call(.opus(), callee: .pcmu)
        let source = MemorySource(bytes: synth.capture(), name: "synth.pcap")
        let result = try TwoSteps.transcode(source, settings: settings)
        #expect(result.recording.sampleRate == 16000)
        #expect(result.call.legs.count == 2)
    }

    // Proves the rule for dynamic payload types (SPEC §2.5): without SDP one stays unknown, nothing is guessed and
    // the run fails; named by `--pt` (the codec's specification, fmtp parameters after a `;`) it records exactly as
    // when the SDP names it.
    @Test(arguments: [("Opus", 0, "opus/48000/2"), ("AMR-WB 12.65, octet-aligned", 1, "AMR-WB/16000;octet-align=1")])
    func payloadTypeOption(name: String, index: Int, specification: String) throws {
        let codec: SynthCodec = index == 0 ? .opus() : .amr(mode: 2, wideband: true, octetAligned: true)
        let signalled = try Self.transcode(Self.call(codec), rate: 16000)
        var synth = Self.call(codec)
        synth.withSIP = false
        var settings = TranscodeSettings()
        settings.format = .wav
        settings.sampleRate = 16000
        #expect(throws: TranscodeError.self, "\(name) without SDP or --pt") {
            try TwoSteps.transcode(MemorySource(bytes: synth.capture(), name: "synth.pcap"), settings: settings)
        }
        settings.timeline.payloadTypes[codec.payloadType] = try Codec(specification: specification)
        let named = try TwoSteps.transcode(MemorySource(bytes: synth.capture(), name: "synth.pcap"), settings: settings)
        #expect(named.call.legs.count == 2)
        let option = "--pt \(codec.payloadType)=\(specification)"
        #expect(named.recording.bytes == signalled.recording.bytes, "\(name): \(option)")
    }

    // Proves a mid-call codec switch (SPEC §2.5): a G.711 call whose dialog is re-INVITEd to Opus two seconds
    // later (the same Call-ID, a new SDP naming payload type 111) records both parts on each leg, the G.711 part
    // as G.711 decodes it and the Opus part as libopus does, at 16 kHz, in one call.
    @Test("a G.711 call re-INVITEd to Opus: both codecs on each leg, one 16 kHz call")
    func reInviteToOpus() throws {
        let first = Self.call(.pcmu)
        var second = Self.call(.opus())
        second.startTime = first.startTime + 4_000_000_000
        second.callID = first.callID
        // New senders for the new codec (their sequence numbers start again).
        second.legs[0].ssrc = 0x3333_3333
        second.legs[1].ssrc = 0x4444_4444
        let capture = CallSynthesizer.capture([first, second])
        var settings = TranscodeSettings()
        settings.format = .wav
        let result = try TwoSteps.transcode(MemorySource(bytes: capture, name: "switch.pcap"), settings: settings)
        #expect(result.contents.timeline.summary.calls.count == 1)
        #expect(result.recording.sampleRate == 16000)
        let call = result.call
        #expect(call.legs.count == 2)
        #expect(abs(call.durationSeconds - 7.5) < 0.05, "\(call.durationSeconds) s")
        for (index, leg) in call.legs.enumerated() {
            #expect(leg.segments.map(\.codec) == [Codec.pcmu, SynthCodec.opus().codec], "leg \(leg.label)")
            let channel = RealCaptureCodecTests.channel(result.recording.bytes, index: leg.side.channel)
            let opus = Self.libraryDecode(second.encodedLeg(index), codec: .opus(), rate: 16000)
            let start = (4000 + index * Self.offsetMilliseconds) * 16
            let ours = Array(channel[min(start, channel.count)...].prefix(opus.count))
            let comparison = SignalComparison(reference: opus, actual: ours, maximumLag: 8)
            #expect(comparison.maximumDifference == 0 && comparison.bestLag == 0, "\(comparison)")
            print("figure: re-INVITE to Opus, leg \(leg.label)'s Opus part vs libopus: \(comparison)")
            #expect(comparison.correlationAtBestLag >= 0.99, "\(comparison)")
        }
    }

    // Proves Opus's own concealment in the pipeline (RFC 7587, RFC 6716 §4.3): with in-band FEC on, a lost packet is
    // rebuilt from the redundancy in the next one, sample for sample as libopus's `decode_fec` gives it; without
    // FEC, by libopus's PLC, again sample for sample.
    @Test(arguments: [true, false])
    func opusLossConcealedByTheCodec(inbandFEC: Bool) throws {
        let codec = SynthCodec.opus(inbandFEC: inbandFEC, expectedLossPercent: inbandFEC ? 10 : 0)
        var synth = Self.call(codec)
        synth.legs[0].lossBursts = [(first: 40, count: 1)]
        let result = try Self.transcode(synth, rate: 16000)
        let leg = try #require(result.call.legs.first { $0.side.channel == 0 })
        #expect(leg.gaps.filter { $0.kind == .concealed }.map(\.durationMilliseconds) == [20], "\(leg.gaps)")
        var payloads = synth.encodedLeg(0).packets.map(\.payload)
        payloads[40] = []
        let direct = OpusLibrary.decode(
            payloads,
            sampleRate: 16000,
            lossSamples: 320,
            forwardErrorCorrection: inbandFEC
        )
        let channel = RealCaptureCodecTests.channel(result.recording.bytes, index: 0)
        let ours = Array(channel.prefix(direct.count))
        let comparison = SignalComparison(reference: direct, actual: ours)
        print("figure: Opus, one packet lost, FEC \(inbandFEC) vs libopus: \(comparison)")
        #expect(ours.count == direct.count && comparison.maximumDifference == 0, "\(comparison)")
    }

    // Proves silence suppression end to end (G.729 Annex B, AMR and AMR-WB DTX, Opus DTX): the encoder's silence
    // descriptors are counted as such, the pauses they leave (some packets never sent) are neither losses nor
    // concealment, and the call keeps its length.
    @Test(arguments: [
        ("G.729 Annex B", 0), ("AMR 12.2 DTX", 1), ("AMR-WB 23.85 DTX", 2), ("Opus DTX", 3),
    ])
    func silenceSuppression(name: String, index: Int) throws {
        let codec: SynthCodec =
            switch index {
            case 0: .g729(annexB: true)
            case 1: .amr(dtx: true)
            case 2: .amr(mode: 8, wideband: true, dtx: true)
            default: .opus(dtx: true)
            }
        let synth = Self.call(codec)
        let rate = codec.codec.isWideband ? 16000 : 8000
        let result = try Self.transcode(synth, rate: rate)
        let call = result.call
        #expect(abs(call.durationSeconds - 3.5) < 0.05, "\(name): \(call.durationSeconds) s")
        let streams = result.contents.timeline.summary.streams
        for leg in call.legs {
            let stream = try #require(streams.first { $0.key.ssrc == leg.segments.first?.ssrc })
            #expect(stream.lost == 0, "\(name) leg \(leg.label): \(stream.lost) lost")
            #expect(!leg.gaps.contains { $0.kind == .concealed }, "\(name) leg \(leg.label): \(leg.gaps)")
        }
        let counts = call.legs.flatMap(\.segments).map(\.frames)
        let silence = counts.map(\.silenceDescriptors).reduce(0, +) + counts.map(\.noData).reduce(0, +)
        let sent = synth.encodedLeg(0).packets.count + synth.encodedLeg(1).packets.count
        print("figure: \(name): \(sent) packets sent for 6 s of speech, \(silence) silence frames counted")
        if index != 3 { #expect(silence > 0, "\(name): no silence descriptor counted") }
        #expect(sent < 2 * 150, "\(name): the encoder sent \(sent) packets: no pause was suppressed")
    }

    // Proves the rule for payloads that do not fit their codec (SPEC §2.5): a G.729 payload of 7 bytes (neither
    // 10-byte frames nor a 2-byte SID) is counted as damaged and its 20 ms concealed by the codec, never decoded as
    // garbage.
    @Test("a G.729 payload of the wrong size: counted as damaged, concealed")
    func wrongSizePayload() throws {
        let synth = Self.call(.g729())
        var packets = synth.packets()
        let damaged = try #require(packets.indices.filter { packets[$0].leg == 0 }.dropFirst(40).first)
        packets[damaged].payload = Array(packets[damaged].payload.prefix(12 + 7))
        var settings = TranscodeSettings()
        settings.format = .wav
        let capture = SRTPCallWriter.capture(packets)
        let result = try TwoSteps.transcode(MemorySource(bytes: capture, name: "synth.pcap"), settings: settings)
        let leg = try #require(result.call.legs.first { $0.side.channel == 0 })
        let segment = try #require(leg.segments.first)
        #expect(segment.frames.damaged >= 1, "\(segment.frames)")
        #expect(segment.damage.values.reduce(0, +) == 1, "\(segment.damage)")
        // Before it, the library's decoding of the same frames, sample for sample; across it, close to the library
        // decoding the same frames with that packet's two frames erased (bcg729's own concealment).
        var frames: [[UInt8]?] = synth.encodedLeg(0).packets.flatMap(\.frames).map { $0 }
        frames[80] = nil
        frames[81] = nil
        let direct = G729Library.decode(frames)
        let channel = RealCaptureCodecTests.channel(result.recording.bytes, index: 0)
        #expect(Array(channel.prefix(80 * 80)) == Array(direct.prefix(80 * 80)))
        let comparison = SignalComparison(reference: direct, actual: Array(channel.prefix(direct.count)))
        print("figure: G.729 with one wrong-size payload vs bcg729 with its frames erased: \(comparison)")
        #expect(comparison.correlationAtBestLag >= 0.99, "\(comparison)")
    }

    // Measures SPEC §3.8's choice for Opus in a 16 kHz call: libopus decoding straight at 16 kHz (what the product
    // does, about half the CPU of decoding at 48 kHz: `scripts/bench codecs`) against decoding at 48 kHz and
    // bringing it down with the project's resampler. The two agree closely; the figure is printed.
    @Test("Opus at 16 kHz: libopus's own decoding against 48 kHz brought down by the resampler")
    func opusRateChoice() {
        let leg = Self.call(.opus()).encodedLeg(0)
        let payloads = leg.packets.map(\.payload)
        let direct = OpusLibrary.decode(payloads, sampleRate: 16000, lossSamples: 320)
        var resampler = Resampler(from: 48000, to: 16000, compensatesLatency: true)
        var brought = resampler.process(OpusLibrary.decode(payloads, sampleRate: 48000, lossSamples: 960))
        resampler.flush(appendingTo: &brought)
        let comparison = SignalComparison(reference: brought, actual: direct, maximumLag: 8)
        print("figure: Opus decoded at 16 kHz vs decoded at 48 kHz and resampled to 16 kHz: \(comparison)")
        #expect(comparison.correlationAtBestLag >= 0.98, "\(comparison)")
    }
}
