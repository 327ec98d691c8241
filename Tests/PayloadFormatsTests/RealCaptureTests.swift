import AudioCodecs
import PayloadFormats
import TestSupport
import Testing

/// Every RTP payload of the real captures in ../shared/testdata (README rows `sip-rtp-*`, `nesfit-codecs/*`), cut
/// with the codec their SDP gives.
@Suite("Real captures: every payload cut by its codec", .enabled(if: TestData.shouldRun))
struct RealCaptureTests {
    /// What cutting one stream gave.
    struct Tally: CustomStringConvertible {
        var codec: Codec
        var payloads = 0
        var fitting = 0
        var errors = 0
        var kinds: [CodecFrame.Kind: Int] = [:]
        /// Pairs of consecutive sequence numbers, and those whose timestamp step equals the first one's duration.
        var steps = 0
        var stepsMatching = 0
        var description: String {
            let frames = kinds.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
            return
                "\(codec)/\(codec.rtpClockRate): \(payloads) payloads, \(fitting) fit, \(errors) errors, frames: \(frames); "
                + "\(stepsMatching)/\(steps) timestamp steps equal the duration"
        }
    }

    /// Cuts every payload of `stream` (of its first payload type) as `codec`.
    static func tally(_ stream: CaptureRTPStreams.Stream, as codec: Codec) -> Tally {
        let depacketizer = Depacketizer(codec: codec)!
        var tally = Tally(codec: codec)
        let packets = stream.packets.filter { $0.payloadType == stream.packets[0].payloadType }
        var previous: (packet: CaptureRTPStreams.Packet, ticks: Int)?
        for packet in packets {
            tally.payloads += 1
            guard let cut = try? depacketizer.frames(of: packet.payload) else {
                tally.errors += 1
                previous = nil
                continue
            }
            if cut.duration.fitsCodec { tally.fitting += 1 }
            for frame in cut.frames { tally.kinds[frame.kind, default: 0] += 1 }
            if let previous, packet.sequenceNumber == previous.packet.sequenceNumber &+ 1 {
                tally.steps += 1
                if Int(packet.timestamp &- previous.packet.timestamp) == previous.ticks { tally.stepsMatching += 1 }
            }
            previous = (packet, cut.duration.ticks)
        }
        return tally
    }

    /// The streams of a capture, each with the codec the SDP announces for its payload type.
    static func streams(_ path: String) throws -> [(stream: CaptureRTPStreams.Stream, codec: Codec)] {
        let capture = try CaptureRTPStreams.read("captures/" + path)
        return capture.streams.compactMap { stream in
            guard stream.packets.count > 10,
                let map = capture.announcement(for: stream, payloadType: stream.packets[0].payloadType)
            else { return nil }
            let codec = Codec(
                encodingName: map.rtpMap.encodingName,
                clockRate: map.rtpMap.clockRate,
                channels: map.rtpMap.channels,
                formatParameters: map.formatParameters
            )
            return (stream, codec)
        }
    }

    /// Every payload fits, gives only `kinds`, and every timestamp step equals the payload's duration.
    static func expectClean(_ tally: Tally, kinds: Set<CodecFrame.Kind> = [.speech]) {
        print("payloads cut: \(tally)")
        #expect(tally.payloads > 100, "\(tally)")
        #expect(tally.fitting == tally.payloads, "\(tally)")
        #expect(tally.errors == 0, "\(tally)")
        #expect(Set(tally.kinds.keys).isSubset(of: kinds), "\(tally)")
        #expect(tally.steps > 100 && tally.stepsMatching == tally.steps, "\(tally)")
    }

    // Proves G.729 (PT 18, annexb=no): every payload is two 10-byte frames (20 ms), stepping 160 ticks; the one-way
    // call of sip-rtp-g729a and both directions of the desk-phone call codecs2-g729r8.
    @Test(arguments: [("wireshark-samples/sip-rtp-g729a.pcap", 1), ("nesfit-codecs/codecs2-g729r8.pcap", 2)])
    func g729(path: String, streamCount: Int) throws {
        let streams = try Self.streams(path)
        #expect(streams.count == streamCount)
        for (stream, codec) in streams {
            #expect(codec == .g729(G729Format(annexB: false)))
            let tally = Self.tally(stream, as: codec)
            Self.expectClean(tally)
            #expect(tally.kinds[.speech] == 2 * tally.payloads, "\(tally)")
        }
    }

    // Proves Opus (opus/48000/2 on PT 99): every payload is a valid RFC 6716 packet of 20 ms, stepping 960 ticks of
    // the 48 kHz clock, whatever its size (100 to 160 bytes, VBR).
    @Test func opus() throws {
        let streams = try Self.streams("wireshark-samples/sip-rtp-opus.pcap")
        #expect(streams.count == 1)
        for (stream, codec) in streams {
            #expect(codec == .opus(OpusFormat(inbandFEC: true)))
            Self.expectClean(Self.tally(stream, as: codec))
        }
    }

    // Proves GSM (PT 3): every payload is one 33-byte frame with its 0xD signature, stepping 160 ticks.
    @Test func gsm() throws {
        let streams = try Self.streams("wireshark-samples/sip-rtp-gsm.pcap")
        #expect(streams.count == 1)
        for (stream, codec) in streams {
            #expect(codec == .gsm)
            Self.expectClean(Self.tally(stream, as: codec))
        }
    }

    // Proves Speex at its three rates (three dialogs, speex/8000, /16000, /32000 on PT 99): walking the frames gives
    // one 20 ms frame per payload, 160, 320 and 640 ticks, each equal to the stream's timestamp step; and that the
    // clock rate matters: reading the wideband and ultra-wideband streams as narrowband still walks (the layers are
    // self-describing) but gives durations that do not match the steps.
    @Test func speex() throws {
        let streams = try Self.streams("wireshark-samples/sip-rtp-speex.pcap")
        let bands = streams.compactMap { entry -> SpeexFormat.Band? in
            if case .speex(let format) = entry.codec { return format.band }
            return nil
        }
        #expect(Set(bands) == Set(SpeexFormat.Band.allCases))
        for (stream, codec) in streams {
            Self.expectClean(Self.tally(stream, as: codec))
            if codec.rtpClockRate > 8000 {
                let misread = Self.tally(stream, as: .speex(SpeexFormat(band: .narrowband)))
                #expect(misread.stepsMatching == 0, "\(misread)")
            }
        }
    }

    // Proves AMR-WB octet-aligned (PT 123, octet-align=1), both directions: every payload is a CMR, one ToC entry and
    // one 23.85 kbit/s frame (62 bytes), well formed, stepping 320 ticks of the 16 kHz clock; and that reading the
    // same payloads as bandwidth-efficient makes none of them fit (so the fmtp's octet-align is what decodes them).
    @Test func amrWidebandOctetAligned() throws {
        let streams = try Self.streams("nesfit-codecs/codecs3-amr-wb.pcap")
        #expect(streams.count == 2)
        for (stream, codec) in streams {
            #expect(codec == .amrWideband(AMRFormat(octetAligned: true)))
            let tally = Self.tally(stream, as: codec)
            Self.expectClean(tally, kinds: [.speech, .silenceDescriptor, .noData])
            let first = try Depacketizer(codec: codec)!.frames(of: stream.packets[0].payload)
            let header = first.frames.first?.bytes.first ?? 0
            #expect(header == 0x44, "frame type 8 (23.85 kbit/s) and Q = 1: 0x44, found \(header)")
            let misread = Self.tally(stream, as: .amrWideband(AMRFormat(octetAligned: false)))
            #expect(misread.fitting == 0, "\(misread)")
        }
    }

    // Proves G.726 in eight dialogs (G726-16/24/32/40 and AAL2-G726-16/24/32/40 on PT 99): every payload is 20 ms of
    // codewords at its rate (40, 60, 80, 100 bytes), stepping 160 ticks; and that each dialog is in the packing its
    // SDP names. The eight carry the same recording: decoded in their own packing, each pair of twins (G726-k and
    // AAL2-G726-k) gives the same samples, and every rate correlates at 0.98 or more with the 40 kbit/s decode;
    // decoded in the other packing none does (24 and 40 kbit/s turn into loud noise; at 16 and 32 kbit/s, where
    // codewords do not cross octets, swapping them within each octet leaves a correlation near 0.6).
    @Test func g726BothPackings() throws {
        let streams = try Self.streams("wireshark-samples/sip-rtp-g726.pcap")
        var own: [String: [Int16]] = [:]
        var wrong: [String: [Int16]] = [:]
        for (stream, codec) in streams {
            guard case .g726(let format) = codec else {
                Issue.record("\(codec) is not G.726")
                continue
            }
            Self.expectClean(Self.tally(stream, as: codec))
            let payloads = stream.packets.map(\.payload)
            own[codec.description] = Self.decode(payloads, format)
            let other = G726Format(rate: format.rate, packing: format.packing == .aal2 ? .rfc3551 : .aal2)
            wrong[codec.description] = Self.decode(payloads, other)
        }
        #expect(own.count == 8, "\(own.keys.sorted())")
        let reference = try #require(own["G726-40"])
        for rate in G726Rate.allCases {
            let name = rate.description
            #expect(own[name] != nil && own[name] == own["AAL2-" + name], "\(name) and its AAL2 twin")
            for dialog in [name, "AAL2-" + name] {
                let right = Self.correlation(own[dialog] ?? [], reference)
                let swapped = Self.correlation(wrong[dialog] ?? [], reference)
                #expect(
                    right >= 0.98 && swapped < 0.75,
                    "\(dialog): correlation \(right) in its packing, \(swapped) in the other"
                )
            }
        }
    }

    /// Decodes a stream's payloads cut as `format`.
    static func decode(_ payloads: [[UInt8]], _ format: G726Format) -> [Int16] {
        let depacketizer = Depacketizer(codec: .g726(format))!
        var decoder = G726Decoder(rate: format.rate)
        var samples: [Int16] = []
        for payload in payloads {
            for frame in (try? depacketizer.frames(of: payload).frames) ?? [] {
                decoder.decode(frame, appendingTo: &samples)
            }
        }
        return samples
    }

    /// The normalized correlation of two signals over their common length.
    static func correlation(_ x: [Int16], _ y: [Int16]) -> Double {
        var products = 0.0
        var xx = 0.0
        var yy = 0.0
        for index in 0..<min(x.count, y.count) {
            let (a, b) = (Double(x[index]), Double(y[index]))
            products += a * b
            xx += a * a
            yy += b * b
        }
        return products / max((xx * yy).squareRoot(), 1)
    }
}
