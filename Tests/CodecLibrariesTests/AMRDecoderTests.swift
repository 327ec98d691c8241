import AMRCodec
import AMRWBTestEncoder
import AudioCodecs
import TestSupport
import Testing

/// AMR and AMR-WB, side by side: what differs between them is named here once.
enum AMRBand: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case narrowband = "AMR"
    case wideband = "AMR-WB"

    var testDescription: String { rawValue }
    var sampleRate: Int { self == .narrowband ? 8000 : 16000 }
    var frameSamples: Int { self == .narrowband ? 160 : 320 }
    /// The codec modes: 4.75 … 12.2 kbit/s, 6.60 … 23.85 kbit/s.
    var modes: ClosedRange<Int> { self == .narrowband ? AMRNBEncoder.modes : AMRWBEncoder.modes }
    var ffmpegDecoder: String { self == .narrowband ? "amrnb" : "amrwb" }
    /// The SID frame type (RFC 4867 §3.6: 8 for AMR, 9 for AMR-WB).
    var sidType: Int { self == .narrowband ? 8 : 9 }

    func speech() -> [Int16] { CodecTest.speech(sampleRate: sampleRate) }

    func encode(_ samples: [Int16], mode: Int, dtx: Bool = false) -> [[UInt8]] {
        switch self {
        case .narrowband: AMRNBEncoder(dtx: dtx).encode(stream: samples, mode: mode)
        case .wideband: AMRWBEncoder(dtx: dtx).encode(stream: samples, mode: mode)
        }
    }

    func decoder() -> any AudioDecoder {
        self == .narrowband ? AMRNBDecoder() : AMRWBDecoder()
    }

    func libraryDecode(_ frames: [[UInt8]], badFrames: Set<Int> = []) -> [Int16] {
        switch self {
        case .narrowband: AMRLibrary.decodeNarrowband(frames, badFrames: badFrames)
        case .wideband: AMRLibrary.decodeWideband(frames, badFrames: badFrames)
        }
    }

    func rejectedFrames(_ decoder: any AudioDecoder) -> Int {
        (decoder as? AMRNBDecoder)?.rejectedFrames ?? (decoder as? AMRWBDecoder)?.rejectedFrames ?? -1
    }

    /// The frames as the payload format hands them over: kinds from the header's frame type.
    func codecFrames(_ frames: [[UInt8]]) -> [CodecFrame] {
        frames.map { bytes in
            let type = Int(bytes[0] >> 3) & 0x0F
            let kind: CodecFrame.Kind = type == sidType ? .silenceDescriptor : type == 15 ? .noData : .speech
            return CodecFrame(kind: kind, bytes: bytes, sampleCount: frameSamples)
        }
    }

    /// Every (band, mode) pair.
    static var allModes: [(AMRBand, Int)] { allCases.flatMap { band in band.modes.map { (band, $0) } } }
}

@Suite("AMR and AMR-WB (opencore-amr; encoders opencore-amrnb and vo-amrwbenc)")
struct AMRDecoderTests {
    // Proves the wrapper adds nothing to opencore on a clean stream in every mode: sample for sample what opencore
    // called directly gives, one 20 ms frame per storage frame, at the input's level.
    @Test(arguments: AMRBand.allModes)
    func decodesLikeTheLibrary(band: AMRBand, mode: Int) {
        let speech = band.speech()
        let frames = band.encode(speech, mode: mode)
        #expect(frames.allSatisfy { Int($0[0] >> 3) & 0x0F == mode })
        let decoder = band.decoder()
        let output = CodecTest.decode(band.codecFrames(frames), with: decoder)
        #expect(output.count == frames.count * band.frameSamples)
        #expect(output == band.libraryDecode(frames))
        #expect(band.rejectedFrames(decoder) == 0)
        let vowel = 0..<(band.sampleRate * 24 / 10)
        let levelDifference = CodecTest.level(output, in: vowel) - CodecTest.level(speech, in: vowel)
        #expect(abs(levelDifference) < 3, "level difference \(levelDifference) dB")
    }

    // Proves an independent decoder (FFmpeg's own floating-point amrnb / amrwb, from a storage file with the
    // RFC 4867 §5.1 magic, read by FFmpeg's amr demuxer) hears the same audio in every mode.
    @Test(.enabled(if: CodecTest.hasFFmpeg), arguments: AMRBand.allModes)
    func ffmpegAgrees(band: AMRBand, mode: Int) throws {
        let frames = band.encode(band.speech(), mode: mode)
        let decoder = band.decoder()
        let ours = CodecTest.decode(band.codecFrames(frames), with: decoder)
        let file = CodecStreamFile.amr(frames, wideband: band == .wideband)
        let reference = try CodecTest.ffmpeg(
            file,
            suffix: ".amr",
            inputOptions: ["-f", "amr"],
            decoder: band.ffmpegDecoder
        )
        #expect(reference.sampleRate == band.sampleRate)
        let comparison = SignalComparison(reference: reference.mono, actual: ours, maximumLag: 8)
        CodecTest.figure("\(band.rawValue) mode \(mode) vs ffmpeg \(band.ffmpegDecoder)", comparison)
        #expect(comparison.compared == ours.count)
        // opencore is the 3GPP fixed-point reference (TS 26.073 / 26.173: bit-exact by definition); FFmpeg's amrnb
        // and amrwb are floating-point re-implementations that do not claim bit-exactness. Measured, the two agree
        // to 0.99 or better in most modes and to 0.983–0.99 in AMR 7.95 and AMR-WB 6.60 / 8.85, with no time shift
        // (the lag search finds none) and the same difference below 6 kHz (so not the AMR-WB noise-filled high
        // band): arithmetic, not a framing or bit-order fault, which would decorrelate entirely.
        #expect(comparison.correlation >= 0.98, "\(comparison)")
        #expect(abs(comparison.levelDifferenceDB) < 2, "\(comparison)")
    }

    static let lost: Set<Int> = [30, 31, 75, 110, 111, 112, 150]

    // Proves a lost AMR frame becomes opencore's concealment (a NO_DATA frame in speech: TS 26.091 error
    // concealment), the same as opencore given NO_DATA there, continuing the vowel, with no click and no rise.
    @Test func narrowbandLossIsConcealedByTheCodec() {
        let band = AMRBand.narrowband
        let frames = band.encode(band.speech(), mode: 7)
        let decoder = AMRNBDecoder()
        let lossy = LossyDecode(band.codecFrames(frames), lost: Self.lost, samples: 160, decoder: decoder)
        let noData: [UInt8] = [15 << 3 | 4]
        #expect(
            lossy.output
                == band.libraryDecode(frames.enumerated().map { Self.lost.contains($0.offset) ? noData : $0.element })
        )
        let clean = band.libraryDecode(frames)
        #expect(lossy.problems(samples: 160, clean: clean, sampleRate: 8000) == [])
        #expect(CodecTest.level(lossy.output, in: lossy.gaps[0]) > -40)
    }

    // Proves AMR-WB losses in speech are concealed by the decoder's G.711 Appendix I concealer rather than
    // opencore's erasure path (near silence, measured here too): `conceal` leaves gaps to the caller, a damaged
    // frame is filled to its length continuing the vowel with no click and no rise, and the frames after it are
    // opencore's decode of the stream without the lost frames (the first one cross-faded).
    @Test func widebandLossIsConcealedByTheDecoder() {
        let band = AMRBand.wideband
        let frames = band.encode(band.speech(), mode: 8)
        let decoder = AMRWBDecoder()
        var nothing: [Int16] = []
        #expect(!decoder.conceal(count: 320, next: nil, appendingTo: &nothing) && nothing.isEmpty)
        let lossy = LossyDecode(
            band.codecFrames(frames),
            lost: Self.lost,
            samples: 320,
            asDamaged: true,
            decoder: decoder
        )
        let clean = band.libraryDecode(frames)
        #expect(lossy.problems(samples: 320, clean: clean, sampleRate: 16000) == [])
        let opencoreErasure = band.libraryDecode(
            frames.enumerated().map { Self.lost.contains($0.offset) ? [14 << 3 | 4] : $0.element }
        )
        for gap in lossy.gaps {
            print(
                "figure: AMR-WB frame lost at \(gap.lowerBound / 320): lossless \(CodecTest.level(clean, in: gap)) dBFS, "
                    + "ours \(CodecTest.level(lossy.output, in: gap)) dBFS, opencore's erasure "
                    + "\(CodecTest.level(opencoreErasure, in: gap)) dBFS"
            )
        }
        // The first lost frame of each loss continues the signal (Appendix I fades only after 10 ms).
        for gap in lossy.gaps where !lossy.gaps.contains(where: { $0.upperBound == gap.lowerBound }) {
            #expect(CodecTest.level(lossy.output, in: gap) > CodecTest.level(clean, in: gap) - 6)
        }
        // Away from the gaps (the frame before one has its last quarter pitch period blended into the substitute,
        // G.711 Appendix I; the frame after one is cross-faded in) the output is opencore's, decoding on.
        let survivors = band.libraryDecode(frames.enumerated().filter { !Self.lost.contains($0.offset) }.map(\.element))
        var survivor = 0
        var differing: [Int] = []
        for index in frames.indices where !Self.lost.contains(index) {
            if !Self.lost.contains(index - 1) && !Self.lost.contains(index + 1) {
                let ours = lossy.output[(index * 320)..<((index + 1) * 320)]
                if !ours.elementsEqual(survivors[(survivor * 320)..<((survivor + 1) * 320)]) { differing.append(index) }
            }
            survivor += 1
        }
        #expect(differing == [])
    }

    // Proves AMR `.damaged` frames take opencore's bad-frame path (the frame with bfi = 1), and frames too short
    // for their type or of a reserved type are counted and taken as lost (NO_DATA); a concealment of any length
    // comes out exactly that long.
    @Test func narrowbandDamagedAndMalformedFrames() {
        let band = AMRBand.narrowband
        let frames = Array(band.encode(band.speech(), mode: 7).prefix(40))
        var codecFrames = band.codecFrames(frames)
        codecFrames[10].kind = .damaged
        codecFrames[20].bytes = Array(frames[20].prefix(8))
        codecFrames[30].bytes = [UInt8(12 << 3 | 4)] + Array(frames[30].dropFirst())
        let decoder = AMRNBDecoder()
        let output = CodecTest.decode(codecFrames, with: decoder)
        var reference = frames
        reference[20] = [15 << 3 | 4]
        reference[30] = [15 << 3 | 4]
        #expect(output == band.libraryDecode(reference, badFrames: [10]))
        #expect(decoder.rejectedFrames == 2)
        var tail: [Int16] = []
        #expect(decoder.conceal(count: 123, next: nil, appendingTo: &tail))
        #expect(tail.count == 123)
    }

    // Proves AMR-WB frames too short for their type or of a reserved type are counted and concealed like damaged
    // ones, each 20 ms.
    @Test func widebandMalformedFramesAreConcealed() {
        let band = AMRBand.wideband
        let frames = Array(band.encode(band.speech(), mode: 8).prefix(40))
        var codecFrames = band.codecFrames(frames)
        codecFrames[20].bytes = Array(frames[20].prefix(8))
        codecFrames[30].bytes = [UInt8(12 << 3 | 4)] + Array(frames[30].dropFirst())
        let decoder = AMRWBDecoder()
        let output = CodecTest.decode(codecFrames, with: decoder)
        #expect(output.count == 40 * 320)
        #expect(decoder.rejectedFrames == 2)
        #expect(output[0..<(19 * 320)].elementsEqual(band.libraryDecode(Array(frames.prefix(19)))))
        #expect(CodecTest.level(output, in: (20 * 320)..<(21 * 320)) > -40)
    }

    // Proves DTX streams decode: the encoder's SID and NO_DATA frames in the silence decode as opencore decodes
    // them, 20 ms each, to quiet comfort noise; and a gap in DTX (no packets sent) continues the comfort noise.
    @Test(arguments: AMRBand.allCases)
    func dtxBecomesComfortNoise(band: AMRBand) {
        let speech = band.speech()
        let frames = band.encode(speech, mode: band.modes.upperBound, dtx: true)
        #expect(frames.contains { Int($0[0] >> 3) & 0x0F == band.sidType })
        #expect(frames.contains { Int($0[0] >> 3) & 0x0F == 15 })
        let decoder = band.decoder()
        let output = CodecTest.decode(band.codecFrames(frames), with: decoder)
        #expect(output.count == frames.count * band.frameSamples)
        #expect(output == band.libraryDecode(frames))
        let unit = band.sampleRate / 10
        let noiseLevel = CodecTest.level(output, in: (unit * 33)..<(unit * 36))
        print("figure: \(band.rawValue) DTX comfort noise in the 0.4 s of digital silence: \(noiseLevel) dBFS")
        #expect(noiseLevel < -50)

        // The same stream up to its first SID, then a gap of five frames: opencore's comfort noise, as NO_DATA.
        let sid = frames.firstIndex { Int($0[0] >> 3) & 0x0F == band.sidType }!
        var gapDecoder = band.decoder()
        var gap = CodecTest.decode(band.codecFrames(Array(frames[0...sid])), with: gapDecoder)
        #expect(gapDecoder.conceal(count: band.frameSamples * 5, next: nil, appendingTo: &gap))
        let noData: [UInt8] = [15 << 3 | 4]
        #expect(gap == band.libraryDecode(Array(frames[0...sid]) + Array(repeating: noData, count: 5)))
    }

    // Proves two decoders keep separate state (opencore's interface functions allocate per decoder): two streams
    // decoded interleaved give what each gives alone.
    @Test(arguments: AMRBand.allCases)
    func decodersAreIndependent(band: AMRBand) {
        let first = band.encode(band.speech(), mode: band.modes.upperBound)
        let second = band.encode(
            Signals.chirp(from: 300, to: 3000, count: band.sampleRate * 2, sampleRate: band.sampleRate),
            mode: 2
        )
        var one = band.decoder()
        var two = band.decoder()
        var outputOne: [Int16] = []
        var outputTwo: [Int16] = []
        for (a, b) in zip(band.codecFrames(first), band.codecFrames(second)) {
            one.decode(a, appendingTo: &outputOne)
            two.decode(b, appendingTo: &outputTwo)
        }
        #expect(outputOne == band.libraryDecode(Array(first.prefix(second.count))))
        #expect(outputTwo == band.libraryDecode(second))
    }
}
