/// A streaming sample-rate converter between 8000 and 16000 Hz for 16-bit mono audio, by 2 up or down
/// with a 121-tap linear-phase low-pass FIR (Kaiser-windowed sinc, see ``ResamplerFilter``), polyphase.
///
/// Quality (checked by a sine-sweep test): passband flat within ±0.01 dB up to 3.4 kHz; everything above
/// 4 kHz — the images of an 8 kHz signal when going up, the would-be aliases when going down — at least
/// 65 dB down. Tones between 3.4 and 4 kHz fall in the transition band (the telephone band ends at 3.4 kHz).
///
/// ## Delay
/// The filter delays the signal by ``groupDelay`` output samples: 60 at 16 kHz going up, 30 at 8 kHz going
/// down (3.75 ms both ways). With `compensatesLatency: true` the resampler drops that many samples at the
/// start and ``flush(appendingTo:)`` supplies the end, so output sample n is input time n (``latency`` is
/// then 0) and, going up, exactly twice as many samples come out as went in.
///
/// Feed it block by block: it keeps the filter's history between calls. Per call the work is a multiply-add
/// loop over 16-bit samples and coefficients with no allocation beyond the output's growth.
public struct Resampler: Sendable {
    /// Input and output sample rates.
    public let inputRate: Int
    public let outputRate: Int
    /// The filter's group delay in output samples (60 going up, 30 going down, 0 when the rates are equal).
    public let groupDelay: Int
    /// The delay of this resampler's output relative to its input, in output samples: ``groupDelay``, or 0
    /// when the resampler compensates it.
    public var latency: Int { compensatesLatency ? 0 : groupDelay }
    /// Whether the start-up delay is dropped and the tail supplied by ``flush(appendingTo:)``.
    public let compensatesLatency: Bool

    enum Direction: Sendable { case same, up, down }
    let direction: Direction
    /// Input not yet consumed, preceded by the filter history (zeros at the start).
    var pending: [Int16]
    /// Output samples still to drop for latency compensation.
    var toDiscard: Int

    /// Whether a conversion is supported: equal rates, 8000→16000 and 16000→8000.
    public static func supports(from inputRate: Int, to outputRate: Int) -> Bool {
        inputRate == outputRate || (inputRate == 8000 && outputRate == 16000)
            || (inputRate == 16000 && outputRate == 8000)
    }

    /// A resampler from `inputRate` to `outputRate` (see ``supports(from:to:)``; others trap).
    public init(from inputRate: Int, to outputRate: Int, compensatesLatency: Bool = false) {
        precondition(Self.supports(from: inputRate, to: outputRate), "Resampler: \(inputRate)→\(outputRate) Hz")
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.compensatesLatency = compensatesLatency
        if inputRate == outputRate {
            direction = .same
            groupDelay = 0
            pending = []
        } else if outputRate > inputRate {
            direction = .up
            groupDelay = ResamplerFilter.delay
            pending = [Int16](repeating: 0, count: ResamplerFilter.phaseLength - 1)
        } else {
            direction = .down
            groupDelay = ResamplerFilter.delay / 2
            pending = [Int16](repeating: 0, count: ResamplerFilter.paddedLength - 1)
        }
        toDiscard = compensatesLatency ? groupDelay : 0
    }

    /// Returns to the initial state (empty history).
    public mutating func reset() {
        self = Resampler(from: inputRate, to: outputRate, compensatesLatency: compensatesLatency)
    }

    /// Converts a block of input and appends the output it completes to `output`.
    public mutating func process(_ input: UnsafeBufferPointer<Int16>, appendingTo output: inout [Int16]) {
        guard !input.isEmpty else { return }
        switch direction {
        case .same:
            output.append(contentsOf: input)
        case .up:
            pending.append(contentsOf: input)
            upsample(appendingTo: &output)
        case .down:
            pending.append(contentsOf: input)
            downsample(appendingTo: &output)
        }
    }

    /// Converts a block of input into a new array.
    public mutating func process(_ input: [Int16]) -> [Int16] {
        var output: [Int16] = []
        input.withUnsafeBufferPointer { process($0, appendingTo: &output) }
        return output
    }

    /// Appends the end of the signal still inside the filter (the last ``groupDelay`` output samples), as
    /// if the input continued with silence. Call once at the end of a leg; then ``reset()`` to reuse.
    public mutating func flush(appendingTo output: inout [Int16]) {
        let silence = [Int16](repeating: 0, count: direction == .up ? groupDelay / 2 : groupDelay * 2)
        silence.withUnsafeBufferPointer { process($0, appendingTo: &output) }
    }

    mutating func upsample(appendingTo output: inout [Int16]) {
        let taps = ResamplerFilter.phaseLength
        let windows = pending.count - taps + 1
        guard windows > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: windows * 2))
        pending.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                ResamplerFilter.upPhases.withUnsafeBufferPointer { phases in
                    // The tap count is the constant here, not the captured `taps`, so that the dot products unroll.
                    let x = input.baseAddress!
                    let even = phases.baseAddress!
                    let odd = even + ResamplerFilter.phaseLength
                    let y = out.baseAddress! + start
                    for window in 0..<windows {
                        let w = x + window
                        y[2 &* window] = ResamplerFilter.dot(even, w, ResamplerFilter.phaseLength)
                        y[2 &* window &+ 1] = ResamplerFilter.dot(odd, w, ResamplerFilter.phaseLength)
                    }
                }
            }
        }
        pending.removeFirst(windows)
        discardStart(of: &output, from: start)
    }

    mutating func downsample(appendingTo output: inout [Int16]) {
        let taps = ResamplerFilter.paddedLength
        guard pending.count >= taps else { return }
        let windows = (pending.count - taps) / 2 + 1
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: windows))
        pending.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                ResamplerFilter.downTaps.withUnsafeBufferPointer { coefficients in
                    let x = input.baseAddress!
                    let h = coefficients.baseAddress!
                    let y = out.baseAddress! + start
                    for window in 0..<windows {
                        y[window] = ResamplerFilter.dot(h, x + 2 &* window, ResamplerFilter.paddedLength)
                    }
                }
            }
        }
        pending.removeFirst(windows * 2)
        discardStart(of: &output, from: start)
    }

    /// Drops the first output samples while compensating the start-up delay.
    mutating func discardStart(of output: inout [Int16], from start: Int) {
        guard toDiscard > 0 else { return }
        let drop = min(toDiscard, output.count - start)
        output.removeSubrange(start..<(start + drop))
        toDiscard -= drop
    }
}
