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
    /// The request method (`INVITE`, `BYE`, …), nil for responses.
    public var method: String?
    /// The response status code, nil for requests.
    public var statusCode: Int?
    /// The method named in CSeq (which request a response answers).
    public var cseqMethod: String?
    /// The audio media the SDP body describes: where this party receives RTP, and its payload type map.
    public var media: [SDPMedia]

    public init(
        arrival: Int64,
        packetNumber: Int,
        source: Endpoint,
        destination: Endpoint,
        callID: String,
        method: String?,
        statusCode: Int?,
        cseqMethod: String?,
        media: [SDPMedia]
    ) {
        self.arrival = arrival
        self.packetNumber = packetNumber
        self.source = source
        self.destination = destination
        self.callID = callID
        self.method = method
        self.statusCode = statusCode
        self.cseqMethod = cseqMethod
        self.media = media
    }
}

/// One `m=audio` section of an SDP body (RFC 4566): the address and port where its author receives RTP, and the
/// payload types it maps with `a=rtpmap`.
public struct SDPMedia: Sendable, Hashable {
    public var endpoint: Endpoint
    public var payloadTypes: [UInt8: Codec]

    public init(endpoint: Endpoint, payloadTypes: [UInt8: Codec]) {
        self.endpoint = endpoint
        self.payloadTypes = payloadTypes
    }
}
