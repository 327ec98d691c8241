public import AudioCodecs
private import COpus

/// An Opus decoder (RFC 6716) with libopus's packet loss concealment and in-band FEC, behind ``AudioDecoder``. With
/// ``OpusEncoder`` the only code in the package that touches libopus.
///
/// Decodes at a rate chosen at creation (8, 12, 16, 24 or 48 kHz: libopus resamples internally; RFC 6716 §4.2.9
/// leaves SILK's resampler to the implementation), always to mono: libopus created with one channel downmixes a
/// stereo stream itself (opus.h, `opus_decoder_create`). A frame is one whole Opus packet (RFC 7587 §4.2); its
/// samples are what the packet's TOC says (2.5 to 120 ms).
///
/// - `.speech` / `.silenceDescriptor`: decoded; a packet libopus rejects (malformed, RFC 6716 §3.4) is counted in
///   ``rejectedFrames`` and concealed for its duration (below). A 1-byte packet (TOC only: an encoder's DTX frame)
///   is valid and decodes to libopus's comfort noise / concealment.
/// - `.noData` and `.damaged`: libopus's PLC for `frame.sampleCount` samples, or, when that is 0, the duration the
///   packet's TOC gives, else that of the last packet.
/// - ``conceal(count:next:appendingTo:)``: libopus's PLC; with `next` (the packet after the loss), the end of the gap
///   is decoded from `next`'s in-band FEC (LBRR, RFC 6716 §4.2.4) where it carries some (`decode_fec`), and PLC
///   fills the rest. libopus conceals in steps of 2.5 ms: a count that is not a multiple is rounded up and the
///   surplus (under 2.5 ms) dropped from the end; RTP timestamps of Opus move in multiples of 2.5 ms anyway.
///
/// Not thread-safe: one decoder belongs to one renderer. It is `@unchecked Sendable` so a renderer can be created on
/// one task and run on another; it is never used from two threads at once (the C state is plain memory, owned here).
public final class OpusDecoder: AudioDecoder, @unchecked Sendable {
    /// The output rates libopus decodes to (RFC 6716 §2, opus.h `opus_decoder_create`).
    public static let sampleRates = [8000, 12000, 16000, 24000, 48000]

    public let sampleRate: Int
    /// Packets libopus rejected, concealed instead.
    public private(set) var rejectedFrames = 0

    /// libopus's decoder state (`OpusDecoder *`).
    private let state: OpaquePointer
    /// Output of one call: the longest packet, 120 ms (RFC 6716 §3.2.5).
    private var scratch: [Int16]
    /// The duration of the last packet decoded, for concealing a frame of unknown length (20 ms until one is).
    private var lastPacketSamples: Int

    /// Creates a mono decoder at `sampleRate`, one of ``sampleRates``.
    public init(sampleRate: Int) throws(OpusCodecError) {
        guard Self.sampleRates.contains(sampleRate) else {
            throw OpusCodecError(
                .unsupportedSampleRate,
                detail: "expected one of \(Self.sampleRates.map(String.init).joined(separator: ", ")) Hz, "
                    + "found \(sampleRate)"
            )
        }
        var error: Int32 = 0
        guard let state = opus_decoder_create(opus_int32(sampleRate), 1, &error), error == OPUS_OK else {
            throw OpusCodecError(.createFailed, libraryCode: error, detail: "opus_decoder_create at \(sampleRate) Hz")
        }
        self.state = state
        self.sampleRate = sampleRate
        self.scratch = [Int16](repeating: 0, count: sampleRate * 120 / 1000)
        self.lastPacketSamples = sampleRate / 50
    }

    deinit {
        opus_decoder_destroy(state)
    }

    /// The PLC granule: libopus conceals multiples of 2.5 ms (opus_decoder.c, `opus_decode_native`).
    private var concealmentStep: Int { sampleRate / 400 }

    public func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        switch frame.kind {
        case .speech, .silenceDescriptor:
            let produced = decodePacket(frame.bytes, forwardErrorCorrection: false, samples: scratch.count)
            if produced >= 0 {
                lastPacketSamples = produced
                output.append(contentsOf: scratch[0..<produced])
            } else {
                rejectedFrames += 1
                concealDuration(of: frame, appendingTo: &output)
            }
        case .noData, .damaged:
            concealDuration(of: frame, appendingTo: &output)
        }
    }

    public func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool {
        guard count > 0 else { return true }
        let step = concealmentStep
        var remaining = (count + step - 1) / step * step
        var wanted = count
        // libopus takes FEC only for the last packet-length of a gap: conceal the start with PLC in chunks that fit
        // the scratch buffer, then hand the rest to the FEC decode.
        let fecPacket = next.flatMap { $0.kind == .speech && !$0.bytes.isEmpty ? $0.bytes : nil }
        while remaining > 0 {
            let isLast = remaining <= scratch.count
            let chunk = isLast ? remaining : scratch.count
            var produced = -1
            if isLast, let fecPacket {
                // libopus itself runs PLC instead where the packet carries no FEC for this span.
                produced = decodePacket(fecPacket, forwardErrorCorrection: true, samples: chunk)
            }
            if produced != chunk { produced = decodePacket(nil, forwardErrorCorrection: false, samples: chunk) }
            if produced != chunk {
                // Never expected (a PLC call of a valid size); silence keeps the length right.
                for index in 0..<chunk { scratch[index] = 0 }
            }
            let take = min(chunk, wanted)
            output.append(contentsOf: scratch[0..<take])
            wanted -= take
            remaining -= chunk
        }
        return true
    }

    /// Conceals a frame that cannot be decoded, for its own duration (see the type's documentation).
    private func concealDuration(of frame: CodecFrame, appendingTo output: inout [Int16]) {
        var count = frame.sampleCount
        if count <= 0 {
            let packet = frame.bytes
            let packetSamples =
                packet.isEmpty
                ? 0 : opus_packet_get_nb_samples(packet, opus_int32(packet.count), opus_int32(sampleRate))
            count = packetSamples > 0 && Int(packetSamples) <= scratch.count ? Int(packetSamples) : lastPacketSamples
        }
        _ = conceal(count: count, next: nil, appendingTo: &output)
    }

    /// One `opus_decode` call into `scratch`: the packet (nil for PLC), FEC or not, for at most `samples`. Returns
    /// the samples produced or libopus's negative error code.
    private func decodePacket(_ packet: [UInt8]?, forwardErrorCorrection: Bool, samples: Int) -> Int {
        precondition(samples > 0 && samples <= scratch.count)
        guard let packet else {
            return Int(opus_decode(state, nil, 0, &scratch, Int32(samples), 0))
        }
        // An empty packet would make libopus conceal the whole `samples` (its PLC signal); a payload longer than any
        // Opus packet (RFC 6716 §3.4 [R2] and [R5]: at most 1275 bytes per frame, 48 frames) is malformed.
        guard !packet.isEmpty, packet.count <= 1275 * 48 else { return Int(OPUS_INVALID_PACKET) }
        let fec: Int32 = forwardErrorCorrection ? 1 : 0
        return Int(opus_decode(state, packet, opus_int32(packet.count), &scratch, Int32(samples), fec))
    }
}
