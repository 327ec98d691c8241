/// Which codec a leg (or a segment of it) used, as the quality model needs to know it: the SDP encoding name and,
/// where the name alone does not fix it, the bit rate (G.726's rate, an AMR mode, an Opus or Speex target).
///
/// Kept apart from the timeline's own codec descriptor on purpose: this module depends on nothing, so any layer
/// can score a leg from a name it read in SDP, a report or a test.
public struct CodecIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The encoding name as in SDP `a=rtpmap` (any case): `PCMU`, `PCMA`, `G722`, `G726-32`, `AAL2-G726-24`,
    /// `G729`, `GSM`, `GSM-EFR`, `AMR`, `AMR-WB`, `opus`, `speex`, `L16`.
    public var name: String
    /// Bits per second of the coded audio when known; nil when the name says it or nothing says it.
    public var bitrate: Int?

    public init(name: String, bitrate: Int? = nil) {
        self.name = name
        self.bitrate = bitrate
    }

    public var description: String {
        bitrate == nil ? name : "\(name) \(rateText)"
    }

    /// The bit rate in kbit/s without trailing zeros (`64 kbit/s`, `12.2 kbit/s`, `12.65 kbit/s`), or empty when
    /// unknown.
    var rateText: String {
        guard let bitrate, bitrate >= 0 else { return "" }
        var fraction = String(bitrate % 1000 + 1000).dropFirst()
        while fraction.last == "0" { fraction.removeLast() }
        return "\(bitrate / 1000)\(fraction.isEmpty ? "" : ".")\(fraction) kbit/s"
    }

    /// The name in capitals without the punctuation senders disagree on (`G.726-32`, `g726_32` → `G72632`).
    var normalizedName: String {
        String(name.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    /// G.726's rate in bit/s from the name (`G726-32`, `AAL2-G726-24`, RFC 3551 §4.5.4) or the bit rate; 32 kbit/s
    /// (the rate of `G721`, RFC 3551's static payload type 2) when neither says.
    var g726Bitrate: Int {
        for rate in [16, 24, 32, 40] where normalizedName.hasSuffix("G726\(rate)") {
            return rate * 1000
        }
        return bitrate ?? 32000
    }
}
