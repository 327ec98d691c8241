private import CSpeex

/// libspeex's encoder, for tests and the bench (the product only decodes): 20 ms frames in, RTP payloads of one or
/// more frames out (RFC 5574 §3.3).
package final class SpeexEncoder {
    package let band: SpeexBand
    /// libspeex's encoder state.
    private let state: UnsafeMutableRawPointer
    /// libspeex's bit writer, at a fixed address.
    private let bits: UnsafeMutablePointer<SpeexBits>
    private var scratch = [UInt8](repeating: 0, count: 4096)

    /// An encoder for `band` at libspeex quality 0…10 (8 gives 15 kbit/s narrowband, 23.8 kbit/s wideband).
    package init(band: SpeexBand, quality: Int = 8) {
        let mode: Int32 =
            switch band {
            case .narrowband: SPEEX_MODEID_NB
            case .wideband: SPEEX_MODEID_WB
            case .ultraWideband: SPEEX_MODEID_UWB
            }
        guard let state = speex_encoder_init(speex_lib_get_mode(mode)) else { fatalError("libspeex: out of memory") }
        var value = Int32(quality)
        speex_encoder_ctl(state, SPEEX_SET_QUALITY, &value)
        self.state = state
        self.band = band
        self.bits = .allocate(capacity: 1)
        speex_bits_init(bits)
    }

    deinit {
        speex_bits_destroy(bits)
        bits.deallocate()
        speex_encoder_destroy(state)
    }

    /// Encodes `samples` (whole frames of `band.frameSamples`) into one payload.
    package func encodePayload(_ samples: ArraySlice<Int16>) -> [UInt8] {
        precondition(samples.count % band.frameSamples == 0, "Speex encodes 20 ms frames")
        speex_bits_reset(bits)
        var pcm = Array(samples)
        for start in stride(from: 0, to: pcm.count, by: band.frameSamples) {
            pcm.withUnsafeMutableBufferPointer { input in
                _ = speex_encode_int(state, input.baseAddress! + start, bits)
            }
        }
        // speex_bits_write pads the last octet with the terminator pattern (libspeex bits.c).
        let length = scratch.withUnsafeMutableBytes { output in
            speex_bits_write(bits, output.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(output.count))
        }
        return Array(scratch.prefix(Int(length)))
    }

    /// Encodes `samples` into payloads of `framesPerPayload` frames each (a partial last payload is dropped).
    package func encode(stream samples: [Int16], framesPerPayload: Int = 1) -> [[UInt8]] {
        let step = band.frameSamples * framesPerPayload
        return stride(from: 0, to: samples.count - step + 1, by: step).map { encodePayload(samples[$0..<($0 + step)]) }
    }
}
