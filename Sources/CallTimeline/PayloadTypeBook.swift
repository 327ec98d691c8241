import Capture
import PayloadFormats

/// The payload type mappings pass 1 has seen so far, for giving a lane its codec (and so its RTP clock) when its
/// first packet comes (SPEC §2.3, §3.4).
///
/// A lane's codec is, in this order: the one the analysis learned for its stream in an earlier run of pass 1
/// (`TimelineOptions.streamPayloadTypes`), the user's `--pt`, the most recent SDP naming the stream's destination
/// (the receiver's map: RFC 3264 §5.1, an offer's payload types are those its author receives), then its source,
/// then RFC 3551's static table. A dynamic payload type none of these names is not guessed at once: the lane holds
/// its packets until an SDP names it (``LaneAccumulator``). One capture can map one payload type to codecs of
/// different clocks in different dialogs (speex/8000, /16000, /32000 on PT 99): the most recent SDP naming the
/// stream's own endpoints is the one in force when the stream starts.
struct PayloadTypeBook: Sendable {
    /// Mappings by the media endpoint an SDP named (later SDP overrides earlier, payload type by payload type).
    private var byEndpoint: [Endpoint: [UInt8: Codec]] = [:]
    /// The first mapping of each payload type anywhere in the capture: a guess for streams no SDP names (NAT).
    private var firstMappings: [UInt8: Codec] = [:]

    /// Takes the SDP of a SIP message; true when it mapped any payload type.
    @discardableResult
    mutating func record(_ message: SignallingMessage) -> Bool {
        for media in message.media {
            byEndpoint[media.endpoint, default: [:]].merge(media.payloadTypes) { _, new in new }
            firstMappings.merge(media.payloadTypes) { old, _ in old }
        }
        return message.media.contains { !$0.payloadTypes.isEmpty }
    }

    /// The codec of `payloadType` on `stream` from what is known now, or nil for a dynamic payload type no SDP
    /// seen so far names.
    func codec(payloadType: UInt8, stream: StreamKey, options: TimelineOptions) -> Codec? {
        if let codec = options.streamPayloadTypes[stream]?[payloadType] { return codec }
        if let codec = options.payloadTypes[payloadType] { return codec }
        if let codec = byEndpoint[stream.destination]?[payloadType] ?? byEndpoint[stream.source]?[payloadType] {
            return codec
        }
        let known = Codec.staticPayloadType(payloadType)
        return known == .unknown ? nil : known
    }

    /// Any mapping of `payloadType` in the capture so far.
    func guess(payloadType: UInt8) -> Codec? { firstMappings[payloadType] }
}
