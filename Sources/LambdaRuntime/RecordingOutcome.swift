/// What a recording produced, for the answer and the metrics.
public struct RecordingOutcome: Sendable, Equatable {
    public var outputBucket: String
    /// Keys written, recording first.
    public var outputKeys: [String]
    /// Length of the recording.
    public var audioSeconds: Double
    /// Time spent transcoding (parse to encoded bytes), in milliseconds.
    public var transcodeMilliseconds: Double
    public var inputBytes: Int64
    public var outputBytes: Int64
    /// Packets lost over packets expected, over all legs, 0…100.
    public var packetLossPercent: Double
    /// The lowest of the legs' MOS (ITU-T G.107 E-model, SPEC §6.6); nil when no leg was scored.
    public var lowestLegMOS: Double?

    public init(
        outputBucket: String,
        outputKeys: [String],
        audioSeconds: Double,
        transcodeMilliseconds: Double,
        inputBytes: Int64,
        outputBytes: Int64,
        packetLossPercent: Double,
        lowestLegMOS: Double? = nil
    ) {
        self.outputBucket = outputBucket
        self.outputKeys = outputKeys
        self.audioSeconds = audioSeconds
        self.transcodeMilliseconds = transcodeMilliseconds
        self.inputBytes = inputBytes
        self.outputBytes = outputBytes
        self.packetLossPercent = packetLossPercent
        self.lowestLegMOS = lowestLegMOS
    }

    /// Seconds of audio per second of transcoding (higher is faster); 0 when no time was measured.
    public var realtimeFactor: Double {
        transcodeMilliseconds > 0 ? audioSeconds * 1000 / transcodeMilliseconds : 0
    }
}
