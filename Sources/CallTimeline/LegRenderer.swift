import AudioCodecs

/// Executes one leg's render plan: decodes each packet at its planned position, fills gaps in the PCM domain
/// (concealment, silence, comfort noise; never codec bytes, SPEC §3.5), absorbs the one-sample steps that
/// drift correction makes, and resamples to the call's rate.
struct LegRenderer: Sendable {
    private let timeline: CallTimeline
    private let plan: [PlanItem]
    private let legRate: Int
    private var next = 0
    /// Samples produced at the leg rate so far (the position of the next sample).
    private var cursor = 0
    private var fill: (kind: GapKind, level: UInt8)?

    private var currentSegment = -1
    private var g722: G722Decoder?
    private var upsampler: Resampler?
    private var concealer: PacketLossConcealer
    private var concealedBefore = false
    private var noise = ComfortNoiseGenerator()

    /// Leg-rate samples ready for output or resampling.
    private var legSamples: [Int16] = []
    private var frame: [Int16] = []
    /// Output-rate samples not yet handed out.
    private var pending: [Int16] = []
    private var pendingStart = 0
    private var toOutput: Resampler?
    private var latencyToDrop = 0

    init(timeline: CallTimeline, leg: Leg, outputRate: Int) {
        self.timeline = timeline
        plan = leg.plan
        legRate = leg.sampleRate
        concealer = PacketLossConcealer(sampleRate: leg.sampleRate)
        if leg.sampleRate != outputRate {
            let resampler = Resampler(from: leg.sampleRate, to: outputRate)
            latencyToDrop = resampler.latency
            toOutput = resampler
        }
    }

    /// Appends exactly `count` output-rate samples to `output`.
    mutating func produce(_ count: Int, into output: inout [Int16]) {
        while pending.count - pendingStart < count {
            legSamples.removeAll(keepingCapacity: true)
            step()
            if var resampler = toOutput {
                let before = pending.count
                legSamples.withUnsafeBufferPointer { resampler.process($0, appendingTo: &pending) }
                toOutput = resampler
                // The low-pass filter delays its output; dropping its latency keeps the leg aligned.
                if latencyToDrop > 0 {
                    let drop = min(latencyToDrop, pending.count - before)
                    pending.removeSubrange(before..<(before + drop))
                    latencyToDrop -= drop
                }
            } else {
                pending.append(contentsOf: legSamples)
            }
        }
        output.append(contentsOf: pending[pendingStart..<(pendingStart + count)])
        pendingStart += count
        if pendingStart > 65_536 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
    }

    /// Produces the next piece of the leg at the leg rate into `legSamples`: one packet (with the fill before
    /// it), or 20 ms of silence once the plan is done.
    private mutating func step() {
        while next < plan.count {
            let item = plan[next]
            next += 1
            switch item {
            case .gap(let kind, _, _, let level):
                fill = (kind, level)
            case .audio(let segment, let record, let position):
                decode(segment: segment, record: record)
                if position > cursor {
                    fillGap(position - cursor)
                } else if position < cursor {
                    // Overlap (drift correction, or a segment starting before the previous one ended):
                    // the earlier audio wins.
                    let drop = min(cursor - position, frame.count)
                    frame.removeFirst(drop)
                }
                if concealedBefore {
                    concealer.resume(&frame)
                    concealedBefore = false
                }
                frame.withUnsafeBufferPointer { concealer.record($0) }
                legSamples.append(contentsOf: frame)
                cursor += frame.count
                fill = nil
                if !legSamples.isEmpty { return }
            }
        }
        let silence = legRate / 50
        legSamples.append(contentsOf: repeatElement(0, count: silence))
        cursor += silence
    }

    private mutating func fillGap(_ length: Int) {
        guard let fill else {
            // A step of a sample or two from drift correction: hold the last value rather than click.
            let last = legSamples.last ?? 0
            legSamples.append(contentsOf: repeatElement(last, count: length))
            cursor += length
            return
        }
        switch fill.kind {
        case .concealed:
            concealer.conceal(count: length, appendingTo: &legSamples)
            concealedBefore = true
        case .lost:
            // Conceal the start of a long loss (the concealer fades out by itself), then silence.
            let concealed = min(length, legRate * 60 / 1000)
            concealer.conceal(count: concealed, appendingTo: &legSamples)
            legSamples.append(contentsOf: repeatElement(0, count: length - concealed))
            if fill.kind == .lost { g722?.reset() }
        case .silence:
            legSamples.append(contentsOf: repeatElement(0, count: length))
        case .comfortNoise:
            noise.generate(count: length, level: fill.level, appendingTo: &legSamples)
        }
        cursor += length
    }

    private mutating func decode(segment index: Int, record recordIndex: Int) {
        // Only the codec and the stream index are read from the segment, and the payload is read in place: a
        // `let` copy of the whole PlacedSegment and AnalyzedStream costs a retain and release of each of their
        // arrays per packet (callgrind, 5-min G.711 call: 50.9 M → 36.7 M instructions in this function).
        let codec = timeline.segments[index].codec
        let streamIndex = timeline.segments[index].stream
        if index != currentSegment {
            currentSegment = index
            // A new segment is a new sender state: start its decoder afresh.
            g722 = codec == .g722 ? G722Decoder() : nil
            upsampler = codec.sampleRate < legRate ? Resampler(from: codec.sampleRate, to: legRate) : nil
        }
        let payload = timeline.streams[streamIndex].recording.payload(
            of: timeline.streams[streamIndex].sorted[recordIndex]
        )
        frame.removeAll(keepingCapacity: true)
        payload.withUnsafeBytes { bytes in
            switch codec {
            case .pcmu: G711.decodeMuLaw(bytes, appendingTo: &frame)
            case .pcma: G711.decodeALaw(bytes, appendingTo: &frame)
            case .g722: g722!.decode(bytes, appendingTo: &frame)
            default: break
            }
        }
        if var resampler = upsampler {
            let input = frame
            frame.removeAll(keepingCapacity: true)
            input.withUnsafeBufferPointer { resampler.process($0, appendingTo: &frame) }
            upsampler = resampler
        }
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
