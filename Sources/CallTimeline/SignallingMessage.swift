public import Capture

/// What the timeline needs from a SIP message found in the capture: the dialog, who sent it, and the media it
/// describes (SDP). The capture layer parses SIP and SDP; this is its summary.
public struct SignallingMessage: Sendable {
    public var arrival: Int64
    public var packetNumber: Int
    /// Where the SIP message was sent from and to (the signalling path, not the media).
    public var source: Endpoint
    public var destination: Endpoint
    public var callID: String
    /// The `From` tag: requests carry their sender's, responses copy the request's (RFC 3261 §8.2.6.2).
    public var fromTag: String?
    /// The request method (`INVITE`, `BYE`, …), nil for responses.
    public var method: String?
    /// The response status code, nil for requests.
    public var statusCode: Int?
    /// The method named in CSeq (which request a response answers).
    public var cseqMethod: String?
    /// The audio media the SDP body describes: where this party receives RTP, and its payload type map.
    public var media: [AnnouncedMedia]

    public init(
        arrival: Int64,
        packetNumber: Int,
        source: Endpoint,
        destination: Endpoint,
        callID: String,
        fromTag: String? = nil,
        method: String?,
        statusCode: Int?,
        cseqMethod: String?,
        media: [AnnouncedMedia]
    ) {
        self.arrival = arrival
        self.packetNumber = packetNumber
        self.source = source
        self.destination = destination
        self.callID = callID
        self.fromTag = fromTag
        self.method = method
        self.statusCode = statusCode
        self.cseqMethod = cseqMethod
        self.media = media
    }
}

/// One `m=audio` section of an SDP body (RFC 4566): the address and port where its author receives RTP, the
/// payload types it maps with `a=rtpmap`, and what it says about encryption (SPEC §2.4).
public struct AnnouncedMedia: Sendable, Hashable {
    public var endpoint: Endpoint
    public var payloadTypes: [UInt8: Codec]
    /// The section's SRTP profile, `a=crypto`, `a=fingerprint` or `a=zrtp-hash`; nil when it says nothing of
    /// encryption (clear `RTP/AVP`).
    public var security: SDPMediaSecurity?

    public init(endpoint: Endpoint, payloadTypes: [UInt8: Codec], security: SDPMediaSecurity? = nil) {
        self.endpoint = endpoint
        self.payloadTypes = payloadTypes
        self.security = security
    }
}
