/// Packet loss concealment by waveform substitution, after ITU-T G.711 Appendix I, for one call leg at 8 kHz,
/// 16 kHz or any rate up to 48 kHz (the Appendix's constants scaled by the rate).
///
/// The timeline drives it per leg:
/// 1. ``record(_:)`` every block of good audio as it is produced (the concealer keeps the last 48.75 ms);
/// 2. on a loss, ``conceal(count:appendingTo:)`` appends the substitute audio (call it once per gap, or
///    several times for consecutive pieces of the same gap);
/// 3. when audio resumes, pass the first good block through ``resume(_:)``: it cross-fades from the
///    substitute into the real signal and records the block (do not also ``record(_:)`` it).
///
/// The substitute repeats the last pitch period found in the history (normalized cross-correlation search
/// between 66.7 Hz and 200 Hz, as in G.711 Appendix I), widened to two and then three periods after 10 and
/// 20 ms to avoid a buzzy sound, with 1/4-period overlap-adds at every seam. The first 10 ms
/// are at full level, then the level falls linearly by 20 % per 10 ms, reaching silence at 60 ms; longer
/// gaps continue in silence. At the end of the gap the real signal is cross-faded in over a quarter period
/// plus 4 ms per extra 10 ms of loss (at most 10 ms).
///
/// Appendix I delays its output by 3.75 ms so that it can rewrite the last quarter period before the gap.
/// We add no delay: when the samples at the end of the `output` array given to ``conceal(count:appendingTo:)``
/// are the last recorded ones (the usual case: the leg buffer itself), that quarter period is rewritten in
/// place; otherwise the substitute starts directly, which is still continuous for periodic signals.
public struct PacketLossConcealer: Sendable {
    /// Sample rate, in Hz.
    public let sampleRate: Int

    // Appendix I constants at 8 kHz, scaled by `sampleRate / 8000`.
    /// Shortest pitch period searched (5 ms, 200 Hz).
    let pitchMin: Int
    /// Longest pitch period searched (15 ms, 66.7 Hz).
    let pitchMax: Int
    /// Correlation window of the pitch search (20 ms).
    let correlationLength: Int
    /// Samples kept: three longest periods plus a quarter of one (48.75 ms).
    let historyLength: Int
    /// One concealment frame (10 ms): the unit of attenuation and pitch-buffer growth.
    let frameLength: Int
    /// Lengthening of the final cross-fade per extra frame of loss (4 ms).
    let endOverlapIncrement: Int
    /// Minimum energy in the pitch search normalization, against division by silence.
    let minimumPower: Float

    /// The last `historyLength` recorded samples, oldest first.
    var history: [Int16]

    // Concealment state (valid while `concealedCount > 0`).
    /// Samples concealed so far in the current gap.
    var concealedCount = 0
    /// Pitch period P in samples.
    var pitch = 0
    /// Overlap length, P / 4.
    var overlap = 0
    /// The history as floating point, its last quarter period cross-faded for a seamless loop.
    var pitchBuffer: [Float] = []
    /// The last quarter period of real signal before the gap (Appendix I `lastq`).
    var lastQuarter: [Float] = []
    /// Length of the looped segment at the end of `pitchBuffer`: P, 2P or 3P.
    var loopLength = 0
    /// Read position inside the looped segment.
    var loopOffset = 0
    /// At a pitch-buffer widening, the continuation of the previous loop, faded out over `overlap`.
    var seamTail: [Float] = []

    /// A concealer for one leg at `sampleRate`, 8000 to 48000 Hz (the rates a leg is rendered at: 8 and 16 kHz
    /// for telephony, up to 48 kHz for Opus or L16 recorded at a higher rate). Rates outside are clamped to that
    /// range for the constants, which only changes how well a period is found, never the output's length.
    public init(sampleRate: Int) {
        self.sampleRate = sampleRate
        // Appendix I's durations in samples: 5 ms, 15 ms, 20 ms, 10 ms and 4 ms; at 8 and 16 kHz exactly the
        // constants of the Appendix (40, 120, 160, 80, 32) and their doubles.
        let rate = min(max(sampleRate, 8000), 48000)
        pitchMin = rate / 200
        pitchMax = rate * 15 / 1000
        correlationLength = rate / 50
        historyLength = 3 * pitchMax + pitchMax / 4
        frameLength = rate / 100
        endOverlapIncrement = rate * 4 / 1000
        minimumPower = 250 * Float(rate) / 8000
        history = [Int16](repeating: 0, count: historyLength)
    }

    /// Whether a gap is being concealed (``conceal(count:appendingTo:)`` was called since the last good
    /// audio).
    public var isConcealing: Bool { concealedCount > 0 }

    /// The most samples at the end of the output that ``conceal(count:appendingTo:)`` may rewrite when a gap
    /// starts (a quarter of the longest pitch period): a caller streaming its output holds that many back.
    public var maximumTailRewrite: Int { pitchMax / 4 }

    /// Milliseconds after which the substitute is silent.
    public static let silenceAfterMilliseconds = 60

    /// Forgets the history and any gap in progress.
    public mutating func reset() {
        self = PacketLossConcealer(sampleRate: sampleRate)
    }

    /// Records good audio. If a gap was being concealed, it ends without a cross-fade (use ``resume(_:)``
    /// for a smooth join).
    public mutating func record(_ samples: UnsafeBufferPointer<Int16>) {
        concealedCount = 0
        guard !samples.isEmpty else { return }
        if samples.count >= historyLength {
            history = Array(samples[(samples.count - historyLength)...])
        } else {
            history.removeFirst(samples.count)
            history.append(contentsOf: samples)
        }
    }

    /// Records good audio (see ``record(_:)-(UnsafeBufferPointer<Int16>)``).
    public mutating func record(_ samples: [Int16]) {
        samples.withUnsafeBufferPointer { record($0) }
    }

    /// Appends `count` samples of substitute audio for lost packets to `output`.
    ///
    /// When `output` ends with the last recorded samples, its last quarter pitch period is cross-faded in
    /// place for a seamless start (the Appendix I overlap-add at the start of the gap).
    public mutating func conceal(count: Int, appendingTo output: inout [Int16]) {
        guard count > 0 else { return }
        if concealedCount == 0 { startGap(rewritingTailOf: &output) }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        var produced = 0
        while produced < count {
            let frame = concealedCount / frameLength
            let positionInFrame = concealedCount % frameLength
            if positionInFrame == 0 && (frame == 1 || frame == 2) { widenLoop() }
            let chunk = min(count - produced, frameLength - positionInFrame)
            if frame >= Self.silenceAfterMilliseconds / 10 {
                // Beyond 60 ms: silence (already zero-filled); keep counting for the final cross-fade.
                concealedCount += chunk
                produced += chunk
                continue
            }
            for index in 0..<chunk {
                var value = nextLoopSample()
                let sinceFrameStart = positionInFrame + index
                if (frame == 1 || frame == 2) && sinceFrameStart < seamTail.count {
                    // Seam between the old and the widened loop: fade the old continuation out.
                    let weight = Float(sinceFrameStart + 1) / Float(seamTail.count + 1)
                    value = seamTail[sinceFrameStart] * (1 - weight) + value * weight
                }
                value *= gain(at: concealedCount)
                output[start + produced + index] = Self.clamp(value)
                concealedCount += 1
            }
            produced += chunk
        }
    }

    /// Cross-fades the first samples of good audio after a gap from the substitute signal, then records
    /// them. Without a gap in progress it only records.
    public mutating func resume(_ samples: UnsafeMutableBufferPointer<Int16>) {
        if concealedCount > 0 && !samples.isEmpty {
            let framesLost = (concealedCount + frameLength - 1) / frameLength
            let length = min(overlap + (framesLost - 1) * endOverlapIncrement, frameLength, samples.count)
            for index in 0..<length {
                // The substitute continues (with its attenuation) under the fade-in of the real signal.
                let synthetic = nextLoopSample() * gain(at: concealedCount)
                concealedCount += 1
                let weight = Float(index + 1) / Float(length + 1)
                samples[index] = Self.clamp(synthetic * (1 - weight) + Float(samples[index]) * weight)
            }
        }
        record(UnsafeBufferPointer(samples))
    }

    /// Cross-fades the first samples of good audio after a gap, then records them (see
    /// ``resume(_:)-(UnsafeMutableBufferPointer<Int16>)``).
    public mutating func resume(_ samples: inout [Int16]) {
        samples.withUnsafeMutableBufferPointer { resume($0) }
    }

    /// The level of the substitute at `position` samples into the gap: 1 for the first 10 ms, then 20 %
    /// less per 10 ms, 0 from 60 ms on (Appendix I).
    func gain(at position: Int) -> Float {
        let frames = Float(position) / Float(frameLength)
        return min(1, max(0, 1 - 0.2 * (frames - 1)))
    }

    /// Sets up the substitution at the start of a gap: pitch search and the first loop.
    mutating func startGap(rewritingTailOf output: inout [Int16]) {
        pitchBuffer = history.map { Float($0) }
        pitch = findPitch()
        overlap = pitch / 4
        let end = pitchBuffer.count
        lastQuarter = Array(pitchBuffer[(end - overlap)...])
        loopLength = pitch
        loopOffset = 0
        seamTail = []
        crossFadeLoopEnd()
        // Rewrite the last quarter period already output, when it is the recorded audio.
        if output.count >= overlap && overlap > 0 {
            let tailStart = output.count - overlap
            let matches = (0..<overlap).allSatisfy { output[tailStart + $0] == history[end - overlap + $0] }
            if matches {
                for index in 0..<overlap {
                    output[tailStart + index] = Self.clamp(pitchBuffer[end - overlap + index])
                }
            }
        }
    }

    /// Cross-fades the last quarter period of real signal into the signal one loop length earlier, so the
    /// loop wraps from its end to its start without a step.
    mutating func crossFadeLoopEnd() {
        let end = pitchBuffer.count
        for index in 0..<overlap {
            let weight = Float(index + 1) / Float(overlap + 1)
            let earlier = pitchBuffer[end - loopLength - overlap + index]
            pitchBuffer[end - overlap + index] = lastQuarter[index] * (1 - weight) + earlier * weight
        }
    }

    /// Widens the loop by one period at 10 and 20 ms; the old loop's continuation is kept in
    /// `seamTail` for the cross-fade.
    mutating func widenLoop() {
        let savedOffset = loopOffset
        seamTail = (0..<overlap).map { _ in nextLoopSample() }
        loopOffset = savedOffset
        while loopOffset >= pitch { loopOffset -= pitch }
        loopLength += pitch
        crossFadeLoopEnd()
    }

    /// The next sample of the looped segment.
    mutating func nextLoopSample() -> Float {
        let value = pitchBuffer[pitchBuffer.count - loopLength + loopOffset]
        loopOffset += 1
        if loopOffset == loopLength { loopOffset = 0 }
        return value
    }

    /// The pitch period: the lag between `pitchMin` and `pitchMax` that maximizes the normalized
    /// cross-correlation of the last 20 ms with the history that lag earlier (Appendix I; we search
    /// every lag at full resolution instead of the coarse-then-fine search).
    func findPitch() -> Int {
        let end = pitchBuffer.count
        let recentStart = end - correlationLength
        var bestLag = pitchMax
        var bestScore = -Float.infinity
        pitchBuffer.withUnsafeBufferPointer { buffer in
            for lag in stride(from: pitchMax, through: pitchMin, by: -1) {
                var correlation: Float = 0
                var energy: Float = 0
                for index in 0..<correlationLength {
                    let earlier = buffer[recentStart - lag + index]
                    correlation += buffer[recentStart + index] * earlier
                    energy += earlier * earlier
                }
                let score = correlation / max(energy, minimumPower).squareRoot()
                // Ties go to the shorter period, as in Appendix I.
                if score >= bestScore {
                    bestScore = score
                    bestLag = lag
                }
            }
        }
        return bestLag
    }

    static func clamp(_ value: Float) -> Int16 {
        let rounded = (value + (value < 0 ? -0.5 : 0.5))
        return Int16(max(-32768, min(32767, rounded)))
    }
}
