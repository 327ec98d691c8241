import Capture
import FoundationEssentials
import TestSupport

/// `FuzzSeeds DIR`: writes the seed corpora of the fuzz targets into `DIR/capture`, `DIR/signalling`,
/// `DIR/s3xml` and `DIR/srtp` — small captures from the project's own writer (every container and link type, SIP,
/// IPv6, VLANs, fragments, gzip-compressed with every strategy and header field of the test writer), the
/// RTP/RTCP/SIP/SDP payloads inside them, the starts of the real
/// captures in ../shared/testdata with their SIP text, and S3 XML documents. Seeds stay small (≤ 32 KiB) so that
/// each fuzz run is fast.
@main
enum FuzzSeeds {
    static let seedLimit = 32 << 10

    static func main() throws {
        guard CommandLine.arguments.count == 2 else {
            print("usage: FuzzSeeds DIR")
            return
        }
        let root = URL(fileURLWithPath: CommandLine.arguments[1])
        var seeds = Seeds(root: root)
        syntheticCaptures(&seeds)
        realCaptures(&seeds)
        signalling(&seeds)
        s3Documents(&seeds)
        srtp(&seeds)
        try seeds.write()
        for (corpus, count) in seeds.counts.sorted(by: { $0.key < $1.key }) { print("\(corpus): \(count) seeds") }
    }

    struct Seeds {
        let root: URL
        var files: [(corpus: String, name: String, bytes: [UInt8])] = []
        var counts: [String: Int] = [:]

        mutating func add(_ corpus: String, _ name: String, _ bytes: [UInt8]) {
            files.append((corpus, name, Array(bytes.prefix(FuzzSeeds.seedLimit))))
            counts[corpus, default: 0] += 1
        }

        func write() throws {
            for (corpus, name, bytes) in files {
                let folder = root.appendingPathComponent(corpus)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(bytes).write(to: folder.appendingPathComponent("seed-" + name))
            }
        }
    }

    static let alice = Endpoint(address: IPAddress(ipv4: 192, 0, 2, 10), port: 40_000)
    static let bob = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 20), port: 50_000)

    /// A short two-way call (with SIP, DTMF, loss and an SSRC change) for the synthesizer.
    static func call(_ codecs: (SynthCodec, SynthCodec), ipv6: Bool = false, sip: Bool = true) -> CallSynthesizer {
        let a = ipv6 ? Endpoint(address: IPAddress("2001:db8::a")!, port: 40_000) : alice
        let b = ipv6 ? Endpoint(address: IPAddress("2001:db8::b")!, port: 50_000) : bob
        var first = SynthLeg(codec: codecs.0, source: a, destination: b)
        first.durationSeconds = 0.3
        first.dtmf = [(code: 5, startMilliseconds: 100, durationMilliseconds: 80)]
        first.lossBursts = [(first: 4, count: 2)]
        var second = SynthLeg(codec: codecs.1, source: b, destination: a)
        second.durationSeconds = 0.3
        second.ssrc = 0x2222_2222
        second.ssrcChangeAfterPackets = 8
        second.reorderProbability = 0.2
        second.duplicateProbability = 0.1
        second.seed = 2
        var synth = CallSynthesizer(legs: [first, second])
        synth.withSIP = sip
        return synth
    }

    /// The call's SIP over one TCP connection (a SYN each way, the messages cut across segments), its media
    /// over UDP.
    static func sipOverTCP() -> [UInt8] {
        let synth = call((.pcmu, .pcmu))
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false))
        var up = TCPStreamWriter(
            source: Endpoint(address: alice.address, port: 5060),
            destination: Endpoint(address: bob.address, port: 5060),
            initialSequence: 100
        )
        var down = TCPStreamWriter(source: up.destination, destination: up.source, initialSequence: 9_000)
        let packets = synth.packets()
        up.connect(into: &writer, at: synth.startTime - 300_000_000)
        down.connect(into: &writer, at: synth.startTime - 299_000_000)
        for packet in packets {
            if packet.leg != nil {
                writer.addUDP(
                    timestamp: packet.arrival,
                    source: packet.source,
                    destination: packet.destination,
                    payload: packet.payload
                )
            } else if packet.source.address == alice.address {
                up.send(packet.payload, cutInto: [64, 200], at: packet.arrival, into: &writer)
            } else {
                down.send(packet.payload, cutInto: [300], at: packet.arrival, into: &writer)
            }
        }
        return writer.finish()
    }

    static func syntheticCaptures(_ seeds: inout Seeds) {
        for container in CallSynthesizer.Container.allCases {
            for gzip in [false, true] {
                let bytes = call((.pcmu, .g722)).capture(container: container, gzip: gzip)
                seeds.add("capture", "synth-\(container)\(gzip ? "-gz" : "")", bytes)
            }
        }
        seeds.add("capture", "synth-pcma-ipv6.pcapng", call((.pcma, .pcma), ipv6: true).capture(container: .pcapng))
        seeds.add("capture", "synth-sip-over-tcp.pcap", sipOverTCP())
        // Every link type, both pcap byte orders and resolutions, and pcapng's three packet blocks.
        let links: [LinkType] = [.ethernet, .null, .raw, .rawBSD, .loop, .linuxCooked, .linuxCooked2, .ipv4, .ipv6]
        let packets = call((.pcmu, .pcma), sip: false).packets().prefix(6)
        for link in links {
            for (index, format) in [
                CaptureWriter.Format.pcap(nanoseconds: false, bigEndian: false),
                .pcap(nanoseconds: true, bigEndian: true),
                .pcapng(bigEndian: false),
            ].enumerated() {
                var writer = CaptureWriter(format: format, linkType: link)
                let v6 = link == .ipv6
                for (number, packet) in packets.enumerated() {
                    let block: CaptureWriter.PacketBlock =
                        index == 2 ? [.enhanced, .simple, .obsolete][number % 3] : .enhanced
                    writer.addUDP(
                        timestamp: packet.arrival,
                        source: v6 ? Endpoint(address: IPAddress("2001:db8::a")!, port: 40_000) : packet.source,
                        destination: v6 ? Endpoint(address: IPAddress("2001:db8::b")!, port: 50_000) : bob,
                        payload: packet.payload,
                        block: block
                    )
                }
                seeds.add("capture", "link\(link.rawValue)-\(index)", writer.finish())
            }
        }
        // VLAN stacks, IPv4 options, IPv6 extension headers, fragments, several interfaces and sections.
        var writer = CaptureWriter(format: .pcapng(bigEndian: true), resolution: .binary(20))
        let second = writer.addInterface(.init(linkType: .linuxCooked, resolution: .decimal(9), offsetSeconds: 7))
        for (number, packet) in packets.enumerated() {
            writer.addUDP(
                timestamp: packet.arrival,
                source: packet.source,
                destination: packet.destination,
                payload: packet.payload,
                interface: number % 2 == 0 ? 0 : second,
                vlanTags: number % 2 == 0 ? [.service(100), .customer(200)] : [],
                ipv4Options: number == 2 ? [1, 1, 1, 0] : []
            )
        }
        writer.addUDPFragments(
            timestamp: 1_000_000_000,
            source: alice,
            destination: bob,
            payload: RTPPacketBytes.make(
                payloadType: 0,
                marker: false,
                sequence: 9,
                timestamp: 800,
                ssrc: 7,
                payload: [UInt8](repeating: 0xFF, count: 400)
            ),
            count: 3,
            order: [2, 0, 1]
        )
        writer.startSection(bigEndian: false)
        writer.addInterface(.init(linkType: .raw))
        writer.addUDP(
            timestamp: 2_000_000_000,
            source: Endpoint(address: IPAddress("2001:db8::a")!, port: 40_000),
            destination: Endpoint(address: IPAddress("2001:db8::b")!, port: 50_000),
            payload: packets.first?.payload ?? [],
            ipv6ExtensionHeaders: [
                .hopByHop(options: [1, 4, 0, 0, 0, 0]), .destinationOptions(options: [1, 4, 0, 0, 0, 0]),
            ]
        )
        seeds.add("capture", "pcapng-mixed", writer.finish())
    }

    static let realCaptureFiles = [
        "wireshark-samples/MagicJack_short_call.pcap", "wireshark-samples/SIP_DTMF2.pcap",
        "wireshark-samples/sip-rtp-g722.pcap", "wireshark-samples/sip-rtp-g729a.pcap",
        "asterisk-testsuite/40msalaw.pcap", "asterisk-testsuite/CARRIER_G711U.pcap",
        "asterisk-testsuite/dtmf_2833_1_noend.pcap", "asterisk-testsuite/ast-2016-003-fax-crash.pcap",
        "asterisk-testsuite/ssrc1.pcap", "asterisk-testsuite/ssrc2.pcap",
        "projectrtp/ivr_dtmf_issue_9_1_9_9_3.pcap", "projectrtp/dtmfcapture1.pcap",
        "ndpi/vlan_qinq_gtp_rtp_false_positives.pcapng", "sipp/g711a.pcap", "sipp/dtmf_2833_5.pcap",
    ]

    /// The first 32 KiB of each real capture, and every SIP message and a few RTP payloads found in them.
    static func realCaptures(_ seeds: inout Seeds) {
        for path in realCaptureFiles {
            guard let bytes = try? TestData.bytes("captures/" + path) else {
                print("skipping \(path): \(TestData.missingNote)")
                continue
            }
            let name = path.split(separator: "/").last.map(String.init) ?? path
            seeds.add("capture", "real-" + name, bytes)
            var reader = DatagramReader(name: name)
            var sip = 0
            var rtp = 0
            do {
                try reader.append(bytes)
                try reader.finish()
                while let datagram = try reader.next() {
                    switch PayloadClassifier.classify(datagram) {
                    case .sip where sip < 12:
                        seeds.add("signalling", "sip-\(name)-\(sip)", datagram.payload)
                        sip += 1
                    case .rtp where rtp < 3, .rtcp where rtp < 3:
                        seeds.add("signalling", "rtp-\(name)-\(rtp)", datagram.payload)
                        rtp += 1
                    default: break
                    }
                }
            } catch {
                print("\(path): \(error)")
            }
        }
    }

    static func signalling(_ seeds: inout Seeds) {
        var packet = RTPPacketBuilder(payloadType: 96, csrcs: [1, 2], paddingLength: 4, payload: [1, 2, 3, 4])
        packet.oneByteExtension([(id: 1, data: [0xAA]), (id: 14, data: [1, 2, 3])])
        seeds.add("signalling", "rtp-one-byte-ext", packet.bytes())
        packet.twoByteExtension([(id: 200, data: []), (id: 3, data: [9, 9])], appBits: 5)
        seeds.add("signalling", "rtp-two-byte-ext", packet.bytes())
        seeds.add(
            "signalling",
            "telephone-event",
            RTPPacketBuilder(payloadType: 101, payload: [5, 0x8A, 3, 0x20]).bytes()
        )
        seeds.add("signalling", "comfort-noise", RTPPacketBuilder(payloadType: 13, payload: [40, 1, 2, 3]).bytes())
        // RTCP SR + SDES (RFC 3550 §6.4.1, §6.5), STUN binding request (RFC 5389 §6), a DTLS record, keep-alive.
        seeds.add(
            "signalling",
            "rtcp-sr",
            [0x80, 200, 0, 6, 0, 0, 0, 7] + [UInt8](repeating: 1, count: 20) + [
                0x81, 202, 0, 2, 0, 0, 0, 7, 1, 1, 65, 0,
            ]
        )
        seeds.add(
            "signalling",
            "stun",
            [0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 7, count: 12)
        )
        seeds.add("signalling", "dtls", [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4])
        seeds.add("signalling", "keepalive", [0, 0, 0, 0])
        for (number, synthPacket) in call((.pcmu, .g722)).packets().filter({ $0.leg == nil }).enumerated() {
            seeds.add("signalling", "synth-sip-\(number)", synthPacket.payload)
        }
        let sdp = """
            v=0\r
            o=- 1 2 IN IP6 2001:db8::1\r
            s=-\r
            c=IN IP6 2001:db8::1\r
            t=0 0\r
            m=audio 4000 RTP/AVP 0 8 9 96 101 13\r
            a=rtpmap:96 opus/48000/2\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-16\r
            a=ptime:20\r
            a=maxptime:40\r
            a=rtcp:4001 IN IP6 2001:db8::1\r
            a=rtcp-mux\r
            a=sendrecv\r
            m=video 0 RTP/AVP 31\r

            """
        seeds.add("signalling", "sdp", Array(sdp.utf8))
    }

    static func s3Documents(_ seeds: inout Seeds) {
        let documents = [
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>\
            <Key>a&amp;b &#x263A; &#65;</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId><![CDATA[x]]></HostId></Error>
            """,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- comment --><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
            <Name>bucket</Name><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>k</Key>\
            <Size>5</Size><ETag>&quot;abc&quot;</ETag></Contents><Empty/></ListBucketResult>
            """,
            """
            <InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE</UploadId>\
            </InitiateMultipartUploadResult>
            """,
            """
            <?xml version="1.0"?><CompleteMultipartUploadResult><Location>http://b/k</Location>\
            <ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag></CompleteMultipartUploadResult>
            """,
            "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
            "<Response><Errors><Error><Code>AccessDenied</Code></Error></Errors><RequestID>r</RequestID></Response>",
        ]
        for (number, document) in documents.enumerated() {
            seeds.add("s3xml", "doc-\(number)", Array(document.utf8))
        }
        // Compressed captures for FuzzCapture, which reads them through zlib as the pipeline does: every strategy
        // and header field of the test writer, two members, trailing bytes, and a small bomb of zeros.
        let capture = call((.pcmu, .g722)).capture(container: .pcap)
        let half = capture.count / 2
        seeds.add("capture", "gzip-stored", GzipWriter.compress(capture, strategy: .stored(blockSize: 100)))
        seeds.add(
            "capture",
            "gzip-header-fields",
            GzipWriter.compress(
                capture,
                header: GzipWriter.Header(fileName: "a.pcap", comment: "c", extra: [1, 2, 3, 4], headerCRC: true)
            )
        )
        seeds.add(
            "capture",
            "gzip-two-members",
            GzipWriter.compress(Array(capture[..<half])) + GzipWriter.compress(Array(capture[half...]))
        )
        seeds.add("capture", "gzip-trailing", GzipWriter.compress(capture) + [0, 0, 0, 0])
        seeds.add(
            "capture",
            "gzip-zeros",
            GzipWriter.compress(Array(capture.prefix(24)) + [UInt8](repeating: 0, count: 200_000))
        )
    }
}
