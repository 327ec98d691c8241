private import CSpeex

/// libspeex called directly, with none of ``SpeexDecoder``'s handling: the reference the tests hold the decoder to.
package enum SpeexLibrary {
    /// Decodes each payload's first `framesPerPayload` frames with a fresh libspeex decoder for `band`, as libspeex's
    /// own speexdec does when the Ogg header gives the frame count; an empty payload is one lost frame (concealed).
    package static func decode(_ payloads: [[UInt8]], band: SpeexBand, framesPerPayload: Int) -> [Int16] {
        let mode: Int32 =
            switch band {
            case .narrowband: SPEEX_MODEID_NB
            case .wideband: SPEEX_MODEID_WB
            case .ultraWideband: SPEEX_MODEID_UWB
            }
        guard let state = speex_decoder_init(speex_lib_get_mode(mode)) else { return [] }
        var bits = SpeexBits()
        speex_bits_init(&bits)
        defer {
            speex_bits_destroy(&bits)
            speex_decoder_destroy(state)
        }
        var output: [Int16] = []
        var pcm = [Int16](repeating: 0, count: band.frameSamples)
        for payload in payloads {
            guard !payload.isEmpty else {
                _ = speex_decode_int(state, nil, &pcm)
                output += pcm
                continue
            }
            payload.withUnsafeBytes { raw in
                speex_bits_read_from(&bits, raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count))
            }
            for _ in 0..<framesPerPayload {
                guard speex_decode_int(state, &bits, &pcm) == 0 else { break }
                output += pcm
            }
        }
        return output
    }
}
