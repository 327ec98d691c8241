import Capture

/// Collects the RTP packets and SIP messages of a capture, in capture order, and then builds the calls
/// (SPEC §3): streams → segments → legs → calls, each placed on a common timeline.
///
/// ```swift
/// var builder = CallTimelineBuilder()
/// for packet in packets { builder.add(packet) }
/// let timeline = builder.build(options: TimelineOptions())
/// ```
public struct CallTimelineBuilder: Sendable {
    private var streamIndex: [StreamKey: Int] = [:]
    private var recordings: [StreamRecording] = []
    private var signalling: [SignallingMessage] = []
    private var nonAudio: [String: Int] = [:]
    private var warnings: [String] = []

    public init() {}

    /// Capture times the analysis can add and subtract without overflow: 1970 up to 2^62 ns (year 2116).
    /// Readers give times anywhere in ±292 years (pcapng if_tsoffset, or a conversion saturated at Int64.max);
    /// times outside this window are clamped to it and counted in a warning, so that sums and differences of
    /// two capture times (and their doubles) always fit in an Int64.
    static let arrivalRange: ClosedRange<Int64> = 0...(1 << 62)
    private var clampedArrivals = 0

    /// Adds one RTP packet (from any stream, in capture order).
    public mutating func add(_ packet: MediaPacket) {
        var packet = packet
        if !Self.arrivalRange.contains(packet.arrival) {
            packet.arrival = min(max(packet.arrival, 0), Self.arrivalRange.upperBound)
            clampedArrivals += 1
        }
        let key = StreamKey(source: packet.source, destination: packet.destination, ssrc: packet.ssrc)
        if let index = streamIndex[key] {
            recordings[index].append(packet)
        } else {
            streamIndex[key] = recordings.count
            var recording = StreamRecording(key: key)
            recording.append(packet)
            recordings.append(recording)
        }
    }

    /// Adds one SIP message summary (for payload types, caller and callee, and splitting calls by dialog).
    public mutating func add(_ message: SignallingMessage) {
        var message = message
        if !Self.arrivalRange.contains(message.arrival) {
            message.arrival = min(max(message.arrival, 0), Self.arrivalRange.upperBound)
            clampedArrivals += 1
        }
        signalling.append(message)
    }

    /// Counts a UDP payload that is not audio (`rtcp`, `stun`, `dtls`, `zrtp`, `keep-alive`, …).
    public mutating func countNonAudio(_ kind: String) {
        nonAudio[kind, default: 0] += 1
    }

    /// Adds a warning to carry into the report (e.g. from the capture reader).
    public mutating func warn(_ message: String) {
        warnings.append(message)
    }

    /// The number of RTP streams seen so far.
    public var streamCount: Int { recordings.count }

    /// Builds every call of the capture.
    public func build(options: TimelineOptions = TimelineOptions()) -> CallTimeline {
        var analysis = TimelineAnalysis(
            recordings: recordings,
            signalling: signalling,
            options: options
        )
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
            sipDialogs: SIPDialogs(messages: signalling).dialogs.map {
                SIPDialogSummary(
                    callID: $0.callID,
                    caller: $0.callerSignalling,
                    callerMedia: $0.callerMedia.sorted(),
                    calleeMedia: $0.calleeMedia.sorted()
                )
            }
        )
        return CallTimeline(summary: set, streams: analysis.streams, segments: analysis.segments)
    }
}

/// The built timeline: the calls found (`summary`) and what rendering them needs.
public struct CallTimeline: Sendable {
    public let summary: CallSet
    let streams: [AnalyzedStream]
    let segments: [PlacedSegment]
}

/// A stream after analysis: its unique packets sorted by extended sequence number.
struct AnalyzedStream: Sendable {
    var recording: StreamRecording
    /// Unique packets in extended-sequence order.
    var sorted: [PacketRecord]
    var codecs: [UInt8: Codec]
    /// Sorted extended sequence numbers of every unique packet (all payload types), to tell loss from
    /// packets of another payload type (events, CN) sharing the sequence space.
    var sequences: [Int64]

    func contains(sequence: Int64) -> Bool {
        var low = 0
        var high = sequences.count
        while low < high {
            let mid = (low + high) / 2
            if sequences[mid] < sequence { low = mid + 1 } else { high = mid }
        }
        return low < sequences.count && sequences[low] == sequence
    }
}

/// A segment placed on the capture clock: capture time of RTP time t (seconds from the segment's first
/// timestamp) is `anchor + t × (1 + drift)` (SPEC §3.4).
struct PlacedSegment: Sendable {
    var stream: Int
    var codec: Codec
    var payloadType: UInt8
    /// Indices into the stream's `sorted` records: the audio packets of this segment, in order.
    var records: [Int]
    var firstTimestamp: Int64
    var anchor: Int64
    var drift: Double
    /// Whether `drift` was measured on this segment (long enough) rather than borrowed.
    var driftMeasured: Bool
    var reason: String

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
}
