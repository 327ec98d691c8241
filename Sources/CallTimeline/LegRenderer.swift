import AudioCodecs
import PayloadFormats

/// What pass 2 hands a leg, at a position of the leg's sample clock.
struct RenderItem: Sendable {
    enum Kind: Sendable {
        /// An audio packet of `segment`, with the sequence numbers missing since the stream's previous audio.
        case audio(segment: Int, payload: [UInt8], lostBefore: Int)
        /// RFC 3389 comfort noise from here on, at `level` −dBov.
        case comfortNoise(level: UInt8)
        /// An RFC 4733 event: the sender stopped audio on purpose.
        case event
    }

    var position: Int
    /// Release order, to keep equal positions in the order pass 2 released them.
    var order: Int
    var kind: Kind
}

extension RenderItem: HeapOrdered {
    func precedes(_ other: RenderItem) -> Bool { (position, order) < (other.position, other.order) }
}

/// Renders one leg as its packets arrive in pass 2: decodes each packet at its position, fills gaps in the PCM
/// domain (concealment, silence, comfort noise; never codec bytes, SPEC §3.5), absorbs the one-sample steps that
/// drift correction makes, and resamples to the call's rate.
///
/// Each segment has its own decoder (``SegmentDecoder``, made by the ``AudioDecoderFactory``). A loss up to the
/// concealment limit inside a segment is filled by the codec's own concealment where it has one (bcg729's erasure,
/// libopus's PLC and in-band FEC from the packet after the loss, opencore-amr's bad-frame handling, libspeex),
/// else, and at a hand-over between segments, by the leg's G.711 Appendix I concealer. After a silence descriptor
/// (G.729 Annex B, AMR) what the sender does not send is the codec's comfort noise, listed as comfort noise; a
/// pause without one (Opus DTX, silence suppression) is silence, never a loss.
struct LegRenderer: Sendable {
    private let timeline: CallTimeline
    private let legRate: Int
    private let decoders: AudioDecoderFactory
    private let tolerance: Int
    private let concealLimit: Int
    private var items = MinHeap<RenderItem>()

    /// Samples produced at the leg rate so far (the position of the next sample).
    private(set) var cursor = 0
    private var started = false
    private var gapStart: Int?
    /// Part of the open gap was already filled with silence (it outlasted the concealment limit).
    private var gapSilenced = false
    private var noiseLevel: UInt8?
    private var lastSegment: Int?
    private var lastSample: Int16 = 0

    /// The decoder of the segment being rendered, and those of segments the leg may return to.
    private var active: (segment: Int, decoder: SegmentDecoder)?
    private var parked: [Int: SegmentDecoder] = [:]
    /// The segment whose codec's comfort noise runs (its last frame was a silence descriptor).
    private var dtxSegment: Int?
    /// Packets since the last decoded one that arrived but could not be decoded (concealed as losses).
    private var damagedBefore = 0
    private var concealer: PacketLossConcealer
    private var concealedBefore = false
    private var noise = ComfortNoiseGenerator()

    private var legSamples: [Int16] = []
    private var frame: [Int16] = []
    /// Output-rate samples not yet handed out.
    private var pending: [Int16] = []
    private var pendingStart = 0
    private var toOutput: Resampler?
    private var latencyToDrop = 0

    /// The gaps filled so far (SPEC §4 gap map).
    private(set) var gaps: [GapSummary] = []

    init(timeline: CallTimeline, legRate: Int, outputRate: Int, decoders: AudioDecoderFactory) {
        self.timeline = timeline
        self.legRate = legRate
        self.decoders = decoders
        tolerance = legRate * 2 / 1000
        concealLimit = Int(timeline.options.concealmentLimit * Int64(legRate) / 1_000_000_000)
        concealer = PacketLossConcealer(sampleRate: legRate)
        if legRate != outputRate {
            let resampler = Resampler(from: legRate, to: outputRate)
            latencyToDrop = resampler.latency
            toOutput = resampler
        }
    }

    /// Output samples rendered and not yet taken.
    var available: Int { pending.count - pendingStart }

    mutating func push(_ item: RenderItem) {
        items.push(item)
    }

    /// Renders everything known to lie before leg position `target`; with `final`, also decides any open gap.
    mutating func advance(to target: Int, final: Bool) {
        while true {
            if let top = items.minimum, top.position < target {
                _ = items.popMinimum()
                handle(top)
                continue
            }
            guard cursor < target else { break }
            // Nothing arrives before `target`: [cursor, target) is a gap, or the leg's leading silence.
            if let level = noiseLevel {
                openGap()
                noise.generate(count: target - cursor, level: level, appendingTo: &legSamples)
            } else if let segment = dtxSegment {
                openGap()
                var decoder = takeDecoder(of: segment)
                decoder.comfortNoise(count: target - cursor, appendingTo: &legSamples)
                putBack(decoder, of: segment)
            } else if !started {
                legSamples.append(contentsOf: repeatElement(0, count: target - cursor))
            } else {
                openGap()
                // Whether a short hole is a loss to conceal is known only when the next packet comes; wait for
                // it while the hole could still be short. Beyond the limit it is silence either way.
                if !final && !gapSilenced && target - gapStart! <= concealLimit { break }
                gapSilenced = true
                legSamples.append(contentsOf: repeatElement(0, count: target - cursor))
            }
            cursor = target
        }
        emit(final: final)
    }

    /// Moves up to `count` output samples to `output` (fewer when fewer are ready); returns how many are left.
    mutating func take(_ count: Int, into output: inout [Int16]) -> Int {
        let n = min(count, available)
        output.append(contentsOf: pending[pendingStart..<(pendingStart + n)])
        pendingStart += n
        if pendingStart > 65_536 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        return available
    }

    private mutating func openGap() {
        if gapStart == nil { gapStart = cursor }
    }

    private mutating func handle(_ item: RenderItem) {
        switch item.kind {
        case .comfortNoise(let level):
            noiseLevel = level
        case .event:
            noiseLevel = nil
            dtxSegment = nil
        case .audio(let segment, let payload, let lostBefore):
            var decoder = takeDecoder(of: segment)
            let frames = decoder.frames(of: payload)
            // A segment decoded at another rate than the leg's comes out of its resampler `latency` samples late:
            // placed that much earlier, its audio lands on its own time (the resampler's warm-up falls before
            // the cursor and is cut below).
            let position = item.position - decoder.latency
            putBack(decoder, of: segment)
            if position > cursor {
                fill(until: position, lostBefore: lostBefore, segment: segment, next: frames?.first)
            }
            frame.removeAll(keepingCapacity: true)
            decoder = takeDecoder(of: segment)
            let decoded = decoder.decode(payload, frames: frames, appendingTo: &frame)
            let inComfortNoise = decoder.inComfortNoise
            putBack(decoder, of: segment)
            guard decoded else {
                // Arrived, but nothing in it can be decoded: its time is filled as a loss when the next one comes.
                damagedBefore += 1
                return
            }
            damagedBefore = 0
            if position < cursor {
                // Overlap (drift correction, or a segment starting before the previous one ended): the audio
                // already written wins.
                frame.removeFirst(min(cursor - position, frame.count))
            }
            if concealedBefore {
                concealer.resume(&frame)
                concealedBefore = false
            } else {
                frame.withUnsafeBufferPointer { concealer.record($0) }
            }
            legSamples.append(contentsOf: frame)
            cursor += frame.count
            if let last = frame.last { lastSample = last }
            started = true
            gapStart = nil
            gapSilenced = false
            noiseLevel = nil
            lastSegment = segment
            dtxSegment = inComfortNoise ? segment : nil
        }
    }

    /// Takes the decoder of `segment` out (made when the segment's first packet comes); give it back with
    /// ``putBack(_:of:)``. Taken out, not borrowed in a closure: its output goes to this renderer's buffers.
    private mutating func takeDecoder(of segment: Int) -> SegmentDecoder {
        if let current = active {
            active = nil
            if current.segment == segment { return current.decoder }
            parked[current.segment] = current.decoder
        }
        return parked.removeValue(forKey: segment)
            ?? SegmentDecoder(codec: timeline.segments[segment].codec, legRate: legRate, factory: decoders)
    }

    private mutating func putBack(_ decoder: SegmentDecoder, of segment: Int) {
        active = (segment, decoder)
    }

    private mutating func fill(until position: Int, lostBefore: Int, segment: Int, next: CodecFrame?) {
        let length = position - cursor
        if !started {
            legSamples.append(contentsOf: repeatElement(0, count: length))
            cursor = position
            return
        }
        let lost = lostBefore + damagedBefore
        if gapStart == nil && length <= tolerance && lost == 0 {
            // A step of a sample or two from drift correction: hold the last value rather than click.
            legSamples.append(contentsOf: repeatElement(lastSample, count: length))
            cursor = position
            return
        }
        let start = gapStart ?? cursor
        let total = position - start
        let kind: GapKind
        if let level = noiseLevel {
            kind = .comfortNoise
            noise.generate(count: length, level: level, appendingTo: &legSamples)
        } else if let dtx = dtxSegment {
            // The sender's codec is in its DTX period: the codec's comfort noise, however long the pause.
            kind = .comfortNoise
            var decoder = takeDecoder(of: dtx)
            decoder.comfortNoise(count: length, appendingTo: &legSamples)
            putBack(decoder, of: dtx)
        } else if (lost > 0 || segment != lastSegment) && total <= concealLimit && !gapSilenced {
            // A short loss, or a short hole where one segment hands over to the next (an SSRC change).
            kind = .concealed
            conceal(length, segment: segment, next: next)
        } else {
            kind = lost > 0 ? .lost : .silence
            legSamples.append(contentsOf: repeatElement(0, count: length))
        }
        gaps.append(
            GapSummary(
                kind: kind,
                startMilliseconds: Double(start) * 1000 / Double(legRate),
                durationMilliseconds: Double(total) * 1000 / Double(legRate),
                lostPackets: lostBefore
            )
        )
        cursor = position
    }

    /// Conceals `length` samples of a loss before a packet of `segment`: with the codec's own concealment when the
    /// loss is inside the segment and the codec has one (`next`, the packet's first frame, carries Opus's in-band
    /// FEC), else with the leg's G.711 Appendix I concealer, which also bridges a hand-over between segments.
    private mutating func conceal(_ length: Int, segment: Int, next: CodecFrame?) {
        if segment == lastSegment {
            var decoder = takeDecoder(of: segment)
            let concealed = decoder.conceal(count: length, next: next, appendingTo: &legSamples)
            putBack(decoder, of: segment)
            if concealed {
                // The codec's audio continues the history the leg's concealer would work from.
                legSamples.withUnsafeBufferPointer {
                    concealer.record(UnsafeBufferPointer(rebasing: $0.suffix(length)))
                }
                return
            }
        }
        concealer.conceal(count: length, appendingTo: &legSamples)
        concealedBefore = true
    }

    /// Moves the leg-rate samples made by `advance` to the output, through the resampler when rates differ.
    ///
    /// Until the end, the last quarter pitch period stays behind: when a loss follows, the concealer
    /// cross-fades the start of the gap into those samples (G.711 Appendix I), which it can only do while they
    /// have not been handed on. The packets decide when this runs, so the result does not depend on it.
    private mutating func emit(final: Bool) {
        let count = final ? legSamples.count : legSamples.count - min(legSamples.count, concealer.maximumTailRewrite)
        guard count > 0 else { return }
        if toOutput != nil {
            let before = pending.count
            // In place: a copy of the resampler would duplicate its history buffer on every packet.
            legSamples.withUnsafeBufferPointer {
                toOutput!.process(UnsafeBufferPointer(rebasing: $0[0..<count]), appendingTo: &pending)
            }
            // The low-pass filter delays its output; dropping its latency keeps the leg aligned.
            if latencyToDrop > 0 {
                let drop = min(latencyToDrop, pending.count - before)
                pending.removeSubrange(before..<(before + drop))
                latencyToDrop -= drop
            }
        } else {
            pending.append(contentsOf: legSamples[0..<count])
        }
        legSamples.removeFirst(count)
    }
}

/// RFC 3389 comfort noise: white noise at the level the CN packet signals, in −dBov (0 dBov being a full-scale
/// sine, RMS 23170). A fixed-seed generator keeps recordings byte-identical from run to run.
struct ComfortNoiseGenerator: Sendable {
    private var state: UInt32 = 0x1234_5678

    mutating func generate(count: Int, level: UInt8, appendingTo output: inout [Int16]) {
        // The level is a whole number of dB: multiply by 10^(-1/20) that many times.
        var rms = 23170.0
        for _ in 0..<min(level, 127) { rms *= 0.891_250_938_133_745_6 }
        // A uniform variable on [-a, a] has RMS a/√3.
        let amplitude = rms * 1.7320508
        for _ in 0..<count {
            state = state &* 1_664_525 &+ 1_013_904_223
            let uniform = Double(Int32(bitPattern: state)) / Double(Int32.max)
            output.append(Int16(clamping: Int((uniform * amplitude).rounded())))
        }
    }
}
