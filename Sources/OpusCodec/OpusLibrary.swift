private import COpus

/// libopus called directly, with none of ``OpusDecoder``'s handling: the reference the tests hold the decoder to.
package enum OpusLibrary {
    /// Decodes `packets` in order with a fresh mono libopus decoder at `sampleRate`; an empty packet is a loss,
    /// concealed for `lossSamples`: by PLC, or with `forwardErrorCorrection` from the next packet's in-band FEC
    /// (`decode_fec`).
    package static func decode(
        _ packets: [[UInt8]],
        sampleRate: Int,
        lossSamples: Int,
        forwardErrorCorrection: Bool = false
    ) -> [Int16] {
        var error: Int32 = 0
        guard let state = opus_decoder_create(opus_int32(sampleRate), 1, &error) else { return [] }
        defer { opus_decoder_destroy(state) }
        var output: [Int16] = []
        var pcm = [Int16](repeating: 0, count: sampleRate * 120 / 1000)
        for (index, packet) in packets.enumerated() {
            let next = index + 1 < packets.count ? packets[index + 1] : []
            let count: Int32
            if !packet.isEmpty {
                count = opus_decode(state, packet, opus_int32(packet.count), &pcm, Int32(pcm.count), 0)
            } else if forwardErrorCorrection && !next.isEmpty {
                count = opus_decode(state, next, opus_int32(next.count), &pcm, Int32(lossSamples), 1)
            } else {
                count = opus_decode(state, nil, 0, &pcm, Int32(lossSamples), 0)
            }
            if count > 0 { output.append(contentsOf: pcm[0..<Int(count)]) }
        }
        return output
    }

    /// The samples per channel `packet` holds at 48 kHz (its TOC, RFC 6716 §3.1), or nil when it is malformed.
    package static func sampleCount(ofPacket packet: [UInt8], sampleRate: Int = 48000) -> Int? {
        let count = opus_packet_get_nb_samples(packet, opus_int32(packet.count), opus_int32(sampleRate))
        return count > 0 ? Int(count) : nil
    }
}
