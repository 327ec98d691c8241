private import CBcg729

/// bcg729's G.729A encoder, for tests and the bench (the product only decodes): 80 samples in, one frame out.
package final class G729Encoder {
    /// Whether Annex B (voice activity detection, DTX, SID frames) is on.
    package let annexB: Bool
    /// bcg729's encoder channel (`bcg729EncoderChannelContextStruct *`).
    private let channel: OpaquePointer

    package init(annexB: Bool) {
        guard let channel = initBcg729EncoderChannel(annexB ? 1 : 0) else { fatalError("bcg729: out of memory") }
        self.channel = channel
        self.annexB = annexB
    }

    deinit {
        closeBcg729EncoderChannel(channel)
    }

    /// Encodes one 10 ms frame of exactly 80 samples: 10 bytes of speech, or with Annex B a 2-byte SID or nothing
    /// (an untransmitted frame of a silence period).
    package func encode(_ samples: ArraySlice<Int16>) -> [UInt8] {
        precondition(samples.count == G729Decoder.frameSamples, "G.729 encodes 80-sample frames")
        var bitStream = [UInt8](repeating: 0, count: G729Decoder.speechFrameBytes)
        var length: UInt8 = 0
        Array(samples).withUnsafeBufferPointer { input in
            bcg729Encoder(channel, input.baseAddress, &bitStream, &length)
        }
        return Array(bitStream.prefix(Int(length)))
    }

    /// Encodes `samples` (a whole number of frames; a partial last frame is dropped) into one frame per 10 ms.
    package func encode(stream samples: [Int16]) -> [[UInt8]] {
        stride(from: 0, to: samples.count - G729Decoder.frameSamples + 1, by: G729Decoder.frameSamples).map {
            encode(samples[$0..<($0 + G729Decoder.frameSamples)])
        }
    }
}
