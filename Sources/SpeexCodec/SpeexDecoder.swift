public import AudioCodecs
private import CSpeex

/// A Speex decoder (narrowband, wideband or ultra-wideband), libspeex behind ``AudioDecoder``. With
/// ``SpeexEncoder`` the only code in the package that touches libspeex.
///
/// A frame is a whole RTP payload (RFC 5574 §3.3): one or more Speex frames of 20 ms, self-delimiting, the last
/// octet padded with a terminator pattern. ``decode(_:appendingTo:)`` decodes frames while at least 5 bits are left
/// and they are not the terminator code (wideband bit 0, mode 15; the rule of libspeex's nb_celp.c `nb_decode` and
/// of FFmpeg's libspeexdec.c), at most ``maximumFramesPerPayload``, so a hostile payload cannot make it produce more
/// than a second of audio.
///
/// - `.speech`, `.silenceDescriptor`: every frame of the payload. When libspeex finds the stream corrupted (an
///   invalid mode, bits read past the end) decoding stops there and the payload counts in ``rejectedFrames``; what
///   was decoded before stays, and when nothing was, one frame of libspeex's concealment is given. When
///   `frame.sampleCount` is not 0 the output is made exactly that long: cut, or completed with concealment.
/// - `.noData`, `.damaged`: libspeex's concealment (a decode without bits) for `frame.sampleCount` samples, or one
///   frame when that is 0.
/// - ``conceal(count:next:appendingTo:)``: the same concealment, one 20 ms frame at a time (the surplus of the last
///   dropped).
///
/// libspeex's perceptual enhancer is on (its default for the decoder). libspeex prints a "notification" line to
/// stderr for most corrupted payloads (one at most per payload: decoding stops there). The commonest case, an
/// invalid narrowband mode, is caught here first; and after ``maximumConsecutiveCorruptPayloads`` corrupted
/// payloads in a row the stream is taken for something that is not Speex (a wrong payload type mapping): its
/// payloads are then concealed without being decoded, which bounds both the noise and those log lines.
///
/// Not thread-safe: one decoder belongs to one renderer. It is `@unchecked Sendable` so a renderer can be created on
/// one task and run on another; it is never used from two threads at once (the C state is plain memory, owned here).
public final class SpeexDecoder: AudioDecoder, @unchecked Sendable {
    /// The most frames decoded from one payload (1 s of audio): RFC 5574 sets no limit, packets carry 20–200 ms.
    public static let maximumFramesPerPayload = 50

    /// Corrupted payloads in a row after which the stream is no longer decoded (one second of 20 ms packets).
    public static let maximumConsecutiveCorruptPayloads = 50

    public let band: SpeexBand
    public var sampleRate: Int { band.sampleRate }
    /// Payloads libspeex found corrupted (or that held no frame), concealed in whole or in part.
    public private(set) var rejectedFrames = 0
    /// Whether the stream was given up as not Speex (see ``maximumConsecutiveCorruptPayloads``).
    public var isGivenUp: Bool { consecutiveCorruptPayloads >= Self.maximumConsecutiveCorruptPayloads }
    private var consecutiveCorruptPayloads = 0

    /// libspeex's decoder state.
    private let state: UnsafeMutableRawPointer
    /// libspeex's bit reader, at a fixed address, pointed at each payload in turn while it is decoded (it never
    /// owns a buffer, so there is nothing to free and no copy; libspeex only reads through it).
    private let bits: UnsafeMutablePointer<SpeexBits>
    /// One frame of output, reused.
    private var scratch: [Int16]

    public init(band: SpeexBand) {
        let mode: Int32 =
            switch band {
            case .narrowband: SPEEX_MODEID_NB
            case .wideband: SPEEX_MODEID_WB
            case .ultraWideband: SPEEX_MODEID_UWB
            }
        // speex_decoder_init only allocates; NULL means the process is out of memory.
        guard let state = speex_decoder_init(speex_lib_get_mode(mode)) else { fatalError("libspeex: out of memory") }
        self.state = state
        self.band = band
        self.bits = .allocate(capacity: 1)
        bits.initialize(to: SpeexBits())
        self.scratch = [Int16](repeating: 0, count: band.frameSamples)
    }

    deinit {
        bits.deallocate()
        speex_decoder_destroy(state)
    }

    public func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        switch frame.kind {
        case .speech, .silenceDescriptor:
            let start = output.count
            let complete = !isGivenUp && decodePayload(frame.bytes, appendingTo: &output)
            var produced = output.count - start
            if !complete || produced == 0 {
                rejectedFrames += 1
                consecutiveCorruptPayloads += 1
            } else {
                consecutiveCorruptPayloads = 0
            }
            let wanted = frame.sampleCount > 0 ? frame.sampleCount : max(produced, band.frameSamples)
            if produced > wanted {
                output.removeLast(produced - wanted)
                produced = wanted
            }
            _ = conceal(count: wanted - produced, next: nil, appendingTo: &output)
        case .noData, .damaged:
            _ = conceal(
                count: frame.sampleCount > 0 ? frame.sampleCount : band.frameSamples,
                next: nil,
                appendingTo: &output
            )
        }
    }

    public func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool {
        var remaining = count
        while remaining > 0 {
            // A decode without bits is libspeex's packet loss concealment (speex.h, speex_decode_int).
            _ = speex_decode_int(state, nil, &scratch)
            let take = min(remaining, scratch.count)
            output.append(contentsOf: scratch[0..<take])
            remaining -= take
        }
        return true
    }

    /// Decodes the frames of one payload; returns false when libspeex found the stream corrupted.
    private func decodePayload(_ payload: [UInt8], appendingTo output: inout [Int16]) -> Bool {
        guard !payload.isEmpty, payload.count <= Int(Int32.max) / 8 else { return false }
        return payload.withUnsafeBytes { raw in
            // speex_bits_set_bit_buffer reads in place, where speex_bits_read_from would copy the payload and print a
            // notification for one over its 2000-byte buffer.
            speex_bits_set_bit_buffer(bits, UnsafeMutableRawPointer(mutating: raw.baseAddress), Int32(raw.count))
            for _ in 0..<Self.maximumFramesPerPayload {
                // Fewer than 5 bits, or the terminator code (wideband bit 0, mode 15): the payload's padding.
                if speex_bits_remaining(bits) < 5 || speex_bits_peek_unsigned(bits, 5) == 0x0F { return true }
                // Narrowband modes 9…12 do not exist (libspeex nb_celp.c: 0–8 speech, 13 and 14 in-band, 15
                // terminator): corrupted, caught before libspeex prints its notification.
                if (9...12).contains(speex_bits_peek_unsigned(bits, 5)) { return false }
                let status = speex_decode_int(state, bits, &scratch)
                // -1: end of stream (a terminator); -2: corrupted; bits read past the end: corrupted (speexdec.c).
                if status == -1 { return true }
                if status != 0 || speex_bits_remaining(bits) < 0 { return false }
                output.append(contentsOf: scratch)
            }
            // More frames than any payload should hold: the rest is not decoded.
            return speex_bits_remaining(bits) < 5 || speex_bits_peek_unsigned(bits, 5) == 0x0F
        }
    }
}
