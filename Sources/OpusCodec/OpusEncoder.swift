private import COpus

/// libopus's encoder, for tests and the bench (the product only decodes): one packet per call.
package final class OpusEncoder {
    /// What the encoder is asked for.
    package struct Settings: Sendable {
        /// Input rate: 8, 12, 16, 24 or 48 kHz.
        package var sampleRate = 48000
        /// 1 or 2; stereo input is interleaved.
        package var channels = 1
        /// Target bitrate in bit/s.
        package var bitrate = 24000
        /// In-band FEC (LBRR frames, RFC 6716 §4.2.4): each packet carries a low-rate copy of the previous one.
        package var inbandFEC = false
        /// The loss rate the encoder plans its FEC for, in percent (libopus adds FEC only when this is above 0).
        package var expectedLossPercent = 0
        /// Discontinuous transmission (libopus `OPUS_SET_DTX`): 1-byte packets in silence.
        package var dtx = false
        /// libopus's complexity 0…10.
        package var complexity = 10
        /// Keeps the encoder to wideband (8 kHz audio bandwidth: SILK only, RFC 6716 §2) instead of letting it
        /// pick a wider band (hybrid or CELT) from the bitrate.
        package var wideband = false

        package init() {}
    }

    package let settings: Settings
    /// libopus's encoder state (`OpusEncoder *`).
    private let state: OpaquePointer
    private var scratch = [UInt8](repeating: 0, count: 4000)

    package init(_ settings: Settings) throws(OpusCodecError) {
        guard settings.channels == 1 || settings.channels == 2 else {
            throw OpusCodecError(.unsupportedChannelCount, detail: "expected 1 or 2, found \(settings.channels)")
        }
        var error: Int32 = 0
        guard
            let state = opus_encoder_create(
                opus_int32(settings.sampleRate),
                Int32(settings.channels),
                OPUS_APPLICATION_VOIP,
                &error
            ), error == OPUS_OK
        else {
            throw OpusCodecError(.createFailed, libraryCode: error, detail: "opus_encoder_create: \(settings)")
        }
        self.state = state
        self.settings = settings
        let requests: [(String, Int32)] = [
            ("bitrate", copus_encoder_set_bitrate(state, opus_int32(settings.bitrate))),
            ("inband FEC", copus_encoder_set_inband_fec(state, settings.inbandFEC ? 1 : 0)),
            ("packet loss", copus_encoder_set_packet_loss_perc(state, opus_int32(settings.expectedLossPercent))),
            ("DTX", copus_encoder_set_dtx(state, settings.dtx ? 1 : 0)),
            ("complexity", copus_encoder_set_complexity(state, opus_int32(settings.complexity))),
            ("signal", copus_encoder_set_signal(state, OPUS_SIGNAL_VOICE)),
            (
                "bandwidth",
                copus_encoder_set_max_bandwidth(
                    state,
                    settings.wideband ? OPUS_BANDWIDTH_WIDEBAND : OPUS_BANDWIDTH_FULLBAND
                )
            ),
        ]
        for (name, status) in requests where status != OPUS_OK {
            opus_encoder_destroy(state)
            throw OpusCodecError(.configurationRejected, libraryCode: status, detail: "\(name): \(settings)")
        }
    }

    deinit {
        opus_encoder_destroy(state)
    }

    /// Encodes one frame (2.5, 5, 10, 20, 40 or 60 ms of samples per channel, interleaved) into one packet.
    package func encode(_ samples: ArraySlice<Int16>) throws(OpusCodecError) -> [UInt8] {
        let frameSize = samples.count / settings.channels
        let pcm = Array(samples)
        let length = opus_encode(state, pcm, Int32(frameSize), &scratch, opus_int32(scratch.count))
        guard length > 0 else {
            throw OpusCodecError(.encodeFailed, libraryCode: length, detail: "\(frameSize) samples per channel")
        }
        return Array(scratch[0..<Int(length)])
    }

    /// Encodes `samples` in packets of `frameMilliseconds` (a partial last frame is dropped).
    package func encode(stream samples: [Int16], frameMilliseconds: Int = 20) throws(OpusCodecError) -> [[UInt8]] {
        let step = settings.sampleRate * frameMilliseconds / 1000 * settings.channels
        var packets: [[UInt8]] = []
        var start = 0
        while start + step <= samples.count {
            packets.append(try encode(samples[start..<(start + step)]))
            start += step
        }
        return packets
    }
}
