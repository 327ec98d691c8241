import Capture
public import PayloadFormats

/// Pass 1 over a capture: collects the RTP packets and SIP messages, in capture order, into per-stream
/// statistics and placement evidence (no payloads kept), then builds the calls (SPEC §3): streams → segments →
/// legs → calls, each placed on a common timeline. Pass 2 (`CallRenderer`) reads the packets again to render.
///
/// ```swift
/// var builder = CallTimelineBuilder()
/// for packet in packets { builder.add(packet) }
/// let timeline = builder.build()
/// ```
public struct CallTimelineBuilder: Sendable {
    private var streamIndex: [StreamKey: Int] = [:]
    private var accumulators: [StreamAccumulator] = []
    private var signalling: [SignallingMessage] = []
    private var nonAudio: [String: Int] = [:]
    private var warnings: [String] = []
    /// The SDP mappings seen so far, and the lanes (stream, payload type) waiting for one.
    private var book = PayloadTypeBook()
    private var holdingLanes: [(stream: Int, payloadType: UInt8)] = []
    /// SPEC §2.4 evidence gathered in pass 1, and what SRTP decryption made of each stream.
    var encryption = EncryptionInputs()
    /// Only `lateThreshold`, `reanchorThreshold` and `maximumGap` matter while packets are added; the rest apply in
    /// `build`.
    private let passOneOptions: TimelineOptions

    public init(options: TimelineOptions = TimelineOptions()) {
        passOneOptions = options
    }

    /// Capture times the analysis can add and subtract without overflow: 1970 up to 2^62 ns (year 2116).
    /// Readers give times anywhere in ±292 years (pcapng if_tsoffset, or a conversion saturated at Int64.max);
    /// times outside this window are clamped to it and counted in a warning, so that sums and differences of
    /// two capture times (and their doubles) always fit in an Int64.
    static let arrivalRange: ClosedRange<Int64> = 0...(1 << 62)

    /// `time` moved into `arrivalRange`; both passes clamp through here, so they agree on every time.
    package static func clamp(_ time: Int64) -> Int64 {
        min(max(time, arrivalRange.lowerBound), arrivalRange.upperBound)
    }
    private var clampedArrivals = 0

    /// Adds one RTP packet (from any stream, in capture order).
    public mutating func add(_ packet: MediaPacket) {
        var packet = packet
        if !Self.arrivalRange.contains(packet.arrival) {
            packet.arrival = Self.clamp(packet.arrival)
            clampedArrivals += 1
        }
        let key = StreamKey(source: packet.source, destination: packet.destination, ssrc: packet.ssrc)
        let index: Int
        if let known = streamIndex[key] {
            index = known
        } else {
            index = accumulators.count
            streamIndex[key] = index
            accumulators.append(StreamAccumulator(key: key))
            encryption.detectors.append(PayloadEncryptionDetector())
        }
        encryption.detectors[index].add(packet)
        // At most `maximumHoldingLanes` lanes hold packets at once (memory: 64 × 512 KiB); beyond, a new lane with
        // an unresolved payload type is timed with a guess at once.
        if holdingLanes.count >= Self.maximumHoldingLanes {
            holdingLanes.removeAll { accumulators[$0.stream].lanes[$0.payloadType]?.isHolding != true }
        }
        let startedHolding = accumulators[index].add(
            packet,
            options: passOneOptions,
            book: book,
            mayHold: holdingLanes.count < Self.maximumHoldingLanes
        )
        if startedHolding { holdingLanes.append((index, packet.payloadType)) }
    }

    /// The most lanes that hold their packets while waiting for SDP (see `LaneAccumulator`).
    static let maximumHoldingLanes = 64

    /// Resolves the holding lanes an SDP just named, replaying their packets with their codec.
    private mutating func resolveHoldingLanes() {
        var stillHolding: [(stream: Int, payloadType: UInt8)] = []
        for lane in holdingLanes where accumulators[lane.stream].lanes[lane.payloadType]?.isHolding == true {
            let key = accumulators[lane.stream].key
            guard let codec = book.codec(payloadType: lane.payloadType, stream: key, options: passOneOptions) else {
                stillHolding.append(lane)
                continue
            }
            accumulators[lane.stream].lanes[lane.payloadType]?.resolve(
                codec,
                options: passOneOptions,
                provisional: false
            )
        }
        holdingLanes = stillHolding
    }

    /// Adds one SIP message summary (for payload types, caller and callee, and splitting calls by dialog).
    public mutating func add(_ message: SignallingMessage) {
        var message = message
        if !Self.arrivalRange.contains(message.arrival) {
            message.arrival = Self.clamp(message.arrival)
            clampedArrivals += 1
        }
        signalling.append(message)
        if book.record(message), !holdingLanes.isEmpty { resolveHoldingLanes() }
    }

    /// Counts a UDP payload that is not audio (`rtcp`, `stun`, `dtls`, `zrtp`, `keepAlive`, …).
    public mutating func countNonAudio(_ kind: String) {
        nonAudio[kind, default: 0] += 1
    }

    /// Adds a warning to carry into the report (e.g. from the capture reader).
    public mutating func warn(_ message: String) {
        warnings.append(message)
    }

    /// Builds every call of the capture, with the options given to `init`.
    public func build() -> CallTimeline {
        let options = passOneOptions
        var analysis = TimelineAnalysis(accumulators: accumulators, signalling: signalling, options: options)
        analysis.encryption = encryption
        analysis.run()
        let set = CallSet(
            streams: analysis.summaries,
            calls: analysis.calls,
            warnings: warnings + analysis.warnings
                + (clampedArrivals == 0
                    ? []
                    : ["\(clampedArrivals) packets with capture times outside 1970–2116 were clamped to that range"]),
            nonAudio: nonAudio,
            sipMessages: signalling.count,
            sipDialogs: analysis.dialogs.dialogs.map {
                SIPDialogSummary(
                    callID: $0.callID,
                    caller: $0.callerSignalling,
                    callerMedia: $0.callerMedia.sorted(),
                    calleeMedia: $0.calleeMedia.sorted()
                )
            }
        )
        return CallTimeline(
            summary: set,
            streams: analysis.streams,
            segments: analysis.segments,
            options: options,
            payloadTypesToRelearn: analysis.relearned
        )
    }
}

/// The built timeline: the calls found (`summary`) and what rendering them in pass 2 needs.
public struct CallTimeline: Sendable {
    public let summary: CallSet
    let streams: [AnalyzedStream]
    let segments: [PlacedSegment]
    let options: TimelineOptions
    /// Audio lanes that pass 1 timed with another codec than the one the analysis gave them in the end (a dynamic
    /// payload type named by SDP only after its lane had held its packets as long as it may, or named differently
    /// by the dialog the stream belongs to): their placement and statistics were counted at the wrong RTP clock or
    /// payload format. Empty when every lane was timed right. Otherwise read the capture again with these in
    /// `TimelineOptions.streamPayloadTypes` (``relearningOptions``), which gives each lane its final codec from its
    /// first packet; once is enough (the analysis then keeps them).
    public let payloadTypesToRelearn: [StreamKey: [UInt8: Codec]]

    /// The options for running pass 1 again with what this one learned, or nil when there is no need.
    public var relearningOptions: TimelineOptions? {
        guard !payloadTypesToRelearn.isEmpty else { return nil }
        var options = options
        options.streamPayloadTypes.merge(payloadTypesToRelearn) { old, new in old.merging(new) { _, latest in latest } }
        return options
    }
}

/// A stream after pass 1: its codecs and where its segments start, per payload type.
struct AnalyzedStream: Sendable {
    var key: StreamKey
    var codecs: [UInt8: Codec]
    /// Segment start sequence numbers per payload type (pass 1's boundaries).
    var lanes: [UInt8: [Int64]]
    /// Global segment indices per audio payload type, parallel to `lanes`.
    var laneSegments: [UInt8: [Int]]
    var maxReorderDelay: Int64
    /// The capture records holding the stream's packets: the first's to the last's.
    var packetNumbers: ClosedRange<Int>
    /// RFC 4733 events by start timestamp, in order of first arrival, with the clock rate of their payload type.
    var events: [(timestamp: Int64, event: EventAccumulator, clockRate: Int)]

    /// The global segment index of an audio packet, or nil when its payload type is not audio.
    func segment(payloadType: UInt8, sequence: Int64) -> Int? {
        guard let boundaries = lanes[payloadType], let indices = laneSegments[payloadType] else { return nil }
        var low = 0
        var high = boundaries.count
        while low < high {
            let mid = (low + high) / 2
            if boundaries[mid] <= sequence { low = mid + 1 } else { high = mid }
        }
        return indices[max(0, low - 1)]
    }
}

/// A segment placed on the capture clock: capture time of RTP time t (seconds from the segment's first
/// timestamp) is `anchor + t × (1 + drift)` (SPEC §3.4).
struct PlacedSegment: Sendable {
    var stream: Int
    var codec: Codec
    var payloadType: UInt8
    var startSequence: Int64
    var endSequence: Int64
    var firstTimestamp: Int64
    var lowestTimestamp: Int64
    var highestTimestamp: Int64
    /// The duration in clock ticks of the packet with the highest timestamp (`Depacketizer.duration(of:)`).
    var lastDurationTicks: Int
    var packets: Int
    var anchor: Int64
    var drift: Double
    /// Whether `drift` was measured on this segment (long enough) rather than borrowed.
    var driftMeasured: Bool
    /// The largest delay of a packet above the least-delay line: pass 2 waits this long before a position is
    /// complete.
    var maximumDelay: Int64
    var evidence: SegmentAccumulator
    var reason: SegmentReason

    var clockRate: Int { codec.rtpClockRate }

    /// Capture time (ns since epoch) of RTP timestamp `timestamp` (extended).
    func captureTime(ofTimestamp timestamp: Int64) -> Int64 {
        let seconds = Double(timestamp - firstTimestamp) / Double(clockRate)
        // Saturating: a hostile stream can put RTP time far from its anchor; the result stays an Int64.
        let offset = (seconds * (1 + drift) * 1e9).rounded()
        let (sum, overflow) = anchor.addingReportingOverflow(
            offset >= 0x1p63 ? .max : offset <= -0x1p63 ? .min : Int64(offset)
        )
        return overflow ? (offset > 0 ? .max : .min) : sum
    }

    var start: Int64 { captureTime(ofTimestamp: lowestTimestamp) }

    var end: Int64 { captureTime(ofTimestamp: highestTimestamp &+ Int64(lastDurationTicks)) }

    /// The duration of the segment's last packet, in nanoseconds: its packet interval.
    var lastPacketNanoseconds: Int64 { Int64(lastDurationTicks) * 1_000_000_000 / Int64(max(1, clockRate)) }
}
