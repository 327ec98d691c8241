public import Capture

/// Pass 1 evidence (c) and (d) of SPEC §2.4 for one stream: a `TagLengthTally` and a `NoiseLikeAudioDetector`
/// per payload type, fed every packet as it is read; `evidence(payloadType:encodingName:channels:)` judges them
/// once the payload type's codec is resolved. Memory stays bounded whatever the stream's length.
public struct PayloadEncryptionDetector: Sendable {
    private struct Lane: Sendable {
        var tags = TagLengthTally()
        var noise = NoiseLikeAudioDetector()
    }

    private var lanes: [UInt8: Lane] = [:]
    /// Payload types followed per stream; a stream with more is not audio anyway.
    static let laneLimit = 8

    public init() {}

    /// Notes one RTP packet of the stream, in arrival order.
    public mutating func add(_ packet: MediaPacket) {
        add(
            payloadType: packet.payloadType,
            sequenceNumber: packet.sequenceNumber,
            timestamp: packet.timestamp,
            payload: packet.payload
        )
    }

    /// Notes one RTP packet of the stream, in arrival order.
    public mutating func add(
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        payload: some Collection<UInt8>
    ) {
        guard lanes[payloadType] != nil || lanes.count < Self.laneLimit else { return }
        lanes[payloadType, default: Lane()].tags.add(
            sequenceNumber: sequenceNumber,
            timestamp: timestamp,
            payloadLength: payload.count
        )
        lanes[payloadType]!.noise.add(sequenceNumber: sequenceNumber, payload: payload)
    }

    /// The tally (c) and noise detector (d) of a payload type, for figures and diagnostics.
    public func detectors(payloadType: UInt8) -> (tags: TagLengthTally, noise: NoiseLikeAudioDetector)? {
        lanes[payloadType].map { ($0.tags, $0.noise) }
    }

    /// What the payloads of `payloadType` say, once its codec is known: (c) for fixed-rate codecs, (d) for G.711.
    public func evidence(payloadType: UInt8, encodingName: String, channels: Int = 1) -> [EncryptionEvidence] {
        guard let lane = lanes[payloadType] else { return [] }
        var evidence: [EncryptionEvidence] = []
        if let format = FixedRateFormat(encodingName: encodingName, channels: channels),
            let finding = lane.tags.finding(format: format)
        {
            evidence.append(.authenticationTag(finding))
        }
        if let law = G711Law(encodingName: encodingName), let finding = lane.noise.finding(law: law) {
            evidence.append(.noiseLikeAudio(finding))
        }
        return evidence
    }

    /// (a) for a stream: the SDP sections that announced its source or destination, as the timeline matched them.
    public static func evidence(announcedBy media: [SDPMediaSecurity?]) -> [EncryptionEvidence] {
        var seen = Set<SDPMediaSecurity>()
        return media.compactMap { $0 }.filter { seen.insert($0).inserted }.map(EncryptionEvidence.signalled)
    }
}
