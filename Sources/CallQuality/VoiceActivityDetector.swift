/// Tells, for each 10 ms frame of one leg's decoded audio, whether its party was talking: an energy detector with
/// an adaptive noise floor and a hangover, simple enough to run on every sample of an hour-long call for the cost
/// of one multiply-add per sample.
///
/// A frame is active when its mean power is at least 10 dB above the noise floor and above −50 dBFS. The noise
/// floor is the least frame power of the last second or so (minimum statistics: four 250 ms windows; −60 dBFS at
/// most before the first second), so steady
/// background noise or comfort noise stops counting as talk within a second of starting, while the pauses of
/// running speech keep the floor low. Decisions are then smoothed as a talker is heard: a pause of at most 200 ms
/// between active frames is bridged (the gaps between words are talk), and a burst shorter than 30 ms with no
/// other activity within 200 ms (a click) is not talk.
///
/// Decided frames are handed out, as runs, with a delay of at most 230 ms (the hangover) through ``nextRun`` and
/// ``dropDecided(_:)``; ``TalkTimeMeter`` pairs two legs' frames for double talk.
public struct VoiceActivityDetector: Sendable {
    /// Samples per 10 ms frame.
    public let frameLength: Int
    /// Frames decided active so far.
    public private(set) var talkFrames = 0
    /// Frames decided so far.
    public private(set) var decidedFrames = 0

    /// Pauses up to this many frames between active frames are talk (200 ms).
    static let bridgeFrames = 20
    /// Active runs shorter than this, bridged to nothing, are not talk (30 ms).
    static let minimumTalkFrames = 3
    /// Frames per noise-floor window (250 ms); the floor is the least of the last four and the current one.
    static let windowFrames = 25
    /// −50 dBFS as a mean square of 16-bit samples: 32768² · 10^(−5).
    static let absoluteThreshold = 10_737.418_24
    /// 10 dB above the noise floor.
    static let relativeThreshold = 10.0

    // The frame being filled.
    private var frameEnergy: Int64 = 0
    private var frameFill = 0
    // Minimum statistics of the noise floor (mean squares). Until a second of audio has been seen the floor is at
    // most −60 dBFS, so that talk from the first frame on is not taken for the floor.
    private var windowMinima: [Double] = [absoluteThreshold / 10]
    private var currentMinimum = Double.infinity
    private var windowFill = 0
    // The talk segment not yet fully decided: its frames (active and bridged), those already handed out, and the
    // inactive frames since its last active one.
    private var segmentFrames = 0
    private var segmentEmitted = 0
    private var pauseFrames = 0
    // Decided frames not yet taken, as runs.
    private var runs: [(active: Bool, count: Int)] = []
    private var runsStart = 0

    /// A detector for audio at `sampleRate` Hz.
    public init(sampleRate: Int) {
        frameLength = max(1, (sampleRate + 50) / 100)
    }

    /// Takes the next samples of the leg.
    public mutating func append(_ samples: UnsafeBufferPointer<Int16>) {
        var index = 0
        while index < samples.count {
            let end = min(samples.count, index + frameLength - frameFill)
            var energy: Int64 = 0
            var cursor = index
            while cursor < end {
                let value = Int64(samples[cursor])
                energy &+= value &* value
                cursor &+= 1
            }
            frameEnergy &+= energy
            frameFill += end - index
            index = end
            if frameFill == frameLength {
                classify(Double(frameEnergy) / Double(frameLength))
                frameEnergy = 0
                frameFill = 0
            }
        }
    }

    /// Takes the next samples of the leg.
    public mutating func append(_ samples: [Int16]) {
        samples.withUnsafeBufferPointer { append($0) }
    }

    /// Decides every frame still open (a partial last frame, under 10 ms, is dropped).
    public mutating func finish() {
        closeSegment()
    }

    /// The oldest run of decided frames not yet dropped: whether they are talk, and how many.
    public var nextRun: (active: Bool, count: Int)? {
        runsStart < runs.count ? runs[runsStart] : nil
    }

    /// Drops `count` decided frames from the front (at most those of ``nextRun``).
    public mutating func dropDecided(_ count: Int) {
        guard runsStart < runs.count, count > 0 else { return }
        if count >= runs[runsStart].count {
            runsStart += 1
            if runsStart > 64 && runsStart * 2 > runs.count {
                runs.removeFirst(runsStart)
                runsStart = 0
            }
        } else {
            runs[runsStart].count -= count
        }
    }

    private mutating func classify(_ power: Double) {
        currentMinimum = min(currentMinimum, power)
        let floor = windowMinima.reduce(currentMinimum, min)
        windowFill += 1
        if windowFill == Self.windowFrames {
            windowMinima.append(currentMinimum)
            if windowMinima.count > 4 { windowMinima.removeFirst() }
            currentMinimum = .infinity
            windowFill = 0
        }
        let active = power >= Self.absoluteThreshold && power >= floor * Self.relativeThreshold
        if active {
            segmentFrames = segmentFrames == 0 ? 1 : segmentFrames + pauseFrames + 1
            pauseFrames = 0
            if segmentFrames >= Self.minimumTalkFrames {
                emit(active: true, count: segmentFrames - segmentEmitted)
                segmentEmitted = segmentFrames
            }
        } else if segmentFrames > 0 {
            pauseFrames += 1
            if pauseFrames > Self.bridgeFrames { closeSegment() }
        } else {
            emit(active: false, count: 1)
        }
    }

    /// Decides the open segment: talk when long enough, and the pause after it.
    private mutating func closeSegment() {
        if segmentFrames > 0 {
            emit(active: segmentFrames >= Self.minimumTalkFrames, count: segmentFrames - segmentEmitted)
            emit(active: false, count: pauseFrames)
        }
        segmentFrames = 0
        segmentEmitted = 0
        pauseFrames = 0
    }

    private mutating func emit(active: Bool, count: Int) {
        guard count > 0 else { return }
        decidedFrames += count
        if active { talkFrames += count }
        if runsStart < runs.count, runs[runs.count - 1].active == active {
            runs[runs.count - 1].count += count
        } else {
            runs.append((active, count))
        }
    }
}
