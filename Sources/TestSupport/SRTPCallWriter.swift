public import Capture
import Foundation
public import SecureRTP

/// The SRTP captures of issue 15's acceptance, written with libsrtp2 itself: a synthesized call (see
/// `CallSynthesizer`) with each leg's media protected by its own sender, and the keys where a receiver would find
/// them — in the SDP (`RTP/SAVP` and `a=crypto`, each party's line keying the media it sends), in a key file only,
/// or nowhere.
///
/// `packets()` keeps the clear call's packets one for one, in the same order (SIP rewritten, media protected), so
/// a test can zip it with `call.packets()`; a duplicated packet is the same SRTP bytes twice, as on the wire.
///
/// ```swift
/// var writer = SRTPCallWriter(call: synth, senders: [.init(suite: .aes128HMACSHA1_80, seed: 1), .init(…)])
/// writer.senders[1].rolloverCounter = 1          // the callee's sequence number wrapped before the capture
/// let pcap = writer.capture()
/// ```
public struct SRTPCallWriter: Sendable {
    /// Where the receiver finds the keys.
    public enum KeyPlacement: Sendable, Hashable {
        /// `a=crypto` lines in the INVITE (caller's key) and the 200 OK (callee's key).
        case sdp
        /// Only in a key file (`keyFile()`); the SDP says `RTP/SAVP` without `a=crypto`.
        case keyFile
        /// Nowhere: the SDP says `RTP/SAVP`, nobody has the keys.
        case none
    }

    /// One leg's SRTP sender.
    public struct Sender: Sendable {
        public var suite: SRTPSuite
        /// Master key ‖ salt; several keys are told apart by MKI (`mkiLength`).
        public var keys: [SRTPMasterKey]
        /// The MKI length in bytes (key n has MKI value n + 1), or nil for none.
        public var mkiLength: Int?
        /// A lifetime written in the SDES line (`|2^31`).
        public var lifetime: UInt64?
        /// Which key protects the packets.
        public var keyIndex = 0
        /// The rollover counter of the first packet (1: the sequence number wrapped before the capture started).
        public var rolloverCounter: UInt32 = 0
        /// The n-th (0-based) media packet of the leg, in arrival order, gets the last byte of its tag flipped.
        public var corruptedPacket: Int?
        /// A re-key by re-INVITE: from the leg's n-th packet in sequence order on, `key` protects the media (the
        /// packet index continues), announced by a re-INVITE just before that packet is sent.
        public var rekey: (afterPacket: Int, key: SRTPMasterKey)?
        /// SRTCP sender reports once a second from the RTP port + 1, the first one just before the first packet,
        /// counting packets as if the sender had started at index 0.
        public var senderReports = false

        /// A sender with `count` keys of the suite's length drawn from `seed`.
        public init(suite: SRTPSuite, seed: UInt64, keyCount: Int = 1) {
            self.suite = suite
            var random = SplitMix64(seed: seed &* 0x5851_F42D_4C95_7F2D)
            keys = (0..<keyCount).map { _ in
                SRTPMasterKey(
                    bytes: (0..<suite.keyMaterialLength).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                )
            }
            if keyCount > 1 { mkiLength = 4 }
        }

        /// `a=crypto` lines offered before the real one (tags 1…n, other keys and suites), as an offer listing several
        /// choices does; the real line gets tag n + 1.
        public var decoyLines = 0

        /// SDES session parameters written on the line and honoured by the sender (`UNENCRYPTED_SRTP`,
        /// `UNENCRYPTED_SRTCP`, `UNAUTHENTICATED_SRTP`; RFC 4568 §6.3).
        public var sessionParameters: [String] = []

        /// The key material as a receiver gets it.
        public var material: SRTPKeyMaterial {
            var material = SRTPKeyMaterial(
                suite: suite,
                keys: keys.enumerated().map { index, key in
                    SRTPKeyParameter(
                        material: key,
                        lifetime: lifetime,
                        mki: mkiLength.flatMap { SRTPMasterKeyIdentifier(value: UInt64(index + 1), length: $0) }
                    )
                }
            )
            material.encryptsMedia = !sessionParameters.contains("UNENCRYPTED_SRTP")
            material.authenticatesMedia = !sessionParameters.contains("UNAUTHENTICATED_SRTP")
            material.encryptsControl = !sessionParameters.contains("UNENCRYPTED_SRTCP")
            return material
        }

        /// `a=crypto:1 SUITE inline:KEY|2^31|1:4;inline:…` (the key text is the point of this test line).
        func cryptoLine(tag: Int, keys: [SRTPMasterKey]? = nil) -> String {
            let params = (keys ?? self.keys).enumerated().map { index, key in
                var text = "inline:" + key.withUnsafeBytes { SRTPCallWriter.base64(Array($0)) }
                if let lifetime { text += "|\(lifetime)" }
                if let mkiLength { text += "|\(index + 1):\(mkiLength)" }
                return text
            }
            let decoys = (0..<decoyLines).map { index in
                let other = SRTPSuite.allCases[(index * 3 + 1) % SRTPSuite.allCases.count]
                let bytes = (0..<other.keyMaterialLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
                return "a=crypto:\(tag + index) \(other.rawValue) inline:\(SRTPCallWriter.base64(bytes))\r\n"
            }
            return decoys.joined()
                + (["a=crypto:\(tag + decoyLines) \(suite.rawValue) " + params.joined(separator: ";")]
                + sessionParameters)
                .joined(separator: " ")
        }
    }

    public var call: CallSynthesizer
    /// One sender per leg of `call`.
    public var senders: [Sender]
    public var placement: KeyPlacement = .sdp

    public init(call: CallSynthesizer, senders: [Sender], placement: KeyPlacement = .sdp) {
        self.call = call
        self.senders = senders
        self.placement = placement
    }

    /// The call's packets with the media protected and the SDP saying SRTP, in the clear call's order (plus a
    /// re-INVITE where a sender re-keys).
    public func packets() -> [SynthPacket] {
        let clear = call.packets()
        let protected = protectMedia(clear, from: 0)
        let packets = clear.indices.map { index in
            var packet = clear[index]
            if let bytes = protected[index] {
                packet.payload = bytes
            } else if packet.leg == nil {
                packet.payload = Self.rewriteSDP(packet.payload) { media in
                    guard let leg = call.legs.firstIndex(where: { $0.source == media }) else { return ("RTP/SAVP", []) }
                    return ("RTP/SAVP", placement == .sdp ? [senders[leg].cryptoLine(tag: 1)] : [])
                }
            }
            return packet
        }
        return insertSenderReports(insertReINVITEs(packets, clear: clear))
    }

    /// The SRTP call as a pcap.
    public func capture() -> [UInt8] {
        Self.capture(packets())
    }

    /// Packets as a pcap over Ethernet.
    public static func capture(_ packets: [SynthPacket]) -> [UInt8] {
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false))
        for packet in packets {
            writer.addUDP(
                timestamp: packet.arrival,
                source: packet.source,
                destination: packet.destination,
                payload: packet.payload
            )
        }
        return writer.finish()
    }

    /// The key file of SPEC §2.4 for the call: one entry per leg, scoped to the leg's source (first key only).
    public func keyFile(scopedBy scope: KeyFileScope = .source) -> [UInt8] {
        let entries = senders.indices.map { leg -> String in
            let sender = senders[leg]
            var fields: [String] = []
            if scope == .source || scope == .both { fields.append("\"source\": \"\(call.legs[leg].source)\"") }
            if scope == .ssrc || scope == .both {
                fields.append("\"ssrc\": \"0x\(String(call.legs[leg].ssrc, radix: 16))\"")
            }
            fields.append("\"suite\": \"\(sender.suite.rawValue)\"")
            let key = sender.keys[sender.keyIndex].withUnsafeBytes { Self.base64(Array($0)) }
            fields.append("\"key\": \"\(key)\"")
            return "  {" + fields.joined(separator: ", ") + "}"
        }
        return Array(("[\n" + entries.joined(separator: ",\n") + "\n]\n").utf8)
    }

    /// How key-file entries are scoped.
    public enum KeyFileScope: Sendable, Hashable {
        case source, ssrc, both, none
    }

    // MARK: Protection

    /// The SRTP bytes of every media packet of `packets` (by position), each leg's packets protected once each in
    /// sequence order per SSRC (duplicates share their original's bytes), skipping each leg's first `clearCount`
    /// packets (ZRTP sends its first media in the clear).
    func protectMedia(_ packets: [SynthPacket], from clearCount: Int) -> [Int: [UInt8]] {
        var result: [Int: [UInt8]] = [:]
        for leg in senders.indices where leg < call.legs.count {
            let positions = packets.indices.filter { packets[$0].leg == leg }
            var unique: [[UInt8]: (ssrc: UInt32, order: Int64)] = [:]
            for position in positions {
                let bytes = packets[position].payload
                guard bytes.count >= 12, unique[bytes] == nil else { continue }
                unique[bytes] = (Self.ssrc(bytes), Self.order(bytes, first: call.legs[leg].firstSequence))
            }
            var protectors: [UInt32: SRTPProtector] = [:]
            var protected: [[UInt8]: [UInt8]] = [:]
            let sender = senders[leg]
            let firstIndex = UInt64(sender.rolloverCounter) << 16 | UInt64(call.legs[leg].firstSequence)
            for (bytes, info) in unique.sorted(by: { ($0.value.ssrc, $0.value.order) < ($1.value.ssrc, $1.value.order) }
            ) {
                if let rekey = sender.rekey, info.ssrc == call.legs[leg].ssrc, info.order == Int64(rekey.afterPacket) {
                    // The packet index continues under the new key (RFC 4568 §7.1.4 keeps the SRTP stream).
                    let index = firstIndex + UInt64(info.order)
                    var material = sender.material
                    material.keys = [SRTPKeyParameter(material: rekey.key)]
                    protectors[info.ssrc] = try! SRTPProtector(
                        material: material,
                        ssrc: info.ssrc,
                        rolloverCounter: UInt32(index >> 16),
                        firstSequence: UInt16(index & 0xFFFF)
                    )
                }
                if protectors[info.ssrc] == nil {
                    let first = info.ssrc == call.legs[leg].ssrc
                    protectors[info.ssrc] = try! SRTPProtector(
                        material: sender.material,
                        ssrc: info.ssrc,
                        rolloverCounter: first ? sender.rolloverCounter : 0,
                        firstSequence: UInt16(truncatingIfNeeded: Int(bytes[2]) << 8 | Int(bytes[3])),
                        keyIndex: sender.keyIndex
                    )
                }
                protected[bytes] = try! protectors[info.ssrc]!.protect(bytes)
            }
            for (count, position) in positions.enumerated() where count >= clearCount {
                guard var bytes = protected[packets[position].payload] else { continue }
                if count == sender.corruptedPacket { bytes[bytes.count - 1] ^= 0x5A }
                result[position] = bytes
            }
        }
        return result
    }

    /// A re-INVITE from each re-keying leg's side, carrying its new key, 2 ms before the first packet it keys.
    private func insertReINVITEs(_ packets: [SynthPacket], clear: [SynthPacket]) -> [SynthPacket] {
        var packets = packets
        for leg in senders.indices where leg < call.legs.count {
            guard let rekey = senders[leg].rekey,
                let offer = clear.first(where: { packet in
                    packet.leg == nil
                        && String(decoding: packet.payload, as: UTF8.self).contains(
                            "m=audio \(call.legs[leg].source.port) "
                        )
                }),
                let first = clear.first(where: {
                    $0.leg == leg && Self.ssrc($0.payload) == call.legs[leg].ssrc
                        && Self.order($0.payload, first: call.legs[leg].firstSequence) == Int64(rekey.afterPacket)
                })
            else { continue }
            var text = String(decoding: offer.payload, as: UTF8.self)
            if text.hasPrefix("SIP/2.0"), let lineEnd = text.range(of: "\r\n") {
                text = "INVITE sip:alice@example.test SIP/2.0" + text[lineEnd.lowerBound...]
            }
            text = text.replacingOccurrences(of: "CSeq: 1 INVITE", with: "CSeq: 2 INVITE")
            var reINVITE = offer
            reINVITE.arrival = first.arrival - 2_000_000
            reINVITE.payload = Self.rewriteSDP(Array(text.utf8)) { _ in
                ("RTP/SAVP", placement == .sdp ? [senders[leg].cryptoLine(tag: 1, keys: [rekey.key])] : [])
            }
            let position = packets.firstIndex { $0.arrival > reINVITE.arrival } ?? packets.count
            packets.insert(reINVITE, at: position)
        }
        return packets
    }

    /// SRTCP sender reports (RFC 3550 §6.4.1) of the legs that send them, merged by arrival time.
    private func insertSenderReports(_ packets: [SynthPacket]) -> [SynthPacket] {
        var reports: [SynthPacket] = []
        for leg in senders.indices where leg < call.legs.count && senders[leg].senderReports {
            let synth = call.legs[leg]
            guard let first = packets.first(where: { $0.leg == leg }) else { continue }
            let protector = try! SRTPProtector(material: senders[leg].material, ssrc: synth.ssrc)
            let packetsPerSecond = 1000 / synth.ptimeMilliseconds
            let firstIndex = UInt64(senders[leg].rolloverCounter) << 16 | UInt64(synth.firstSequence)
            for second in 0..<max(1, Int(synth.durationSeconds)) {
                let count = UInt32(truncatingIfNeeded: firstIndex + UInt64(second * packetsPerSecond))
                var report: [UInt8] = [0x80, 200, 0, 6]
                for value in [synth.ssrc, 0xE000_0000 + UInt32(second), 0, synth.firstTimestamp, count, count &* 160] {
                    report += [
                        UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF),
                        UInt8(value & 0xFF),
                    ]
                }
                reports.append(
                    SynthPacket(
                        arrival: first.arrival - 1_000_000 + Int64(second) * 1_000_000_000,
                        source: Endpoint(address: synth.source.address, port: synth.source.port + 1),
                        destination: Endpoint(address: synth.destination.address, port: synth.destination.port + 1),
                        payload: try! protector.protectControl(report),
                        leg: nil
                    )
                )
            }
        }
        return (packets + reports).enumerated().sorted {
            ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset)
        }
        .map(\.element)
    }

    static func ssrc(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes[8]) << 24 | UInt32(bytes[9]) << 16 | UInt32(bytes[10]) << 8 | UInt32(bytes[11])
    }

    /// The packet's place in its sender's sequence: the sequence number unwrapped around the leg's first one.
    static func order(_ bytes: [UInt8], first: UInt16) -> Int64 {
        let sequence = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        return Int64(Int16(bitPattern: sequence &- first))
    }

    // MARK: SDP

    /// Rewrites the SDP body of a SIP message: each `m=` line's profile replaced, attribute lines added after it
    /// (by the media address the section announces), and Content-Length fixed.
    static func rewriteSDP(_ message: [UInt8], _ edit: (Endpoint) -> (profile: String, lines: [String])) -> [UInt8] {
        let text = String(decoding: message, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return message }
        var head = String(text[..<split.lowerBound])
        var address: IPAddress?
        var lines: [String] = []
        for line in text[split.upperBound...].components(separatedBy: "\r\n") {
            if line.hasPrefix("c=IN ") { address = IPAddress(String(line.split(separator: " ").last ?? "")) }
            guard line.hasPrefix("m="), let address else {
                lines.append(line)
                continue
            }
            var fields = line.split(separator: " ").map(String.init)
            let port = UInt16(fields[1]) ?? 0
            let (profile, extra) = edit(Endpoint(address: address, port: port))
            fields[2] = profile
            lines.append(fields.joined(separator: " "))
            lines += extra
        }
        let body = lines.joined(separator: "\r\n")
        if let length = head.range(of: "Content-Length: [0-9]+", options: .regularExpression) {
            head.replaceSubrange(length, with: "Content-Length: \(body.utf8.count)")
        }
        return Array((head + "\r\n\r\n" + body).utf8)
    }

    /// Base64 with padding (RFC 4648 §4).
    public static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let group = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int(group >> UInt32(18 - 6 * position) & 63)] : "=")
            }
            index += 3
        }
        return out
    }
}
