public import AudioCodecs

/// A payload cut into the frames its codec's decoder takes, with its duration.
public struct PayloadFrames: Sendable, Hashable {
    /// The frames in order; their ``CodecFrame/sampleCount``s add up to the duration at the decoder's rate.
    public var frames: [CodecFrame]
    /// The duration (in RTP clock ticks) and whether the payload fits its codec.
    public var duration: PayloadDuration

    public init(frames: [CodecFrame], duration: PayloadDuration) {
        self.frames = frames
        self.duration = duration
    }
}
