import AudioCodecs
import SpeexCodec
import TestSupport
import Testing

extension SpeexBand {
    /// The mode number of the Speex header (libspeex speex_header.h).
    var headerMode: Int {
        switch self {
        case .narrowband: 0
        case .wideband: 1
        case .ultraWideband: 2
        }
    }
}

@Suite("Speex (libspeex)")
struct SpeexDecoderTests {
    static func payloads(_ band: SpeexBand, framesPerPayload: Int) -> [[UInt8]] {
        SpeexEncoder(band: band).encode(
            stream: CodecTest.speech(sampleRate: band.sampleRate),
            framesPerPayload: framesPerPayload
        )
    }

    static func codecFrames(_ payloads: [[UInt8]], samples: Int) -> [CodecFrame] {
        payloads.map { CodecFrame(kind: .speech, bytes: $0, sampleCount: samples) }
    }

    static let cases: [(SpeexBand, Int)] = SpeexBand.allCases.flatMap { [($0, 1), ($0, 3)] }

    // Proves the wrapper adds nothing to libspeex on a clean stream, one or three frames per payload, in each band:
    // sample for sample what libspeex gives, 20 ms per frame, at the input's level.
    @Test(arguments: cases)
    func decodesLikeTheLibrary(band: SpeexBand, framesPerPayload: Int) {
        let payloads = Self.payloads(band, framesPerPayload: framesPerPayload)
        let decoder = SpeexDecoder(band: band)
        // A sample count of 0 (let the decoder count the frames) and the RTP duration give the same.
        let output = CodecTest.decode(Self.codecFrames(payloads, samples: 0), with: decoder)
        let timed = SpeexDecoder(band: band)
        let samples = band.frameSamples * framesPerPayload
        #expect(CodecTest.decode(Self.codecFrames(payloads, samples: samples), with: timed) == output)
        #expect(output.count == payloads.count * samples)
        #expect(output == SpeexLibrary.decode(payloads, band: band, framesPerPayload: framesPerPayload))
        #expect(decoder.rejectedFrames == 0)
        let speech = CodecTest.speech(sampleRate: band.sampleRate)
        let vowel = 0..<(band.sampleRate * 24 / 10)
        let levelDifference = CodecTest.level(output, in: vowel) - CodecTest.level(speech, in: vowel)
        #expect(abs(levelDifference) < 3, "level difference \(levelDifference) dB")
    }

    // Proves independent decoders hear the same audio: FFmpeg's own speex decoder and its libspeex wrapper, from an
    // Ogg Speex file of the same payloads.
    @Test(.enabled(if: CodecTest.hasFFmpeg), arguments: SpeexBand.allCases, ["speex", "libspeex"])
    func ffmpegAgrees(band: SpeexBand, ffmpegDecoder: String) throws {
        let payloads = Self.payloads(band, framesPerPayload: 1)
        let decoder = SpeexDecoder(band: band)
        let ours = CodecTest.decode(Self.codecFrames(payloads, samples: band.frameSamples), with: decoder)
        let file = CodecStreamFile.oggSpeex(
            payloads,
            sampleRate: band.sampleRate,
            mode: band.headerMode,
            frameSamples: band.frameSamples,
            framesPerPacket: 1
        )
        let reference = try CodecTest.ffmpeg(file, suffix: ".spx", decoder: ffmpegDecoder)
        #expect(reference.sampleRate == band.sampleRate)
        let comparison = SignalComparison(reference: reference.mono, actual: ours)
        CodecTest.figure("Speex \(band) vs ffmpeg \(ffmpegDecoder)", comparison)
        #expect(comparison.compared == ours.count)
        #expect(comparison.correlation >= 0.99, "\(comparison)")
    }

    static let lost: Set<Int> = [30, 31, 75, 110, 111, 112, 150]

    // Proves a lost payload becomes libspeex's concealment (a decode without bits), the same as libspeex's own,
    // continuing the vowel, with no click and no rise in level.
    @Test(arguments: SpeexBand.allCases)
    func lossIsConcealedByTheCodec(band: SpeexBand) {
        let payloads = Self.payloads(band, framesPerPayload: 1)
        let decoder = SpeexDecoder(band: band)
        let frames = Self.codecFrames(payloads, samples: band.frameSamples)
        let lossy = LossyDecode(frames, lost: Self.lost, samples: band.frameSamples, decoder: decoder)
        let withLosses = payloads.enumerated().map { Self.lost.contains($0.offset) ? [] : $0.element }
        #expect(lossy.output == SpeexLibrary.decode(withLosses, band: band, framesPerPayload: 1))
        let clean = SpeexLibrary.decode(payloads, band: band, framesPerPayload: 1)
        #expect(lossy.problems(samples: band.frameSamples, clean: clean, sampleRate: band.sampleRate) == [])
        #expect(CodecTest.level(lossy.output, in: lossy.gaps[0]) > -40)
    }

    // Proves the output follows the payload's RTP duration when it is known: a three-frame payload announced as
    // two frames is cut, as four is completed with concealment; and a payload of more than 50 frames stops at 50.
    @Test func outputFollowsTheGivenDuration() {
        let payloads = Self.payloads(.narrowband, framesPerPayload: 3)
        let decoder = SpeexDecoder(band: .narrowband)
        var output: [Int16] = []
        decoder.decode(CodecFrame(kind: .speech, bytes: payloads[0], sampleCount: 320), appendingTo: &output)
        #expect(output.count == 320)
        decoder.decode(CodecFrame(kind: .speech, bytes: payloads[1], sampleCount: 640), appendingTo: &output)
        #expect(output.count == 960)
        #expect(decoder.rejectedFrames == 0)

        // 52 frames of 38 bytes: more than the bound, within libspeex's 2000-byte bit buffer.
        let long = SpeexEncoder(band: .narrowband).encodePayload(CodecTest.speech(sampleRate: 8000)[0..<(160 * 52)])
        let bounded = SpeexDecoder(band: .narrowband)
        var boundedOutput: [Int16] = []
        bounded.decode(CodecFrame(kind: .speech, bytes: long, sampleCount: 0), appendingTo: &boundedOutput)
        #expect(boundedOutput.count == SpeexDecoder.maximumFramesPerPayload * 160)
        #expect(bounded.rejectedFrames == 1)
    }

    // Proves a stream that is not Speex is given up after 50 corrupted payloads in a row: the payloads after that
    // are concealed without reaching libspeex, at the right length; a good payload before the limit resets the count.
    @Test func aStreamOfGarbageIsGivenUp() {
        let decoder = SpeexDecoder(band: .wideband)
        let good = Self.payloads(.wideband, framesPerPayload: 1)
        var output: [Int16] = []
        // 0xFF…: a wideband layer flag, an invalid mode: corrupt from the first bit.
        let garbage = CodecFrame(kind: .speech, bytes: [UInt8](repeating: 0xFF, count: 40), sampleCount: 320)
        for _ in 0..<49 { decoder.decode(garbage, appendingTo: &output) }
        decoder.decode(CodecFrame(kind: .speech, bytes: good[0], sampleCount: 320), appendingTo: &output)
        #expect(!decoder.isGivenUp)
        for _ in 0..<60 { decoder.decode(garbage, appendingTo: &output) }
        #expect(decoder.isGivenUp)
        #expect(decoder.rejectedFrames == 109)
        #expect(output.count == 110 * 320)
    }
}
