/// The Opus payload format parameters (RFC 7587 §6.1). None changes how a payload is cut: an RTP payload is one
/// Opus packet, always on a 48000 Hz clock, and each packet says whether it is mono or stereo.
public struct OpusFormat: Sendable, Hashable {
    /// `stereo=1`: the SDP's author prefers to receive stereo.
    public var receiverStereo: Bool
    /// `sprop-stereo=1`: the SDP's author may send stereo.
    public var senderStereo: Bool
    /// `useinbandfec=1`: the SDP's author can use in-band FEC (so the other side may send it).
    public var inbandFEC: Bool

    public init(receiverStereo: Bool = false, senderStereo: Bool = false, inbandFEC: Bool = false) {
        self.receiverStereo = receiverStereo
        self.senderStereo = senderStereo
        self.inbandFEC = inbandFEC
    }
}
