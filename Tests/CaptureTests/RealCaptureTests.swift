import Capture
import TestSupport
import Testing

/// One RTP stream as tshark 4.0.17 lists it in CHARACTERIZATION-tshark.txt.
struct ExpectedStream: Hashable, CustomStringConvertible {
    var source: String
    var sourcePort: UInt16
    var destination: String
    var destinationPort: UInt16
    var ssrc: UInt32
    var packets: Int

    var description: String {
        "\(source):\(sourcePort) → \(destination):\(destinationPort) ssrc \(hex(ssrc)) ×\(packets)"
    }
}

struct ExpectedCapture: CustomTestStringConvertible, Sendable {
    var path: String
    var linkType: String
    var packets: Int
    var sipMessages: Int
    var streams: [ExpectedStream]

    var testDescription: String { path }
}

extension ExpectedStream: Sendable {}

func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16, uppercase: true) }

/// Parses CHARACTERIZATION-tshark.txt (the `###` header line and the stream lines under it).
func loadCharacterization() throws -> [ExpectedCapture] {
    let text = String(decoding: try TestData.bytes("captures/CHARACTERIZATION-tshark.txt"), as: UTF8.self)
    var captures = [ExpectedCapture]()
    for line in text.split(separator: "\n") {
        if line.hasPrefix("### ") {
            let fields = line.dropFirst(4).split(separator: "|").map { $0.trimmingCharacters() }
            let path = String(fields[0].dropFirst(2))  // "./"
            let packets = Int(fields[4].dropFirst(5)) ?? -1  // "pkts="
            let sip = Int(fields[6].split(separator: "=").last ?? "") ?? -1  // "SIP msgs=N"
            captures.append(
                ExpectedCapture(path: path, linkType: fields[3], packets: packets, sipMessages: sip, streams: [])
            )
        } else if line.hasPrefix("  ") && !line.contains("RTP "), !captures.isEmpty {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count > 9, let ssrc = UInt32(columns[6].dropFirst(2), radix: 16) else { continue }
            // Columns: start end src sport dst dport SSRC payload… pkts lost … (payload may contain ", ").
            let packetsIndex = columns.firstIndex { $0.hasPrefix("(") }.map { $0 - 2 } ?? 0
            captures[captures.count - 1].streams.append(
                ExpectedStream(
                    source: String(columns[2]),
                    sourcePort: UInt16(columns[3])!,
                    destination: String(columns[4]),
                    destinationPort: UInt16(columns[5])!,
                    ssrc: ssrc,
                    packets: Int(columns[packetsIndex])!
                )
            )
        }
    }
    return captures
}

extension Substring {
    func trimmingCharacters() -> String {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}

let linkTypeNames: [String: LinkType] = [
    "Ethernet": .ethernet, "Linux cooked-mode capture v1": .linuxCooked, "Linux cooked-mode capture v2": .linuxCooked2,
]

@Suite("Real captures agree with tshark", .enabled(if: TestData.shouldRun))
struct RealCaptureTests {
    static let captures: [ExpectedCapture] = (try? loadCharacterization()) ?? []

    @Test("the characterization lists every capture")
    func characterizationLoaded() throws {
        // Proves the expectation table below is really read (20+ captures), so an empty list cannot pass.
        #expect(Self.captures.count >= 20)
    }

    /// Proves: each real capture reads without error, with tshark's packet count and link type, and the RTP
    /// streams (grouped by 5-tuple + SSRC of datagrams classified as RTP) equal tshark's list exactly.
    @Test("reader + decoder + classifier find tshark's RTP streams", arguments: captures)
    func streamsMatch(_ expected: ExpectedCapture) throws {
        let bytes = try TestData.bytes("captures/" + expected.path)
        let result = try readCapture(bytes, name: expected.path)
        #expect(result.reader.warnings.isEmpty, "\(result.reader.warnings)")
        #expect(result.frames.count == expected.packets)
        #expect(result.frames.first.map { $0.linkType } == linkTypeNames[expected.linkType])
        var found: [ExpectedStream: Int] = [:]
        var sipMessages = 0
        for datagram in decodeDatagrams(result.frames) {
            let kind = PayloadClassifier.classify(datagram)
            if kind == .sip {
                _ = try SIPMessage(parsing: datagram.payload)
                sipMessages += 1
            }
            guard case .rtp(let packet) = kind else { continue }
            let key = ExpectedStream(
                source: "\(datagram.source.address)",
                sourcePort: datagram.source.port,
                destination: "\(datagram.destination.address)",
                destinationPort: datagram.destination.port,
                ssrc: packet.ssrc,
                packets: 0
            )
            found[key, default: 0] += 1
        }
        #expect(sipMessages == expected.sipMessages)
        let streams = Set(
            found.map { key, count in
                var stream = key
                stream.packets = count
                return stream
            }
        )
        // tshark decodes into GTP-U (UDP 2152) and finds RTP-like flows of the mobile users inside; SPEC §2.2 and
        // the test data README say those are not ours: the decoder skips GTP-U G-PDUs as `.tunnel`.
        let insideGTPU: Set<UInt32> = [0x4010_0005, 0x6006_0002, 0x205E_9160]
        let wanted = Set(expected.streams.filter { !insideGTPU.contains($0.ssrc) })
        #expect(
            streams == wanted,
            "only ours: \(streams.subtracting(expected.streams)); only tshark's: \(wanted.subtracting(streams))"
        )
    }
}

@Suite("Real captures: details", .enabled(if: TestData.shouldRun))
struct RealCaptureDetailTests {
    /// Proves the SDP of a real call is read: SIP_DTMF2 is a delayed offer (INVITE without SDP; SDP in the 200 OK
    /// and the ACK) with PCMA and RFC 2833 events on dynamic PT 96.
    @Test("SIP_DTMF2: telephone-event learned from SDP")
    func sdpOfRealCall() throws {
        let result = try readCapture(try TestData.bytes("captures/wireshark-samples/SIP_DTMF2.pcap"))
        var maps: [UInt8: String] = [:]
        var invites = 0
        for datagram in decodeDatagrams(result.frames) where PayloadClassifier.classify(datagram) == .sip {
            let message = try SIPMessage(parsing: datagram.payload)
            if message.method == "INVITE" { invites += 1 }
            for media in message.sdp?.audio ?? [] {
                for (payloadType, map) in media.rtpMaps { maps[payloadType] = map.encodingName.lowercased() }
            }
        }
        #expect(invites == 3)
        #expect(maps[96] == "telephone-event")
        #expect(maps[8] == "pcma")
    }

    /// Proves G.722's SDP clock is read as written (8000, RFC 3551 §4.5.2), not as the 16 kHz audio rate.
    @Test("sip-rtp-g722: G722/8000 in SDP")
    func g722Clock() throws {
        let result = try readCapture(try TestData.bytes("captures/wireshark-samples/sip-rtp-g722.pcap"))
        var clock: Int?
        for datagram in decodeDatagrams(result.frames) where PayloadClassifier.classify(datagram) == .sip {
            if let map = try SIPMessage(parsing: datagram.payload).sdp?.audio.first?.rtpMap(for: 9) {
                clock = map.clockRate
            }
        }
        #expect(clock == 8000)
    }

    /// Proves GTP-U is skipped as a tunnel (its inner RTP is not ours) and VLAN/QinQ frames are decoded.
    @Test("ndpi: GTP-U skipped as tunnel, QinQ decoded")
    func gtpSkipped() throws {
        let result = try readCapture(try TestData.bytes("captures/ndpi/vlan_qinq_gtp_rtp_false_positives.pcapng"))
        var decoder = PacketDecoder()
        let datagrams = decodeDatagrams(result.frames, decoder: &decoder)
        #expect(decoder.counters.skipped[.tunnel, default: 0] > 50)
        #expect(datagrams.allSatisfy { $0.source.port != 2152 || PayloadClassifier.classify($0).category != .rtp })
    }

    /// Proves the fuzzed T.38 packets of the fax crash reproducer are never taken for RTP.
    @Test("fax crash: no RTP")
    func faxCrash() throws {
        let result = try readCapture(try TestData.bytes("captures/asterisk-testsuite/ast-2016-003-fax-crash.pcap"))
        let kinds = decodeDatagrams(result.frames).map { PayloadClassifier.classify($0).category }
        #expect(!kinds.isEmpty)
        #expect(!kinds.contains(.rtp))
    }

    /// Proves the RFC 2833 payloads of the sipp DTMF files parse, with the end bit on the last three packets.
    @Test("sipp dtmf_2833_5: events parse")
    func dtmfEvents() throws {
        let result = try readCapture(try TestData.bytes("captures/sipp/dtmf_2833_5.pcap"))
        var events = [TelephoneEvent]()
        for datagram in decodeDatagrams(result.frames) {
            if case .rtp(let packet) = PayloadClassifier.classify(datagram) {
                events.append(try TelephoneEvent(parsing: packet.payload))
            }
        }
        #expect(events.count == 10)
        #expect(events.allSatisfy { $0.symbol == "5" })
        #expect(events.filter(\.isEnd).count == 3)
    }
}
