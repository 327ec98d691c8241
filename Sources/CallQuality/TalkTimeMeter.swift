/// Talk time per leg and double talk (both parties talking in the same 10 ms frame) of a call, from the decoded
/// audio of its legs as pass 2 renders it (see ``VoiceActivityDetector`` for what counts as talk).
///
/// Feed each leg's samples at its own rate, in any block sizes; the legs are paired frame by frame from the start
/// of the call, so they should be fed from the same time origin (pass 2 renders both from the call's start).
/// Memory stays within the detectors' 230 ms of undecided frames plus however far one leg is fed ahead of the
/// other.
public struct TalkTimeMeter: Sendable {
    private var detectors: [VoiceActivityDetector]
    private var doubleTalkFrames = 0

    /// A meter for legs at these sample rates (leg A first; one or two legs).
    public init(sampleRates: [Int]) {
        detectors = sampleRates.map { VoiceActivityDetector(sampleRate: $0) }
    }

    /// Takes the next samples of leg `leg` (0 for A, 1 for B); samples of a leg that does not exist are ignored.
    public mutating func append(_ samples: UnsafeBufferPointer<Int16>, leg: Int) {
        guard detectors.indices.contains(leg) else { return }
        detectors[leg].append(samples)
        pair()
    }

    /// Takes the next samples of leg `leg`.
    public mutating func append(_ samples: [Int16], leg: Int) {
        samples.withUnsafeBufferPointer { append($0, leg: leg) }
    }

    /// The end of the call: every open frame is decided; a leg that ended early is silent for the rest.
    public mutating func finish() {
        for index in detectors.indices { detectors[index].finish() }
        pair()
    }

    /// Seconds each leg talked (leg A first).
    public var talkSeconds: [Double] {
        detectors.map { Double($0.talkFrames) / 100 }
    }

    /// Seconds both legs talked at once.
    public var doubleTalkSeconds: Double { Double(doubleTalkFrames) / 100 }

    /// Consumes the frames decided in both legs, pairing them; with one leg, its frames.
    private mutating func pair() {
        guard detectors.count == 2 else {
            for index in detectors.indices {
                while let run = detectors[index].nextRun { detectors[index].dropDecided(run.count) }
            }
            return
        }
        while let a = detectors[0].nextRun, let b = detectors[1].nextRun {
            let count = min(a.count, b.count)
            if a.active && b.active { doubleTalkFrames += count }
            detectors[0].dropDecided(count)
            detectors[1].dropDecided(count)
        }
    }
}
