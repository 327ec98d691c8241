private import CGSM

/// libgsm called directly, with none of ``GSMDecoder``'s handling: the reference the tests hold the decoder to.
package enum GSMLibrary {
    /// Decodes 33-byte frames in order with a fresh libgsm decoder, 160 samples each (zeros for a frame libgsm
    /// rejects).
    package static func decode(_ frames: [[UInt8]]) -> [Int16] {
        guard let state = gsm_create() else { return [] }
        defer { gsm_destroy(state) }
        var output: [Int16] = []
        var pcm = [Int16](repeating: 0, count: GSMDecoder.frameSamples)
        for frame in frames {
            var bytes = frame
            if bytes.count != GSMDecoder.frameBytes || gsm_decode(state, &bytes, &pcm) != 0 {
                pcm = [Int16](repeating: 0, count: GSMDecoder.frameSamples)
            }
            output += pcm
        }
        return output
    }
}
