private import CGSM

/// libgsm's GSM 06.10 encoder, for tests and the bench (the product only decodes): 160 samples in, 33 bytes out.
package final class GSMEncoder {
    /// libgsm's state (`gsm`).
    private let state: OpaquePointer
    private var frame = [UInt8](repeating: 0, count: GSMDecoder.frameBytes)

    package init() {
        guard let state = gsm_create() else { fatalError("libgsm: out of memory") }
        self.state = state
    }

    deinit {
        gsm_destroy(state)
    }

    /// Encodes one 20 ms frame of exactly 160 samples.
    package func encode(_ samples: ArraySlice<Int16>) -> [UInt8] {
        precondition(samples.count == GSMDecoder.frameSamples, "GSM encodes 160-sample frames")
        var pcm = Array(samples)
        gsm_encode(state, &pcm, &frame)
        return frame
    }

    /// Encodes `samples` (a partial last frame is dropped) into one frame per 20 ms.
    package func encode(stream samples: [Int16]) -> [[UInt8]] {
        stride(from: 0, to: samples.count - GSMDecoder.frameSamples + 1, by: GSMDecoder.frameSamples).map {
            encode(samples[$0..<($0 + GSMDecoder.frameSamples)])
        }
    }
}
