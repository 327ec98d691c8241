import AudioCodecs

// Building a `Codec` from what signals it: an SDP `a=rtpmap` and `a=fmtp` (RFC 8866 §6.6, §6.15), the RFC 3551 static
// table, or the command line's `--pt PT=NAME[/CLOCK[/CHANNELS]][;PARAMETERS]`.

extension Codec {
    /// The codec of an SDP `a=rtpmap:PT NAME/CLOCK[/CHANNELS]` and its `a=fmtp` parameters. Names compare
    /// case-insensitively (RFC 8866 §6.6).
    ///
    /// The clock rate is taken from the signalling only where the payload format lets it vary (Speex, L16,
    /// comfort noise, telephone events). The others use their RFC's clock whatever the rtpmap says, so the
    /// common mis-signalling `G722/16000` still times G.722 at 8000 Hz (RFC 3551 §4.5.2), and Opus is always
    /// 48000 Hz (RFC 7587 §4.1). A codec this product does not decode, or a payload format option it refuses
    /// (AMR interleaving, CRCs, robust sorting, several channels), is ``unsupported(name:reason:)``.
    public init(encodingName: String, clockRate: Int, channels: Int = 1, formatParameters: FormatParameters = .init()) {
        let name = encodingName.uppercased()
        if let codec = Self.fixedClockCodec(name) {
            self = codec
        } else if let rate = Self.g726Rate(name) {
            self = .g726(G726Format(rate: rate.rate, packing: rate.packing))
        } else {
            switch name {
            case "G729", "G729A":
                self = .g729(G729Format(annexB: formatParameters.flag("annexb") ?? true))
            case "AMR", "AMR-WB":
                self = Self.amr(name: encodingName, wideband: name == "AMR-WB", channels, formatParameters)
            case "OPUS":
                self = .opus(
                    OpusFormat(
                        receiverStereo: formatParameters.flag("stereo") ?? false,
                        senderStereo: formatParameters.flag("sprop-stereo") ?? false,
                        inbandFEC: formatParameters.flag("useinbandfec") ?? false
                    )
                )
            case "SPEEX":
                guard let band = SpeexFormat.Band(clockRate: clockRate) else {
                    self = .unsupported(name: encodingName, reason: .clockRate(clockRate))
                    return
                }
                self = .speex(SpeexFormat(band: band, mode: formatParameters["mode"].flatMap { Int($0) }))
            case "L16":
                self = Self.l16(name: encodingName, clockRate: clockRate, channels: channels)
            case "CN":
                self = .comfortNoise(clockRate: clockRate)
            case "TELEPHONE-EVENT":
                self = .telephoneEvent(clockRate: clockRate)
            default:
                self = .unsupported(name: encodingName, reason: .noDecoder)
            }
        }
    }

    /// The codec of an SDP `a=rtpmap` and the text of its `a=fmtp` line after the payload type.
    public init(encodingName: String, clockRate: Int, channels: Int = 1, formatParameters: String?) {
        self.init(
            encodingName: encodingName,
            clockRate: clockRate,
            channels: channels,
            formatParameters: formatParameters.map { FormatParameters(parsing: $0) } ?? FormatParameters()
        )
    }

    /// The RFC 3551 static payload types (Table 4): those decoded here, and the names of the others so reasons
    /// are clear; ``unknown`` for dynamic and unassigned ones.
    ///
    /// Payload type 2 was G721 in RFC 1890 and `G726-32` in drafts of RFC 3551, which marks it reserved
    /// (§4.5.4, Table 4); senders that still use it mean G726-32 in the RFC 3551 bit order, which is what it maps
    /// to here (one that packs in AAL2 order needs `--pt 2=AAL2-G726-32`).
    public static func staticPayloadType(_ payloadType: UInt8) -> Codec {
        switch payloadType {
        case 0: .pcmu
        case 2: .g726(G726Format(rate: .kbps32, packing: .rfc3551))
        case 3: .gsm
        case 8: .pcma
        case 9: .g722
        case 10: .l16(L16Format(clockRate: 44100, channels: 2))
        case 11: .l16(L16Format(clockRate: 44100, channels: 1))
        case 13: .comfortNoise(clockRate: 8000)
        case 18: .g729(G729Format())
        case 4: .unsupported(name: "G723", reason: .noDecoder)
        case 5, 6, 16, 17: .unsupported(name: "DVI4", reason: .noDecoder)
        case 7: .unsupported(name: "LPC", reason: .noDecoder)
        case 12: .unsupported(name: "QCELP", reason: .noDecoder)
        case 14: .unsupported(name: "MPA", reason: .noDecoder)
        case 15: .unsupported(name: "G728", reason: .noDecoder)
        default: .unknown
        }
    }

    /// The codec of a command-line `--pt` value after `PT=`: `NAME[/CLOCK[/CHANNELS]][;PARAMETERS]`, as in
    /// `opus`, `AMR-WB/16000;octet-align=1`, `L16/16000/2`, `AAL2-G726-32`, `telephone-event`. PARAMETERS are
    /// those of an `a=fmtp` line (`;`-separated). CLOCK defaults to the codec's RFC clock (8000 where it can
    /// vary, except L16, which needs it). Throws for bad syntax, and for a codec that is not decoded.
    public init(specification: String) throws(PayloadFormatError) {
        let parts = specification.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        let fields = parts[0].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name = fields[0].trimmingSpaces
        guard !name.isEmpty, fields.count <= 3 else {
            throw PayloadFormatError(.invalidSpecification, specification: specification)
        }
        var clockRate = Codec(encodingName: name, clockRate: 8000).rtpClockRate
        if fields.count >= 2 {
            guard let value = Int(fields[1].trimmingSpaces), value > 0 else {
                throw PayloadFormatError(.invalidSpecification, specification: specification)
            }
            clockRate = value
        } else if name.uppercased() == "L16" {
            throw PayloadFormatError(.missingClockRate, specification: specification)
        }
        var channels = 1
        if fields.count == 3 {
            guard let value = Int(fields[2].trimmingSpaces), value > 0 else {
                throw PayloadFormatError(.invalidSpecification, specification: specification)
            }
            channels = value
        }
        let parameters = parts.count == 2 ? FormatParameters(parsing: parts[1]) : FormatParameters()
        let codec = Codec(encodingName: name, clockRate: clockRate, channels: channels, formatParameters: parameters)
        if case .unsupported(_, let reason) = codec {
            throw PayloadFormatError(.unsupportedCodec, specification: specification, reason: reason)
        }
        self = codec
    }

    /// The encoding names ``init(specification:)`` accepts, for messages.
    public static let decodedEncodingNames = [
        "PCMU", "PCMA", "G722", "G726-16", "G726-24", "G726-32", "G726-40", "AAL2-G726-16", "AAL2-G726-24",
        "AAL2-G726-32", "AAL2-G726-40", "G729", "GSM", "AMR", "AMR-WB", "opus", "speex", "L16", "CN",
        "telephone-event",
    ]

    /// Codecs whose clock is fixed by their payload format (an uppercased name).
    private static func fixedClockCodec(_ name: String) -> Codec? {
        switch name {
        case "PCMU", "G711U", "G711-U": .pcmu
        case "PCMA", "G711A", "G711-A": .pcma
        case "G722": .g722
        case "GSM": .gsm
        default: nil
        }
    }

    /// `G726-32` → 32 kbit/s, RFC 3551 packing; `AAL2-G726-32` → AAL2 packing (an uppercased name).
    private static func g726Rate(_ name: String) -> (rate: G726Rate, packing: G726Packing)? {
        let isAAL2 = name.hasPrefix("AAL2-")
        let base = isAAL2 ? String(name.dropFirst(5)) : name
        guard base.hasPrefix("G726-"), let kbps = Int(base.dropFirst(5)), let rate = G726Rate(rawValue: kbps) else {
            return nil
        }
        return (rate, isAAL2 ? .aal2 : .rfc3551)
    }

    /// AMR or AMR-WB, unless the parameters ask for a layout this product does not read (RFC 4867 §8.1, §8.2).
    private static func amr(name: String, wideband: Bool, _ channels: Int, _ parameters: FormatParameters) -> Codec {
        if channels != 1 { return .unsupported(name: name, reason: .channels(channels)) }
        if parameters["interleaving"] != nil { return .unsupported(name: name, reason: .amrInterleaving) }
        if parameters.flag("crc") == true { return .unsupported(name: name, reason: .amrFrameCRC) }
        if parameters.flag("robust-sorting") == true { return .unsupported(name: name, reason: .amrRobustSorting) }
        let format = AMRFormat(
            octetAligned: parameters.flag("octet-align") ?? false,
            modeSet: parameters.integers("mode-set")
        )
        return wideband ? .amrWideband(format) : .amr(format)
    }

    /// L16 with at least one channel, at a rate the pipeline can bring to a call's rate: one of
    /// ``AudioCodecs/Resampler/supportedRates`` (8 to 48 kHz; RFC 3551 §4.5.11 allows any, telephony and audio
    /// sources use these).
    private static func l16(name: String, clockRate: Int, channels: Int) -> Codec {
        guard channels >= 1 else { return .unsupported(name: name, reason: .channels(channels)) }
        guard Resampler.supportedRates.contains(clockRate) else {
            return .unsupported(name: name, reason: .clockRate(clockRate))
        }
        return .l16(L16Format(clockRate: clockRate, channels: channels))
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
