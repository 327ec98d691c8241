/// Why an RTP stream is not part of any call's audio (SPEC §2.3, §3.2). Not to be confused with
/// `Capture.SkipReason`, which says why a captured frame yielded no datagram.
public enum StreamSkipReason: Sendable, Hashable, CustomStringConvertible {
    /// Only RFC 4733 events, no audio payload type. Such a stream still joins the call it belongs to (its
    /// digits are listed), and then is not skipped.
    case telephoneEventsOnly
    /// Audio in a codec this product does not decode.
    case unsupportedCodec(Codec, payloadType: UInt8)
    /// A dynamic payload type no SDP and no `--pt` names (SPEC §2.3: never guessed).
    case unknownPayloadType(UInt8)
    case noPackets
    /// Sequence numbers spread far wider than the packets received, on a stream no SDP names: payloads that
    /// only look like RTP.
    case notRTP(packets: Int, sequenceSpan: Int)
    /// A second sender in the same direction of the same call, overlapping the one recorded (SPEC §3.2: two
    /// SSRCs that overlap in time are never one leg).
    case concurrentSender(recorded: UInt32, overlapMilliseconds: Int)
    /// The same SSRC, at the same time, on another 5-tuple of the same party: a media relay's copy of a stream
    /// that is recorded (SPEC §3.1 keeps them apart as streams; the audio is recorded once).
    case relayCopy(of: StreamKey)
    /// Encrypted media that no key decrypts (SPEC §2.4): what showed it, and whether the keys given failed.
    case encrypted(EncryptedMedia)

    /// Whether the stream may have carried audio that is now missing from a recording: such a skip is a
    /// warning, in the report and on stderr (SPEC §3.2), not only a line in the stream list.
    public var mayCarryAudio: Bool {
        switch self {
        case .unsupportedCodec, .unknownPayloadType, .concurrentSender, .encrypted: return true
        case .telephoneEventsOnly, .noPackets, .notRTP, .relayCopy: return false
        }
    }

    /// Whether the stream was skipped as encrypted media no key decrypts.
    public var isEncryptedMedia: Bool {
        if case .encrypted = self { return true }
        return false
    }

    /// The report's words for it.
    public var description: String {
        switch self {
        case .telephoneEventsOnly:
            return "telephone events only, no audio"
        case .unsupportedCodec(let codec, let payloadType):
            return "unsupported codec \(codec) (payload type \(payloadType))"
        case .unknownPayloadType(let payloadType):
            return
                "unknown payload type \(payloadType) (not static, not in SDP; give it with --pt \(payloadType)=CODEC)"
        case .noPackets:
            return "no packets"
        case .notRTP(let packets, let span):
            return "sequence numbers do not progress (\(packets) packets spread over \(span)): not RTP"
        case .concurrentSender(let recorded, let overlap):
            return "a second sender: overlaps SSRC \(SSRCFormat.hex(recorded)) of the same leg by \(overlap) ms "
                + "(the leg records the sender with more audio)"
        case .relayCopy(let original):
            return "a relay's copy of \(original) (the same SSRC at the same time): recorded once, from there"
        case .encrypted(let media):
            return media.description
        }
    }
}
