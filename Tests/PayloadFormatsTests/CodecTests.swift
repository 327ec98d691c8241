import AudioCodecs
import PayloadFormats
import Testing

@Suite("Codec: what a payload type carries")
struct CodecTests {
    /// An rtpmap, and the codec, RTP clock, decoded rate and name it must give.
    struct Mapping: Sendable, CustomStringConvertible {
        var rtpmap: String
        var fmtp: String?
        var codec: Codec
        var clock: Int
        var decodedRate: Int
        var name: String
        var description: String { rtpmap + (fmtp.map { " fmtp \($0)" } ?? "") }
    }

    static let mappings: [Mapping] = [
        Mapping(rtpmap: "PCMU/8000", codec: .pcmu, clock: 8000, decodedRate: 8000, name: "PCMU"),
        Mapping(rtpmap: "pcma/8000", codec: .pcma, clock: 8000, decodedRate: 8000, name: "PCMA"),
        // RFC 3551 §4.5.2: G.722's clock is 8000 Hz for 16 kHz audio, even when an SDP wrongly says 16000.
        Mapping(rtpmap: "G722/8000", codec: .g722, clock: 8000, decodedRate: 16000, name: "G722"),
        Mapping(rtpmap: "G722/16000", codec: .g722, clock: 8000, decodedRate: 16000, name: "G722"),
        Mapping(
            rtpmap: "G726-32/8000",
            codec: .g726(G726Format(rate: .kbps32, packing: .rfc3551)),
            clock: 8000,
            decodedRate: 8000,
            name: "G726-32"
        ),
        Mapping(
            rtpmap: "AAL2-G726-24/8000",
            codec: .g726(G726Format(rate: .kbps24, packing: .aal2)),
            clock: 8000,
            decodedRate: 8000,
            name: "AAL2-G726-24"
        ),
        Mapping(
            rtpmap: "G729/8000",
            fmtp: "annexb=no",
            codec: .g729(G729Format(annexB: false)),
            clock: 8000,
            decodedRate: 8000,
            name: "G729"
        ),
        Mapping(
            rtpmap: "G729/8000",
            codec: .g729(G729Format(annexB: true)),
            clock: 8000,
            decodedRate: 8000,
            name: "G729"
        ),
        Mapping(rtpmap: "gsm/8000", codec: .gsm, clock: 8000, decodedRate: 8000, name: "GSM"),
        Mapping(rtpmap: "AMR/8000", codec: .amr(AMRFormat()), clock: 8000, decodedRate: 8000, name: "AMR"),
        Mapping(
            rtpmap: "AMR-WB/16000/1",
            fmtp: "octet-align=1; mode-set=0,2,8",
            codec: .amrWideband(AMRFormat(octetAligned: true, modeSet: [0, 2, 8])),
            clock: 16000,
            decodedRate: 16000,
            name: "AMR-WB"
        ),
        // RFC 7587 §4.1: always 48000 Hz and "/2" in the rtpmap; sprop-stereo says whether the author sends stereo.
        Mapping(
            rtpmap: "opus/48000/2",
            fmtp: "useinbandfec=1; minptime=10; maxptime=40",
            codec: .opus(OpusFormat(inbandFEC: true)),
            clock: 48000,
            decodedRate: 48000,
            name: "opus"
        ),
        Mapping(
            rtpmap: "OPUS/48000/2",
            fmtp: "stereo=1;sprop-stereo=1",
            codec: .opus(OpusFormat(receiverStereo: true, senderStereo: true)),
            clock: 48000,
            decodedRate: 48000,
            name: "opus"
        ),
        Mapping(
            rtpmap: "speex/8000",
            codec: .speex(SpeexFormat(band: .narrowband)),
            clock: 8000,
            decodedRate: 8000,
            name: "speex"
        ),
        Mapping(
            rtpmap: "Speex/16000/1",
            fmtp: "mode=6",
            codec: .speex(SpeexFormat(band: .wideband, mode: 6)),
            clock: 16000,
            decodedRate: 16000,
            name: "speex"
        ),
        Mapping(
            rtpmap: "speex/32000",
            codec: .speex(SpeexFormat(band: .ultraWideband)),
            clock: 32000,
            decodedRate: 32000,
            name: "speex"
        ),
        Mapping(
            rtpmap: "L16/22050/2",
            codec: .l16(L16Format(clockRate: 22050, channels: 2)),
            clock: 22050,
            decodedRate: 22050,
            name: "L16"
        ),
        Mapping(
            rtpmap: "CN/16000",
            codec: .comfortNoise(clockRate: 16000),
            clock: 16000,
            decodedRate: 8000,
            name: "CN"
        ),
        Mapping(
            rtpmap: "telephone-event/48000",
            fmtp: "0-16",
            codec: .telephoneEvent(clockRate: 48000),
            clock: 48000,
            decodedRate: 8000,
            name: "telephone-event"
        ),
        // No maintained iLBC library in Debian: a clear "unsupported codec", by its name as written.
        Mapping(
            rtpmap: "iLBC/8000",
            fmtp: "mode=20",
            codec: .unsupported(name: "iLBC", reason: .noDecoder),
            clock: 8000,
            decodedRate: 8000,
            name: "iLBC"
        ),
    ]

    // Proves each SDP rtpmap and fmtp gives its codec, its RTP clock (the RFC's where the payload format fixes it),
    // the rate it decodes at, and the name reports use.
    @Test(arguments: mappings)
    func sdpMapping(_ mapping: Mapping) {
        let fields = mapping.rtpmap.split(separator: "/")
        let codec = Codec(
            encodingName: String(fields[0]),
            clockRate: Int(fields[1])!,
            channels: fields.count > 2 ? Int(fields[2])! : 1,
            formatParameters: mapping.fmtp
        )
        #expect(codec == mapping.codec)
        #expect(codec.rtpClockRate == mapping.clock)
        #expect(codec.sampleRate == mapping.decodedRate)
        #expect(codec.description == mapping.name)
    }

    // Proves the refusals of RFC 4867 options that change the AMR payload layout, each with its reason.
    @Test(arguments: [
        ("interleaving=4", UnsupportedReason.amrInterleaving), ("crc=1", .amrFrameCRC),
        ("robust-sorting=1", .amrRobustSorting),
        ("octet-align=1; crc=1", .amrFrameCRC),
    ])
    func amrLayoutOptionsAreRefused(fmtp: String, reason: UnsupportedReason) {
        #expect(
            Codec(encodingName: "AMR-WB", clockRate: 16000, formatParameters: fmtp)
                == .unsupported(name: "AMR-WB", reason: reason)
        )
        #expect(
            Codec(encodingName: "AMR", clockRate: 8000, channels: 2) == .unsupported(name: "AMR", reason: .channels(2))
        )
        #expect(
            Codec(encodingName: "AMR", clockRate: 8000, formatParameters: "crc=0; robust-sorting=0")
                == .amr(AMRFormat())
        )
    }

    // Proves clock rates a codec does not define are refused by name (Speex has three, L16 a plausible range).
    @Test func undefinedClockRatesAreRefused() {
        #expect(
            Codec(encodingName: "speex", clockRate: 11025) == .unsupported(name: "speex", reason: .clockRate(11025))
        )
        #expect(Codec(encodingName: "L16", clockRate: 0) == .unsupported(name: "L16", reason: .clockRate(0)))
        #expect(
            Codec(encodingName: "L16", clockRate: 8000, channels: 0) == .unsupported(name: "L16", reason: .channels(0))
        )
    }

    // Proves the RFC 3551 Table 4 static assignments, the historic G726-32 on payload type 2, and that dynamic
    // types are not guessed.
    @Test func staticPayloadTypes() {
        #expect(Codec.staticPayloadType(0) == .pcmu)
        #expect(Codec.staticPayloadType(2) == .g726(G726Format(rate: .kbps32, packing: .rfc3551)))
        #expect(Codec.staticPayloadType(3) == .gsm)
        #expect(Codec.staticPayloadType(8) == .pcma)
        #expect(Codec.staticPayloadType(9) == .g722)
        #expect(Codec.staticPayloadType(10) == .l16(L16Format(clockRate: 44100, channels: 2)))
        #expect(Codec.staticPayloadType(11) == .l16(L16Format(clockRate: 44100, channels: 1)))
        #expect(Codec.staticPayloadType(13) == .comfortNoise(clockRate: 8000))
        #expect(Codec.staticPayloadType(18) == .g729(G729Format(annexB: true)))
        #expect(Codec.staticPayloadType(4) == .unsupported(name: "G723", reason: .noDecoder))
        #expect(Codec.staticPayloadType(15) == .unsupported(name: "G728", reason: .noDecoder))
        for dynamic in [UInt8(1), 19, 20, 35, 96, 101, 127] {
            #expect(Codec.staticPayloadType(dynamic) == .unknown)
        }
    }

    // Proves the command line's --pt values: NAME[/CLOCK[/CHANNELS]][;PARAMETERS], defaults from the RFCs.
    @Test(arguments: [
        ("opus", Codec.opus(OpusFormat())),
        ("AMR-WB/16000;octet-align=1", .amrWideband(AMRFormat(octetAligned: true))),
        ("AMR;mode-set=7", .amr(AMRFormat(modeSet: [7]))),
        ("telephone-event", .telephoneEvent(clockRate: 8000)),
        ("PCMU", .pcmu),
        ("G722", .g722),
        ("AAL2-G726-32", .g726(G726Format(rate: .kbps32, packing: .aal2))),
        ("G729;annexb=no", .g729(G729Format(annexB: false))),
        ("speex/16000", .speex(SpeexFormat(band: .wideband))),
        ("L16/16000/2", .l16(L16Format(clockRate: 16000, channels: 2))),
        ("CN", .comfortNoise(clockRate: 8000)),
    ])
    func commandLineSpecification(_ text: String, _ codec: Codec) throws {
        #expect(try Codec(specification: text) == codec)
    }

    // Proves bad --pt values are refused with the code a CLI turns into a usage error, never guessed.
    @Test(arguments: [
        ("", PayloadFormatError.Code.invalidSpecification), ("opus/abc", .invalidSpecification),
        ("L16/8000/0", .invalidSpecification), ("PCMU/8000/1/9", .invalidSpecification), ("L16", .missingClockRate),
        ("iLBC", .unsupportedCodec), ("nonsense", .unsupportedCodec), ("AMR;interleaving=2", .unsupportedCodec),
        ("speex/44100", .unsupportedCodec),
    ])
    func badCommandLineSpecifications(_ text: String, _ code: PayloadFormatError.Code) {
        #expect(throws: PayloadFormatError.self) { try Codec(specification: text) }
        do {
            _ = try Codec(specification: text)
        } catch {
            #expect(error.code == code)
            #expect(!error.description.isEmpty)
        }
    }

    // Proves which codecs are audio and which make a call wideband (SPEC §3.8).
    @Test func audioAndWideband() {
        #expect(Codec.pcmu.isAudio && !Codec.pcmu.isWideband)
        #expect(Codec.g722.isWideband)
        #expect(Codec.amrWideband(AMRFormat()).isWideband && !Codec.amr(AMRFormat()).isWideband)
        #expect(Codec.opus(OpusFormat()).isWideband)
        #expect(
            Codec.speex(SpeexFormat(band: .wideband)).isWideband
                && !Codec.speex(SpeexFormat(band: .narrowband)).isWideband
        )
        #expect(Codec.l16(L16Format(clockRate: 8000)).isWideband == false)
        #expect(!Codec.telephoneEvent(clockRate: 8000).isAudio && !Codec.comfortNoise(clockRate: 8000).isAudio)
        #expect(!Codec.unknown.isAudio && !Codec.unsupported(name: "iLBC", reason: .noDecoder).isAudio)
        #expect(Depacketizer(codec: .telephoneEvent(clockRate: 8000)) == nil)
        #expect(Codec.opus(OpusFormat(senderStereo: true)).channels == 2)
        #expect(Codec.telephoneEvent(clockRate: 48000).isTelephoneEvent && !Codec.pcmu.isTelephoneEvent)
        #expect(
            Codec.comfortNoise(clockRate: 16000).isComfortNoise && !Codec.telephoneEvent(clockRate: 8000).isComfortNoise
        )
    }

    // Proves the fmtp reader: `;`-separated, case-insensitive names, spaces trimmed, lists of integers.
    @Test func formatParameters() {
        let parameters = FormatParameters(
            parsing: " Octet-Align=1 ; mode-set= 0, 2,5 ;0-16;useinbandfec=yes;bad-list=1,x"
        )
        #expect(parameters.flag("octet-align") == true)
        #expect(parameters.integers("mode-set") == [0, 2, 5])
        #expect(parameters["0-16"] == "")
        #expect(parameters.flag("useinbandfec") == true)
        #expect(parameters.integers("bad-list") == nil)
        #expect(parameters["absent"] == nil)
    }
}
