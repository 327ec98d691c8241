private import CBcg729

/// bcg729 called directly, with none of ``G729Decoder``'s handling: the reference the tests hold the decoder to.
package enum G729Library {
    /// Decodes `frames` in order with a fresh bcg729 decoder: 10 bytes as speech, 2 bytes as a SID, anything else
    /// as an erased frame; 80 samples each.
    package static func decode(_ frames: [[UInt8]]) -> [Int16] {
        guard let channel = initBcg729DecoderChannel() else { fatalError("bcg729: out of memory") }
        defer { closeBcg729DecoderChannel(channel) }
        var output = [Int16](repeating: 0, count: frames.count * G729Decoder.frameSamples)
        output.withUnsafeMutableBufferPointer { samples in
            for (index, frame) in frames.enumerated() {
                let signal = samples.baseAddress! + index * G729Decoder.frameSamples
                switch frame.count {
                case G729Decoder.speechFrameBytes, G729Decoder.silenceDescriptorBytes:
                    let sid: UInt8 = frame.count == G729Decoder.silenceDescriptorBytes ? 1 : 0
                    bcg729Decoder(channel, frame, UInt8(frame.count), 0, sid, 0, signal)
                default:
                    bcg729Decoder(channel, nil, 0, 1, 0, 0, signal)
                }
            }
        }
        return output
    }
}
