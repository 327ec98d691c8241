import AudioCodecs
import PayloadFormats

/// Pass 2's decoding of one segment (one SSRC, one codec): its decoder, its payload format, and the resampler from
/// the decoder's rate to the leg's. Everything it hands out is at the leg's rate.
///
/// G.711 and G.722 payloads go to their decoder whole, without being cut into frames or copied: one existential
/// call per packet, the same table lookups and G.722 decoding as before this type existed.
struct SegmentDecoder: Sendable {
    let codec: Codec
    /// The decoder's output rate and the leg's rate.
    let decodeRate: Int
    let legRate: Int
    /// Nil when the factory has no decoder for the codec: the segment renders as silence.
    private var decoder: (any AudioDecoder & Sendable)?
    private let depacketizer: Depacketizer?
    private var resampler: Resampler?
    /// G.711 and G.722: the payload is the frame; G.722 gives two samples per byte.
    private let octetSamples: Int?
    /// The last frame decoded was a silence descriptor (G.729 Annex B, AMR): until speech comes back, what the
    /// sender does not send is the codec's comfort noise (its DTX).
    private(set) var inComfortNoise = false
    /// Decoded samples at `decodeRate`, before resampling.
    private var decoded: [Int16] = []

    init(codec: Codec, legRate: Int, factory: AudioDecoderFactory) {
        self.codec = codec
        self.legRate = legRate
        decodeRate = codec.decodeRate(legRate: legRate)
        decoder = factory.decoder(for: codec, sampleRate: decodeRate)
        depacketizer = Depacketizer(codec: codec, opusSampleRate: codec.isOpus ? decodeRate : 48000)
        resampler = decodeRate == legRate ? nil : Resampler(from: decodeRate, to: legRate)
        switch codec {
        case .pcmu, .pcma: octetSamples = 1
        case .g722: octetSamples = 2
        default: octetSamples = nil
        }
    }

    /// How many leg samples late the decoded audio comes out: the resampler's group delay, 0 without one.
    var latency: Int { resampler?.latency ?? 0 }

    /// The payload's frames, or nil when it gives none that can be read (a payload no duration can be read from).
    /// G.711 and G.722 are not cut (``decode(_:frames:appendingTo:)`` takes their payload as it is): empty.
    func frames(of payload: [UInt8]) -> [CodecFrame]? {
        guard octetSamples == nil else { return [] }
        return try? depacketizer?.frames(of: payload).frames
    }

    /// Decodes a packet (its payload, and its `frames` from ``frames(of:)``) and appends its samples to `output`.
    /// Returns false, appending nothing, when the payload cannot be decoded at all and the codec cannot conceal
    /// frames itself: an unreadable payload, or a damaged one of a Swift codec; the caller conceals its duration as
    /// a loss (SPEC §3.5).
    mutating func decode(_ payload: [UInt8], frames: [CodecFrame]?, appendingTo output: inout [Int16]) -> Bool {
        if let octetSamples {
            let frame = CodecFrame(kind: .speech, bytes: payload, sampleCount: payload.count * octetSamples)
            decodeFrames(CollectionOfOne(frame), appendingTo: &output)
            return true
        }
        guard let frames, !frames.isEmpty else { return false }
        if !codec.decodesDamagedFrames, frames.contains(where: { $0.kind == .damaged }) { return false }
        decodeFrames(frames, appendingTo: &output)
        return true
    }

    private mutating func decodeFrames(_ frames: some Collection<CodecFrame>, appendingTo output: inout [Int16]) {
        let direct = resampler == nil
        if !direct { decoded.removeAll(keepingCapacity: true) }
        for frame in frames {
            if decoder != nil {
                if direct {
                    decoder!.decode(frame, appendingTo: &output)
                } else {
                    decoder!.decode(frame, appendingTo: &decoded)
                }
            } else {
                // No decoder for this codec: its duration of silence.
                if direct {
                    output.append(contentsOf: repeatElement(0, count: frame.sampleCount))
                } else {
                    decoded.append(contentsOf: repeatElement(0, count: frame.sampleCount))
                }
            }
            switch frame.kind {
            case .silenceDescriptor: inComfortNoise = true
            case .speech: inComfortNoise = false
            case .noData, .damaged: break
            }
        }
        if !direct { resampleDecoded(appendingTo: &output) }
    }

    /// Fills `count` leg samples of lost audio with the codec's own concealment (with in-band FEC from `next`, the
    /// first frame after the loss, where the codec has it); false, appending nothing, when the codec has none.
    mutating func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool {
        guard decoder != nil, count > 0 else { return false }
        decoded.removeAll(keepingCapacity: true)
        guard decoder!.conceal(count: decodeCount(count), next: next, appendingTo: &decoded) else { return false }
        appendExactly(count, appendingTo: &output)
        return true
    }

    /// Appends `count` leg samples of the codec's comfort noise (the DTX period after a silence descriptor).
    mutating func comfortNoise(count: Int, appendingTo output: inout [Int16]) {
        guard count > 0 else { return }
        guard decoder != nil else { return output.append(contentsOf: repeatElement(0, count: count)) }
        decoded.removeAll(keepingCapacity: true)
        decoder!.decode(CodecFrame(kind: .noData, bytes: [], sampleCount: decodeCount(count)), appendingTo: &decoded)
        appendExactly(count, appendingTo: &output)
    }

    /// Decoder samples that cover `count` leg samples.
    private func decodeCount(_ count: Int) -> Int {
        (count * decodeRate + legRate - 1) / legRate
    }

    /// `decoded`, brought to the leg's rate and made exactly `count` samples long (a resampler hands out a sample
    /// more or less than the ratio over a short block; the gap it fills is exactly `count` long).
    private mutating func appendExactly(_ count: Int, appendingTo output: inout [Int16]) {
        let start = output.count
        if resampler == nil { output.append(contentsOf: decoded) } else { resampleDecoded(appendingTo: &output) }
        let made = output.count - start
        if made > count {
            output.removeLast(made - count)
        } else if made < count {
            output.append(contentsOf: repeatElement(output.last ?? 0, count: count - made))
        }
    }

    private mutating func resampleDecoded(appendingTo output: inout [Int16]) {
        decoded.withUnsafeBufferPointer { resampler!.process($0, appendingTo: &output) }
    }
}

extension Codec {
    var isOpus: Bool {
        if case .opus = self { return true }
        return false
    }
}
