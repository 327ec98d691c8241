import AudioCodecs
import Testing

/// The 8 ↔ 16 kHz conversions are the ones every existing recording went through: their output must stay
/// byte for byte what the first resampler (a fixed 121-tap half-band-by-2 polyphase FIR) gave. The hashes
/// below were recorded from that implementation (main at a69c0d6) on integer-only inputs, so they hold on
/// any platform.
@Suite("Resampler 8 ↔ 16 kHz golden output")
struct ResamplerGoldenTests {
    /// Deterministic input made with integer arithmetic only (no libm): full-scale white noise (which drives
    /// the output into saturation), a random walk, a full-scale square wave, isolated impulses, silence.
    static func input(count: Int) -> [Int16] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var samples: [Int16] = []
        samples.reserveCapacity(count)
        var walk = 0
        while samples.count < count {
            let n = samples.count % 5000
            switch n {
            case 0..<1000: samples.append(Int16(truncatingIfNeeded: Int(next() & 0xFFFF) - 32768))
            case 1000..<2000:
                walk = min(max(walk + Int(next() % 2001) - 1000, -32768), 32767)
                samples.append(Int16(walk))
            case 2000..<3000: samples.append((n / 37) % 2 == 0 ? 32767 : -32768)
            case 3000..<4000: samples.append(n % 97 == 0 ? Int16(truncatingIfNeeded: Int(next() & 0xFFFF) - 32768) : 0)
            default: samples.append(0)
            }
        }
        return samples
    }

    /// FNV-1a, 64 bits, over the samples' little-endian bytes.
    static func hash(_ samples: [Int16]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for sample in samples {
            let bits = UInt16(bitPattern: sample)
            for byte in [UInt8(bits & 0xFF), UInt8(bits >> 8)] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }

    static func run(from: Int, to: Int, compensates: Bool, block: Int, count: Int) -> [Int16] {
        let input = Self.input(count: count)
        var resampler = Resampler(from: from, to: to, compensatesLatency: compensates)
        var output: [Int16] = []
        var start = 0
        while start < input.count {
            let end = min(start + block, input.count)
            input[start..<end].withUnsafeBufferPointer { resampler.process($0, appendingTo: &output) }
            start = end
        }
        resampler.flush(appendingTo: &output)
        return output
    }

    /// (input rate, output rate, compensates latency, input length, output length, FNV-1a hash of the output),
    /// recorded from the first resampler with `flush` at the end.
    static let golden: [(Int, Int, Bool, Int, Int, UInt64)] = [
        (8000, 16000, false, 20001, 40062, 0xd597_da56_9153_b22a),
        (8000, 16000, true, 20001, 40002, 0x10da_36b1_080f_dba2),
        (16000, 8000, false, 40001, 20031, 0x6f1c_6a57_78ae_a887),
        (16000, 8000, true, 40001, 20001, 0x09f7_1519_35ac_9ffb),
    ]

    // Proves 8 ↔ 16 kHz output is byte for byte the first resampler's, with and without latency compensation,
    // whether the input comes in one block or in blocks of 1, 7 or 160 samples.
    @Test(arguments: [1, 7, 160, 100_000])
    func sameBytesAsTheFirstResampler(block: Int) {
        for (from, to, compensates, count, length, hash) in Self.golden {
            let output = Self.run(from: from, to: to, compensates: compensates, block: block, count: count)
            #expect(output.count == length, "\(from)→\(to) compensates: \(compensates)")
            #expect(Self.hash(output) == hash, "\(from)→\(to) compensates: \(compensates)")
        }
    }
}
