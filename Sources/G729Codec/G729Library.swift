private import CBcg729

/// bcg729 called directly, with none of ``G729Decoder``'s handling: the reference the tests hold the decoder to.
package enum G729Library {
    /// Decodes `frames` in order with a fresh bcg729 decoder, 80 samples each: 10 bytes as speech, 2 bytes as a
    /// SID, an empty frame as an untransmitted one (DTX), nil as an erased frame.
    package static func decode(_ frames: [[UInt8]?]) -> [Int16] {
        guard let channel = initBcg729DecoderChannel() else { return [] }
        defer { closeBcg729DecoderChannel(channel) }
        var output: [Int16] = []
        var signal = [Int16](repeating: 0, count: G729Decoder.frameSamples)
        for frame in frames {
            switch frame?.count {
            case nil: bcg729Decoder(channel, nil, 0, 1, 0, 0, &signal)
            case 0: bcg729Decoder(channel, nil, 0, 0, 1, 0, &signal)
            case let count?:
                let sid: UInt8 = count == G729Decoder.silenceDescriptorBytes ? 1 : 0
                bcg729Decoder(channel, frame, UInt8(count), 0, sid, 0, &signal)
            }
            output += signal
        }
        return output
    }
}
