import AudioCodecs
import PayloadFormats
import TestSupport
import Testing

@Suite("RFC 4867 AMR and AMR-WB payloads")
struct AMRPayloadTests {
    static func depacketizer(wideband: Bool, octetAligned: Bool) -> Depacketizer {
        let format = AMRFormat(octetAligned: octetAligned)
        return Depacketizer(codec: wideband ? .amrWideband(format) : .amr(format))!
    }

    // Proves the payload of RFC 4867 §4.3.5.1's example, built by hand: bandwidth-efficient, no mode requested
    // (CMR = 15), one AMR 7.4 kbit/s frame (FT = 4, Q = 1, 148 bits), two zero padding bits: 20 octets; and the
    // frame comes out in the storage format, its bits from the payload's bit 10 on.
    @Test func rfcSingleFrameExample() throws {
        var generator = SplitMix64(seed: 4867)
        let speech = (0..<148).map { _ in UInt8(generator.next() >> 63) }
        var bits = [1, 1, 1, 1, 0, 0, 1, 0, 0, 1] + speech.map(Int.init) + [0, 0]
        #expect(bits.count == 160)
        var payload: [UInt8] = []
        while !bits.isEmpty {
            payload.append(UInt8(bits.prefix(8).reduce(0) { $0 << 1 | $1 }))
            bits.removeFirst(8)
        }
        let result = try Self.depacketizer(wideband: false, octetAligned: false).frames(of: payload)
        var expected = MSBBitWriter()
        for bit in speech { expected.write(UInt64(bit), bits: 1) }
        expected.padWithZeros()
        #expect(result.frames == [CodecFrame(kind: .speech, bytes: [0x24] + expected.bytes, sampleCount: 160)])
        #expect(result.duration == PayloadDuration(ticks: 160, fitsCodec: true))
    }

    /// Frames of every kind: speech in several modes, a SID, NO_DATA, a bad frame (Q = 0), AMR-WB's SPEECH_LOST.
    static func mixedFrames(wideband: Bool, generator: inout SplitMix64) -> [[UInt8]] {
        let types = wideband ? [8, 0, 9, 15, 2, 14, 5] : [7, 0, 8, 15, 4, 6]
        return types.enumerated().map { index, type in
            Packetizer.randomAMRFrame(frameType: type, quality: index != 4, wideband: wideband, generator: &generator)
        }
    }

    // Proves the round trip of several frames per payload with a CMR, in both modes and both codecs: each frame comes
    // back in the storage format with its kind (speech, SID, NO_DATA; Q = 0 and SPEECH_LOST damaged, still with
    // their bytes so the decoder's bad-frame handling sees them), 20 ms each.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func roundTrip(wideband: Bool, octetAligned: Bool) throws {
        var generator = SplitMix64(seed: wideband ? 16 : 8)
        let frames = Self.mixedFrames(wideband: wideband, generator: &generator)
        let payload = Packetizer.amr(
            storageFrames: frames,
            wideband: wideband,
            octetAligned: octetAligned,
            codecModeRequest: 5
        )
        let depacketizer = Self.depacketizer(wideband: wideband, octetAligned: octetAligned)
        let result = try depacketizer.frames(of: payload)
        let samples = wideband ? 320 : 160
        #expect(result.frames.map(\.bytes) == frames)
        let expectedKinds: [CodecFrame.Kind] =
            wideband
            ? [.speech, .speech, .silenceDescriptor, .noData, .damaged, .damaged, .speech]
            : [.speech, .speech, .silenceDescriptor, .noData, .damaged, .speech]
        #expect(result.frames.map(\.kind) == expectedKinds)
        #expect(result.frames.allSatisfy { $0.sampleCount == samples })
        #expect(result.duration == PayloadDuration(ticks: samples * frames.count, fitsCodec: true))
        #expect(try depacketizer.duration(of: payload) == result.duration)
    }

    // Proves the two modes are told apart by length: a payload read in the other mode does not fit (its frames are
    // damaged), for every AMR-WB speech mode.
    @Test(arguments: 0...8)
    func wrongModeDoesNotFit(frameType: Int) throws {
        var generator = SplitMix64(seed: UInt64(frameType))
        let frame = Packetizer.randomAMRFrame(frameType: frameType, wideband: true, generator: &generator)
        for octetAligned in [false, true] {
            let payload = Packetizer.amr(storageFrames: [frame], wideband: true, octetAligned: octetAligned)
            let other = try Self.depacketizer(wideband: true, octetAligned: !octetAligned).frames(of: payload)
            #expect(other.duration.fitsCodec == false)
            #expect(other.frames.allSatisfy { $0.kind == .damaged || $0.kind == .noData })
        }
    }

    // Proves frame types RFC 4867 §4.3.2 says to discard the packet for (AMR 9–14, AMR-WB 10–13) make the whole
    // payload damaged, with its duration from the table of contents.
    @Test(arguments: [(false, 9), (false, 12), (false, 14), (true, 10), (true, 13)])
    func reservedFrameTypes(wideband: Bool, frameType: Int) throws {
        // A good frame, then an entry of the reserved type (the F bit chains them).
        var generator = SplitMix64(seed: 1)
        let good = Packetizer.randomAMRFrame(frameType: 0, wideband: wideband, generator: &generator)
        let payload = Packetizer.amr(
            storageFrames: [good, [UInt8(frameType << 3 | 4)]],
            wideband: wideband,
            octetAligned: true
        )
        let result = try Self.depacketizer(wideband: wideband, octetAligned: true).frames(of: payload)
        #expect(result.frames.map(\.kind) == [.damaged, .damaged])
        #expect(result.duration == PayloadDuration(ticks: (wideband ? 320 : 160) * 2, fitsCodec: false))
    }

    // Proves a payload that cannot give a duration is an error to count: empty, or a table of contents whose F bits
    // run past the end.
    @Test func errors() {
        for octetAligned in [false, true] {
            let depacketizer = Self.depacketizer(wideband: true, octetAligned: octetAligned)
            #expect(throws: PayloadFormatError(.emptyPayload)) { try depacketizer.frames(of: [UInt8]()) }
            // CMR 15 then entries with F = 1 to the end.
            let endless: [UInt8] = octetAligned ? [0xF0, 0xC4, 0xC4] : [0xFF, 0xFF, 0xFF]
            #expect(
                performing: { try depacketizer.duration(of: endless) },
                throws: { error in
                    (error as? PayloadFormatError)?.code == .truncatedHeader
                }
            )
        }
    }

    // Proves a payload whose frames are cut short or followed by extra octets does not fit: damaged frames of the
    // right duration.
    @Test(arguments: [-1, 1])
    func lengthMismatch(delta: Int) throws {
        var generator = SplitMix64(seed: 2)
        let frames = (0..<3).map { _ in Packetizer.randomAMRFrame(frameType: 7, wideband: false, generator: &generator)
        }
        let payload = Packetizer.amr(storageFrames: frames, wideband: false, octetAligned: false)
        let changed = delta < 0 ? Array(payload.dropLast()) : payload + [0]
        let result = try Self.depacketizer(wideband: false, octetAligned: false).frames(of: changed)
        #expect(result.frames == Array(repeating: CodecFrame(kind: .damaged, bytes: [], sampleCount: 160), count: 3))
        #expect(result.duration == PayloadDuration(ticks: 480, fitsCodec: false))
    }
}
