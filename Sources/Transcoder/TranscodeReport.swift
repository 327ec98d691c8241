public import CallTimeline
import Capture
import FoundationEssentials
import MP3Encoder
import PayloadFormats
import SigV4

/// The JSON sidecar of SPEC §4: what was read, how the call was built, and what was written.
public struct TranscodeReport: Encodable, Sendable {
    public struct Tool: Encodable, Sendable {
        var name = "rtp2mp3"
        var version = ProductVersion.string
        var lame = MP3Encoder.lameVersion
    }

    public struct Input: Encodable, Sendable {
        public var name: String
        public var bytes: Int
        public var eTag: String?
        public var format: String
        public var packets: Int
        public var udpDatagrams: Int
        public var skippedPackets: [String: Int]

        init(_ contents: CaptureContents, eTag: String?) {
            name = contents.name
            bytes = contents.inputBytes
            self.eTag = eTag
            format = contents.format
            packets = contents.frames
            udpDatagrams = contents.udpDatagrams
            skippedPackets = contents.skippedFrames
        }
    }

    public struct ChannelMap: Encodable, Sendable {
        var left: String?
        var right: String?
        var mono: [String]?
        var reason: String
    }

    public struct CallInfo: Encodable, Sendable {
        var number: Int
        var callsInCapture: Int
        var sipCallId: String?
        var start: String
        /// A string: nanoseconds since the epoch exceed 2^53, beyond which a JSON reader's doubles lose digits.
        var startEpochNanoseconds: String
        var durationSeconds: Double
        var channelMap: ChannelMap
        /// Seconds both parties talked at once (from the decoded audio, as `talkSeconds`).
        var doubleTalkSeconds: Double?
    }

    public struct Segment: Encodable, Sendable {
        var ssrc: String
        var codec: String
        /// The payload format's parameters (`32 kbit/s, AAL2 packing`, `octet-aligned`, `wideband`), if any.
        var format: String?
        var payloadType: Int
        var packets: Int
        var startSeconds: Double
        var durationSeconds: Double
        var driftPpm: Double
        var reason: String
        /// Payloads by the mode of their speech (`12.2 kbit/s`, `SILK wideband 20 ms, mono`), if the codec has
        /// modes.
        var modes: [String: Int]?
        var frames: Frames
        /// Payloads with damaged frames, by reason.
        var damaged: [String: Int]?
    }

    /// A segment's frames by kind (SPEC §4), as pass 1 counted them.
    public struct Frames: Encodable, Sendable {
        var speech: Int
        var silenceDescriptor: Int
        var noData: Int
        var damaged: Int

        init(_ counts: FrameCounts) {
            speech = counts.speech
            silenceDescriptor = counts.silenceDescriptors
            noData = counts.noData
            damaged = counts.damaged
        }
    }

    public struct Gap: Encodable, Sendable {
        var kind: String
        var startSeconds: Double
        var durationMilliseconds: Double
        var lostPackets: Int
    }

    public struct DTMF: Encodable, Sendable {
        var digit: String
        var startSeconds: Double
        var durationMilliseconds: Double
        var ended: Bool
        /// The leg that sent it (`A`, `B`); absent for a stream outside any call.
        var leg: String?

        init(_ event: DTMFEvent, leg: String?) {
            digit = event.digit
            startSeconds = TranscodeReport.round(event.startMilliseconds / 1000, 3)
            durationMilliseconds = TranscodeReport.round(event.durationMilliseconds, 1)
            ended = event.ended
            self.leg = leg
        }
    }

    public struct LegInfo: Encodable, Sendable {
        var label: String
        var channel: String
        var source: String
        var destination: String
        var codecs: [String]
        var sampleRate: Int
        var packets: Int
        var lost: Int
        var duplicated: Int
        var reordered: Int
        var late: Int
        var jitterMilliseconds: Double
        var concealedMilliseconds: Double
        var silenceMilliseconds: Double
        var comfortNoiseMilliseconds: Double
        var segments: [Segment]
        var gaps: [Gap]
        var dtmf: [DTMF]
        /// Per stream of the leg, when any was SRTP (SPEC §2.4).
        var encryption: [Encryption]?
        /// The listening-quality estimate and the seconds the leg's party talked (nil when not rendered).
        var quality: Quality?
        var talkSeconds: Double?
    }

    public struct OtherCall: Encodable, Sendable {
        var number: Int
        var sipCallId: String?
        var start: String
        var durationSeconds: Double
        var legs: Int

        init(_ call: Call) {
            number = call.number
            sipCallId = call.sipCallID
            start = Timestamp.rfc3339(nanoseconds: call.start)
            durationSeconds = TranscodeReport.round(call.durationSeconds, 3)
            legs = call.legs.count
        }
    }

    public struct Stream: Encodable, Sendable {
        var source: String
        var destination: String
        var ssrc: String
        var payloadTypes: [String: String]
        var packets: Int
        var lost: Int
        var duplicated: Int
        var reordered: Int
        var late: Int
        var jitterMilliseconds: Double
        var firstPacket: Int
        var skippedReason: String?
        /// The SIP dialog (Call-ID) the stream belongs to, and why (SPEC §3.2).
        var dialog: String?
        var dialogReason: String?
        var dtmf: [DTMF]
        /// When the stream was SRTP or a key was tried on it (SPEC §2.4).
        var encryption: Encryption?
    }

    public struct Output: Encodable, Sendable {
        public var name: String
        public var format: String
        public var encoding: String
        public var sampleRate: Int
        public var channels: Int
        public var durationSeconds: Double
        public var bytes: Int
        public var sha256: String
    }

    public struct Settings: Encodable, Sendable {
        var format: String
        var channels: String
        var bitrate: Int?
        var vbrQuality: Int?
        var sampleRate: String
        var left: String
        var call: Int?
        /// True with `--all-calls` / `CALLS=all` (absent otherwise).
        var allCalls: Bool?
        var payloadTypes: [String: String]
    }

    /// Milliseconds spent per stage; the Lambda function adds its download and upload.
    public struct Timings: Encodable, Sendable {
        public var downloadMilliseconds: Double?
        public var readMilliseconds: Double
        public var encodeMilliseconds: Double
        public var uploadMilliseconds: Double?

        package init(
            downloadMilliseconds: Double? = nil,
            readMilliseconds: Double,
            encodeMilliseconds: Double,
            uploadMilliseconds: Double? = nil
        ) {
            self.downloadMilliseconds = downloadMilliseconds
            self.readMilliseconds = readMilliseconds
            self.encodeMilliseconds = encodeMilliseconds
            self.uploadMilliseconds = uploadMilliseconds
        }
    }

    var tool = Tool()
    public var input: Input
    var call: CallInfo
    var legs: [LegInfo]
    var otherCalls: [OtherCall]
    var skippedStreams: [Stream]
    var nonAudioPackets: [String: Int]
    var warnings: [String]
    public var output: Output
    var settings: Settings
    public var timings: Timings

    /// Builds the report of `recording`, made of `call` of `contents`; `analysis` is what rendering measured.
    public init(
        contents: CaptureContents,
        call: Call,
        analysis: CallAnalysis? = nil,
        recording: EncodedRecording,
        outputName: String,
        settings: TranscodeSettings,
        eTag: String? = nil,
        timings: Timings
    ) {
        let summary = contents.timeline.summary
        input = Input(contents, eTag: eTag)
        let legA = call.legs.first { $0.side == .a }
        let legB = call.legs.first { $0.side == .b }
        self.call = CallInfo(
            number: call.number,
            callsInCapture: summary.calls.count,
            sipCallId: call.sipCallID,
            start: Timestamp.rfc3339(nanoseconds: call.start),
            startEpochNanoseconds: String(call.start),
            durationSeconds: Self.round(call.durationSeconds, 3),
            channelMap: settings.channels == .stereo
                ? ChannelMap(
                    left: legA.map { "A \($0.source)" },
                    right: legB.map { "B \($0.source)" },
                    reason: call.channelReason
                )
                : ChannelMap(mono: call.legs.map { "\($0.label) \($0.source)" }, reason: call.channelReason),
            doubleTalkSeconds: analysis.map { Self.round($0.doubleTalkSeconds, 2) }
        )
        legs = call.legs.map {
            Self.legInfo(
                $0,
                call: call,
                streams: summary.streams,
                mono: settings.channels == .mono,
                analysis: analysis?.leg($0.side)
            )
        }
        otherCalls = Self.otherCalls(in: summary, than: call)
        skippedStreams = summary.streams.filter { $0.skippedReason != nil }.map { Self.stream($0, leg: nil) }
        nonAudioPackets = summary.nonAudio
        warnings = summary.warnings
        output = Output(
            name: outputName,
            format: recording.format.rawValue,
            encoding: recording.encoding,
            sampleRate: recording.sampleRate,
            channels: recording.channels,
            durationSeconds: Self.round(recording.durationSeconds, 3),
            bytes: recording.byteCount,
            sha256: Hex.encode(recording.sha256)
        )
        self.settings = Self.settings(settings)
        self.timings = timings
    }

    /// The settings as the report lists them.
    static func settings(_ settings: TranscodeSettings) -> Settings {
        Settings(
            format: settings.format.rawValue,
            channels: settings.channels.rawValue,
            bitrate: settings.bitrate,
            vbrQuality: settings.vbrQuality,
            sampleRate: settings.sampleRate.map(String.init) ?? "auto",
            left: settings.timeline.left.description,
            call: settings.callNumber,
            allCalls: settings.allCalls ? true : nil,
            payloadTypes: settings.timeline.payloadTypes.reduce(into: [:]) { $0[String($1.key)] = $1.value.description }
        )
    }

    /// The calls of the capture other than `call`, in brief.
    static func otherCalls(in summary: CallSet, than call: Call) -> [OtherCall] {
        summary.calls.filter { $0.number != call.number }.map(OtherCall.init)
    }

    static func legInfo(
        _ leg: Leg,
        call: Call,
        streams: [StreamSummary],
        mono: Bool,
        analysis: CallAnalysis.LegAnalysis?
    ) -> LegInfo {
        let own = leg.streamIndices.map { streams[$0] }
        return LegInfo(
            label: leg.label,
            channel: mono ? "mono" : leg.side.channelName,
            source: "\(leg.source)",
            destination: "\(leg.destination)",
            codecs: leg.codecNames,
            sampleRate: leg.sampleRate,
            packets: own.reduce(0) { $0 + $1.packets },
            lost: own.reduce(0) { $0 + $1.lost },
            duplicated: own.reduce(0) { $0 + $1.duplicated },
            reordered: own.reduce(0) { $0 + $1.reordered },
            late: own.reduce(0) { $0 + $1.late },
            jitterMilliseconds: round(own.map(\.jitterMilliseconds).max() ?? 0, 2),
            concealedMilliseconds: round(leg.concealedMilliseconds, 1),
            silenceMilliseconds: round(leg.silenceMilliseconds, 1),
            comfortNoiseMilliseconds: round(leg.comfortNoiseMilliseconds, 1),
            segments: leg.segments.map { segment($0, call: call) },
            gaps: leg.gaps.map {
                Gap(
                    kind: $0.kind.rawValue,
                    startSeconds: round($0.startMilliseconds / 1000, 3),
                    durationMilliseconds: round($0.durationMilliseconds, 1),
                    lostPackets: $0.lostPackets
                )
            },
            dtmf: leg.dtmf.map { DTMF($0, leg: leg.label) },
            encryption: encryption(of: own),
            quality: analysis.map { Quality($0.quality, codec: $0.codec, pattern: $0.lossPattern) },
            talkSeconds: analysis.map { round($0.talkSeconds, 2) }
        )
    }

    static func segment(_ segment: SegmentSummary, call: Call) -> Segment {
        Segment(
            ssrc: SSRCFormat.hex(segment.ssrc),
            codec: segment.codec.description,
            format: segment.codec.formatDescription,
            payloadType: Int(segment.payloadType),
            packets: segment.packets,
            startSeconds: round(Double(segment.start - call.start) / 1e9, 3),
            durationSeconds: round(Double(segment.end - segment.start) / 1e9, 3),
            driftPpm: round(segment.driftPPM, 1),
            reason: segment.reason.description,
            modes: segment.modes.isEmpty
                ? nil : segment.modes.reduce(into: [:]) { $0[$1.key.description, default: 0] += $1.value },
            frames: Frames(segment.frames),
            damaged: segment.damage.isEmpty
                ? nil : segment.damage.reduce(into: [:]) { $0[$1.key.description, default: 0] += $1.value }
        )
    }

    /// A stream as the report and `inspect` list it; `leg` is the label of the leg holding it, if any.
    static func stream(_ stream: StreamSummary, leg: String?) -> Stream {
        Stream(
            source: "\(stream.key.source)",
            destination: "\(stream.key.destination)",
            ssrc: SSRCFormat.hex(stream.key.ssrc),
            payloadTypes: stream.payloadTypes.reduce(into: [:]) { $0[String($1.key)] = $1.value.description },
            packets: stream.packets,
            lost: stream.lost,
            duplicated: stream.duplicated,
            reordered: stream.reordered,
            late: stream.late,
            jitterMilliseconds: round(stream.jitterMilliseconds, 2),
            firstPacket: stream.firstPacketNumber,
            skippedReason: stream.skippedReason?.description,
            dialog: stream.dialog?.callID,
            dialogReason: stream.dialog?.description,
            dtmf: stream.dtmf.map { DTMF($0, leg: leg) },
            encryption: encryption(stream)
        )
    }

    /// The label of the leg holding each stream that is part of a call, by stream index.
    static func legLabels(_ summary: CallSet) -> [Int: String] {
        var labels: [Int: String] = [:]
        for call in summary.calls {
            for leg in call.legs {
                for index in leg.streamIndices { labels[index] = leg.label }
            }
        }
        return labels
    }

    /// A duration in milliseconds, to 0.1 ms, as the timings give it.
    package static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return round(Double(seconds) * 1000 + Double(attoseconds) / 1e15, 1)
    }

    static func round(_ value: Double, _ digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    /// Pretty, key-sorted JSON with a final newline.
    public func json() -> [UInt8] {
        JSONText.encode(self)
    }
}

/// JSON encoding shared by the report and `inspect`: pretty, keys sorted (stable diffs), slashes unescaped, empty
/// objects and arrays as `{}` and `[]`.
enum JSONText {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs cannot fail: no non-finite doubles are produced (all are rounded values).
        guard let data = try? encoder.encode(value) else { return Array("{}\n".utf8) }
        return compactingEmpty(Array(data)) + [0x0A]
    }

    /// Foundation's pretty printer writes an empty object or array as the bracket, a blank line and the closing
    /// bracket on a line of its own; this joins them (`{}`, `[]`). A newline byte in the text can only be the
    /// printer's (a string's own newlines are escaped as `\n`), so the pattern never occurs inside a value.
    static func compactingEmpty(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            let byte = text[index]
            out.append(byte)
            index += 1
            guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") else { continue }
            var end = index
            while end < text.count, text[end] == 0x0A || text[end] == UInt8(ascii: " ") { end += 1 }
            let closing = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            if end > index, end < text.count, text[end] == closing, text[index..<end].contains(0x0A) {
                out.append(closing)
                index = end + 1
            }
        }
        return out
    }
}
