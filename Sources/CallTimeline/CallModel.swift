public import Capture
public import PayloadFormats

/// The statistics of one RTP stream (SPEC §4), as the report and `inspect` show them.
public struct StreamSummary: Sendable {
    public var key: StreamKey
    /// Codec names per payload type seen, e.g. `[0: "PCMU", 101: "telephone-event"]`.
    public var payloadTypes: [UInt8: Codec]
    public var packets: Int
    public var firstArrival: Int64
    public var lastArrival: Int64
    public var firstPacketNumber: Int
    /// Expected minus received (RFC 3550 §6.4.1 cumulative loss), never negative.
    public var lost: Int
    public var duplicated: Int
    /// Packets that arrived after a packet with a higher sequence number.
    public var reordered: Int
    /// Packets a jitter buffer of `TimelineOptions.lateThreshold` (60 ms) would have waited for in vain: delayed by
    /// more than that beyond the least-delayed packets both of the two seconds before and of the two seconds after
    /// them (``LatenessMeter``). Kept, not dropped: offline, nothing is late.
    public var late: Int
    /// RFC 3550 §A.8 interarrival jitter at the end of the stream, in milliseconds.
    public var jitterMilliseconds: Double
    /// Nil when the stream is part of a call; otherwise why it was left out.
    public var skippedReason: StreamSkipReason?
    /// The SIP dialog the stream belongs to and why (SPEC §3.2); nil when no SDP of a dialog alive at the time
    /// names its addresses (then it is grouped with the other streams between the same two endpoints).
    public var dialog: DialogAttachment?
    /// RFC 4733 events of the stream: for a stream in a call, the same as its leg lists (on the call's timeline);
    /// for one outside any call (an events-only capture), timed from the stream's first packet.
    public var dtmf: [DTMFEvent] = []
    /// What SRTP decryption made of the stream (SPEC §2.4); nil when no key was known while it was read.
    public var encryption: StreamEncryption? = nil
}

/// A stretch of one stream placed on the call timeline (SPEC §3.2, §3.4): one SSRC, one codec, anchored by
/// capture time.
public struct SegmentSummary: Sendable {
    public var ssrc: UInt32
    public var codec: Codec
    public var payloadType: UInt8
    public var packets: Int
    /// Start and end on the call timeline, nanoseconds since the Unix epoch.
    public var start: Int64
    public var end: Int64
    /// Estimated sender clock error in parts per million against the capture clock (positive: the sender's
    /// sample clock runs fast, so its audio is played slightly faster to stay in real time).
    public var driftPPM: Double
    /// Why this segment starts.
    public var reason: SegmentReason
    /// The segment's frames by kind, as pass 1 counted them (SPEC §4): speech, silence descriptors, no-data
    /// slots, damaged frames.
    public var frames = FrameCounts()
    /// Payloads with damaged frames, by reason.
    public var damage: [PayloadDamage: Int] = [:]
    /// Payloads by the coding mode of their speech (AMR mode, Opus configuration and channels, Speex mode).
    public var modes: [CodecMode: Int] = [:]
}

/// What fills an interval of a leg that no received packet covers (SPEC §3.5).
public enum GapKind: String, Sendable {
    /// Lost packets, concealed by waveform substitution.
    case concealed
    /// Lost packets over a longer interval, filled with silence.
    case lost
    /// The sender sent nothing on purpose (silence suppression, a pause between segments).
    case silence
    /// RFC 3389 comfort noise at the signalled level.
    case comfortNoise = "comfort-noise"
}

/// One synthesized interval of a leg.
public struct GapSummary: Sendable {
    public var kind: GapKind
    /// Offset from the start of the call and length, in milliseconds.
    public var startMilliseconds: Double
    public var durationMilliseconds: Double
    public var lostPackets: Int
}

/// One RFC 4733 event (a DTMF digit) on a leg (SPEC §3.6).
public struct DTMFEvent: Sendable, Equatable {
    /// `0`–`9`, `*`, `#`, `A`–`D`, or `event N` for other event codes.
    public var digit: String
    /// Offset from the start of the call, in milliseconds.
    public var startMilliseconds: Double
    public var durationMilliseconds: Double
    /// False when no end packet was seen (the capture or the sender stopped mid-event).
    public var ended: Bool
    public var volume: Int
}

/// One party's audio (SPEC §3.2): the segments flowing in one direction between the two media endpoints.
public struct Leg: Sendable {
    /// A (left, by default the caller) or B.
    public var side: LegSide
    /// The sender and receiver of the leg's first stream.
    public var source: Endpoint
    public var destination: Endpoint
    /// Indices into `CallSet.streams`.
    public var streamIndices: [Int]
    public var segments: [SegmentSummary]
    public var gaps: [GapSummary]
    public var dtmf: [DTMFEvent]
    /// The rate the leg is rendered at before it is resampled to the call's rate: 16000 Hz when a segment is
    /// wideband, else 8000 Hz; once rendered, higher when the call is recorded above 16 kHz and the leg's codec
    /// carries more (Opus, Speex ultra-wideband, L16).
    public var sampleRate: Int

    /// `A` or `B`, for reports and tags (decide on `side`).
    public var label: String { side.description }

    /// The codecs the leg used, by name, sorted (`["G722", "PCMU"]`).
    public var codecNames: [String] { Array(Set(segments.map(\.codec.description))).sorted() }

    public var concealedMilliseconds: Double {
        gaps.filter { $0.kind == .concealed }.reduce(0) { $0 + $1.durationMilliseconds }
    }
    public var silenceMilliseconds: Double {
        gaps.filter { $0.kind == .silence || $0.kind == .lost }.reduce(0) { $0 + $1.durationMilliseconds }
    }
    public var comfortNoiseMilliseconds: Double {
        gaps.filter { $0.kind == .comfortNoise }.reduce(0) { $0 + $1.durationMilliseconds }
    }

    /// Indices of the leg's segments in the timeline, in order of start.
    var segmentIndices: [Int] = []
}

/// One call found in the capture: up to two legs on a common timeline.
public struct Call: Sendable {
    /// 1-based, in order of start time: the order the report lists the calls in.
    public var number: Int
    /// The SIP Call-ID when the call was matched to a SIP dialog.
    public var sipCallID: String?
    /// Capture time of the first audio sample, nanoseconds since the Unix epoch.
    public var start: Int64
    /// Capture time just after the last audio sample.
    public var end: Int64
    /// Leg A (left) first, then leg B (right) when there is one.
    public var legs: [Leg]
    /// Why leg A is on the left, in words (`caller per SIP INVITE`, `--left 10.0.0.0/8`, `first packet`).
    public var channelReason: String
    /// The leg of the party that sent the INVITE, when the call was matched to a SIP dialog (nil without SIP).
    public var callerSide: LegSide?

    public var durationNanoseconds: Int64 { end &- start }
    public var durationSeconds: Double { Double(end &- start) / 1e9 }

    /// 16000 Hz when any leg is wideband (G.722, AMR-WB, Speex wideband and ultra-wideband, Opus, L16 above
    /// 8 kHz), else 8000 Hz (SPEC §3.8).
    public var naturalSampleRate: Int { legs.map(\.sampleRate).max() ?? 8000 }
}

/// Everything the timeline found in a capture.
public struct CallSet: Sendable {
    public var streams: [StreamSummary]
    public var calls: [Call]
    public var warnings: [String]
    /// Non-audio UDP payloads seen, by kind (`rtcp`, `stun`, `dtls`, …).
    public var nonAudio: [String: Int]
    /// SIP messages seen.
    public var sipMessages: Int
    /// The SIP dialogs (calls set up by INVITE) found, with where each party said it receives media.
    public var sipDialogs: [SIPDialogSummary] = []

    /// The call recorded by default: the longest (SPEC §3.2).
    public var longestCall: Call? {
        calls.max {
            $0.durationNanoseconds < $1.durationNanoseconds
                || ($0.durationNanoseconds == $1.durationNanoseconds && $0.number > $1.number)
        }
    }
}

/// One SIP dialog of the capture, as `inspect` shows it.
public struct SIPDialogSummary: Sendable {
    public var callID: String
    /// The signalling endpoint that sent the first INVITE.
    public var caller: Endpoint
    /// Media endpoints each party announced in SDP.
    public var callerMedia: [Endpoint]
    public var calleeMedia: [Endpoint]
}
