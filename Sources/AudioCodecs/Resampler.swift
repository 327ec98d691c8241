/// A streaming sample-rate converter for 16-bit mono audio between any two of the rates a call can carry
/// (``supportedRates``: 8, 11.025, 12, 16, 22.05, 24, 32, 44.1 and 48 kHz), by a rational polyphase
/// low-pass FIR designed for the ratio (see ``ResamplerFilter``).
///
/// Quality (checked per conversion by sine sweeps): flat within ±0.1 dB up to the passband edge (3.4 kHz
/// when the lower rate is 8 kHz, 7 kHz when it is 16 kHz, 0.9 × the lower Nyquist frequency otherwise); the
/// images of the input going up, and going down everything that would alias, at least 65 dB down. Tones
/// between the passband edge and the lower Nyquist frequency fall in the transition band.
///
/// 8000 ↔ 16000 Hz uses the same 121-tap filter and arithmetic as the first version of this type (which did
/// only those two), so recordings made with it come out byte for byte the same.
///
/// ## Delay
/// The filter delays the signal by ``groupDelay`` output samples (60 at 16 kHz going up from 8 kHz, 30 at
/// 8 kHz going down: 3.75 ms both ways; see the table in the README for the others). With
/// `compensatesLatency: true` the resampler starts that much later in the filter's output and
/// ``flush(appendingTo:)`` supplies the end, so output sample n is input time n (``latency`` is then 0) and
/// exactly ⌈n × outputRate / inputRate⌉ samples come out of n.
///
/// Feed it block by block: it keeps the filter's history between calls, and the output does not depend on
/// how the input is cut. Per call the work is a multiply-add loop over 16-bit samples and coefficients with
/// no allocation beyond the output's growth (and the history buffer's, up to the largest block).
public struct Resampler: Sendable {
    /// Input and output sample rates.
    public let inputRate: Int
    public let outputRate: Int
    /// The filter's group delay in output samples (0 when the rates are equal).
    public let groupDelay: Int
    /// The delay of this resampler's output relative to its input, in output samples: ``groupDelay``, or 0
    /// when the resampler compensates it.
    public var latency: Int { compensatesLatency ? 0 : groupDelay }
    /// Whether the start-up delay is skipped and the tail supplied by ``flush(appendingTo:)``.
    public let compensatesLatency: Bool

    /// The filter, or nil when the rates are equal (the samples pass through).
    package let filter: ResamplerFilter?
    /// Input not yet consumed, preceded by the filter history (zeros at the start).
    var pending: [Int16]
    /// The index of `pending[0]` in the input stream (negative while the history is the initial zeros).
    var pendingOrigin: Int
    /// Input samples received (without the silence `flush` adds) and output samples produced.
    var inputCount = 0
    var outputCount = 0
    /// The position of output sample 0 in samples at the filter's design rate: the delay when compensating.
    let firstPosition: Int

    /// The rates between which every conversion is supported: the telephony rates (8, 16 kHz), Opus's (8, 12,
    /// 16, 24, 48 kHz: RFC 6716 §2), Speex ultra-wideband's 32 kHz (RFC 5574), and the CD family that L16's
    /// signalled rates commonly take (RFC 3551 §4.5.11 allows any).
    public static let supportedRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]

    /// Whether a conversion is supported: equal rates, or any two of ``supportedRates``.
    public static func supports(from inputRate: Int, to outputRate: Int) -> Bool {
        inputRate == outputRate || (supportedRates.contains(inputRate) && supportedRates.contains(outputRate))
    }

    /// A resampler from `inputRate` to `outputRate` (see ``supports(from:to:)``; others trap).
    public init(from inputRate: Int, to outputRate: Int, compensatesLatency: Bool = false) {
        precondition(
            Self.supports(from: inputRate, to: outputRate),
            "Resampler: no conversion from \(inputRate) to \(outputRate) Hz (rates: \(Self.supportedRates))"
        )
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.compensatesLatency = compensatesLatency
        if inputRate == outputRate {
            filter = nil
            groupDelay = 0
            pending = []
            pendingOrigin = 0
            firstPosition = 0
        } else {
            let filter = ResamplerFilter(from: inputRate, to: outputRate)
            self.filter = filter
            groupDelay = filter.outputDelay
            pending = [Int16](repeating: 0, count: filter.phaseLength - 1)
            pendingOrigin = 1 - filter.phaseLength
            firstPosition = compensatesLatency ? filter.delay : 0
        }
    }

    /// Returns to the initial state (empty history).
    public mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        inputCount = 0
        outputCount = 0
        guard let filter else { return }
        pending.append(contentsOf: repeatElement(0, count: filter.phaseLength - 1))
        pendingOrigin = 1 - filter.phaseLength
    }

    /// Converts a block of input and appends the output it completes to `output`.
    public mutating func process(_ input: UnsafeBufferPointer<Int16>, appendingTo output: inout [Int16]) {
        guard !input.isEmpty else { return }
        inputCount += input.count
        guard let filter else {
            output.append(contentsOf: input)
            return
        }
        pending.append(contentsOf: input)
        filterPending(filter, limit: .max, appendingTo: &output)
    }

    /// Converts a block of input into a new array.
    public mutating func process(_ input: [Int16]) -> [Int16] {
        var output: [Int16] = []
        input.withUnsafeBufferPointer { process($0, appendingTo: &output) }
        return output
    }

    /// Appends the end of the signal still inside the filter, as if the input continued with silence: the
    /// output then holds every sample before input time n plus the delay (⌈n × L / M⌉ samples in all when
    /// compensating, ``groupDelay`` more when not). Call once at the end of a leg; then ``reset()`` to reuse.
    public mutating func flush(appendingTo output: inout [Int16]) {
        guard let filter else { return }
        let (up, down) = (filter.upFactor, filter.downFactor)
        // Output k sits at design-rate position firstPosition + k·M; the signal ends at input·L + delay.
        let end = inputCount * up + filter.delay
        let total = (end - firstPosition + down - 1) / down
        guard total > outputCount else { return }
        let lastInput = (firstPosition + (total - 1) * down) / up
        let silence = lastInput + 1 - (pendingOrigin + pending.count)
        if silence > 0 { pending.append(contentsOf: repeatElement(0, count: silence)) }
        filterPending(filter, limit: total - outputCount, appendingTo: &output)
    }
}
