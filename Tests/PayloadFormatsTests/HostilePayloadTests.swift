import AudioCodecs
import PayloadFormats
import TestSupport
import Testing

@Suite("Hostile payloads: truncations, random bytes, bit flips")
struct HostilePayloadTests {
    /// Every audio codec with a valid payload of several frames.
    static func samples() -> [(Codec, [UInt8])] {
        var generator = SplitMix64(seed: 0xBAD)
        var cases: [(Codec, [UInt8])] = [
            (.pcmu, Packetizer.randomFrame(bytes: 160, generator: &generator)),
            (.g722, Packetizer.randomFrame(bytes: 160, generator: &generator)),
            (.g729(G729Format()), Packetizer.randomFrame(bytes: 32, generator: &generator)),
            (.gsm, Packetizer.gsm(frames: (0..<3).map { _ in Packetizer.randomGSMFrame(generator: &generator) })),
            (.l16(L16Format(clockRate: 16000, channels: 2)), Packetizer.randomFrame(bytes: 200, generator: &generator)),
        ]
        for rate in G726Rate.allCases {
            for packing in G726Packing.allCases {
                cases.append(
                    (
                        .g726(G726Format(rate: rate, packing: packing)),
                        Packetizer.randomFrame(bytes: 20 * rate.bitsPerCodeword, generator: &generator)
                    )
                )
            }
        }
        for wideband in [false, true] {
            for octetAligned in [false, true] {
                let format = AMRFormat(octetAligned: octetAligned)
                let frames = AMRPayloadTests.mixedFrames(wideband: wideband, generator: &generator)
                let payload = Packetizer.amr(storageFrames: frames, wideband: wideband, octetAligned: octetAligned)
                cases.append((wideband ? .amrWideband(format) : .amr(format), payload))
            }
        }
        let opusFrames = [
            Packetizer.randomFrame(bytes: 60, generator: &generator),
            Packetizer.randomFrame(bytes: 300, generator: &generator), [],
        ]
        cases.append((.opus(OpusFormat()), Packetizer.opus(configuration: 13, frames: opusFrames, padding: 260)))
        cases.append(
            (
                .speex(SpeexFormat(band: .narrowband)),
                Packetizer.speex(
                    [
                        .frame(mode: 5, widebandSubModes: []), .inBandRequest(code: 3),
                        .frame(mode: 8, widebandSubModes: []),
                    ],
                    generator: &generator
                )
            )
        )
        cases.append(
            (
                .speex(SpeexFormat(band: .ultraWideband)),
                Packetizer.speex(
                    [.frame(mode: 4, widebandSubModes: [2, 1]), .frame(mode: 6, widebandSubModes: [4, 0])],
                    generator: &generator
                )
            )
        )
        return cases
    }

    /// Cuts `payload` and checks what must hold whatever the bytes: no trap; the cheap duration agrees with the
    /// frames; the frames' samples add up to the duration at the decoder's rate; a damaged frame has no bytes or
    /// is an AMR frame marked bad. Returns whether it gave frames.
    @discardableResult
    static func check(_ codec: Codec, _ payload: [UInt8]) -> Bool {
        let depacketizer = Depacketizer(codec: codec)!
        let duration: PayloadDuration
        let cut: PayloadFrames
        do {
            duration = try depacketizer.duration(of: payload)
            cut = try depacketizer.frames(of: payload)
        } catch {
            #expect(throws: error.self) { try depacketizer.frames(of: payload) }
            return false
        }
        #expect(cut.duration == duration, "\(codec) \(payload.count) bytes")
        let samples = cut.frames.reduce(0) { $0 + $1.sampleCount }
        #expect(samples == duration.ticks * codec.sampleRate / codec.rtpClockRate, "\(codec) \(payload.count) bytes")
        #expect(duration.ticks >= 0 && cut.frames.allSatisfy { $0.sampleCount > 0 })
        if !duration.fitsCodec {
            #expect(
                cut.frames.allSatisfy {
                    $0.kind == .damaged || $0.kind == .noData || $0.kind == .speech && codec == .gsm
                }
            )
        }
        return true
    }

    // Proves every truncation of a valid payload of each codec is handled: frames or a counted error, never a trap.
    @Test func everyTruncation() {
        for (codec, payload) in Self.samples() {
            #expect(Self.check(codec, payload), "\(codec): the whole payload must give frames")
            for length in 0..<payload.count {
                Self.check(codec, Array(payload.prefix(length)))
            }
        }
    }

    // Proves random bytes of random lengths never trap and keep the invariants, for every codec.
    @Test func randomBytes() {
        var generator = SplitMix64(seed: 0xF00D)
        for (codec, _) in Self.samples() {
            for _ in 0..<400 {
                let length = Int(generator.next() % 400)
                Self.check(codec, Packetizer.randomFrame(bytes: length, generator: &generator))
            }
        }
    }

    // Proves single bit flips of valid payloads never trap and keep the invariants.
    @Test func bitFlips() {
        for (codec, payload) in Self.samples() {
            for bit in stride(from: 0, to: payload.count * 8, by: 3) {
                var flipped = payload
                flipped[bit / 8] ^= 1 << UInt8(bit % 8)
                Self.check(codec, flipped)
            }
        }
    }
}
