/// An SDP session description (RFC 8866), reduced to what recording needs: where each audio stream is
/// received, its payload types and their codecs, packetization and direction. Parsing is tolerant: unknown
/// or malformed lines are ignored.
public struct SDPSession: Sendable, Hashable {
    /// The `o=` line value (username, session id, version, network type, address type, address).
    public var origin: String?
    /// The session-level `c=` address.
    public var connectionAddress: IPAddress?
    /// Session-level direction attribute, when present.
    public var direction: SDPDirection?
    public var media: [SDPMedia]

    public init(parsing bytes: [UInt8]) {
        self.init(parsing: String(decoding: bytes, as: UTF8.self))
    }

    public init(parsing text: String) {
        origin = nil
        connectionAddress = nil
        direction = nil
        media = []
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine[...]
            guard line.count >= 2, line[line.index(after: line.startIndex)] == "=" else { continue }
            let type = line.first!
            let value = String(line.dropFirst(2))
            switch type {
            case "o":
                origin = value
            case "c":
                let address = Self.connectionAddress(value)
                if media.isEmpty {
                    connectionAddress = address
                } else {
                    media[media.count - 1].connectionAddress = address
                }
            case "m":
                if let description = SDPMedia(mediaLine: value) {
                    media.append(description)
                } else {
                    // Keep attribute lines of an unreadable m= section away from the previous one.
                    media.append(SDPMedia(media: "", port: 0, transport: "", formats: []))
                }
            case "a":
                if media.isEmpty {
                    if let parsed = SDPDirection(rawValue: value) { direction = parsed }
                } else {
                    media[media.count - 1].apply(attribute: value)
                }
            default:
                break
            }
        }
        media.removeAll { $0.media.isEmpty }
        for index in media.indices {
            if media[index].connectionAddress == nil { media[index].connectionAddress = connectionAddress }
            if media[index].direction == nil { media[index].direction = direction }
        }
    }

    /// The audio media sections.
    public var audio: [SDPMedia] { media.filter { $0.media == "audio" } }

    /// `IN IP4 192.0.2.1`, `IN IP6 2001:db8::1`, multicast `IN IP4 224.2.1.1/127` (TTL dropped).
    static func connectionAddress(_ value: String) -> IPAddress? {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[0] == "IN" else { return nil }
        let address = parts[2].split(separator: "/").first ?? parts[2]
        return IPAddress(address)
    }
}

/// A media direction attribute (RFC 8866 §6.7).
public enum SDPDirection: String, Sendable, Hashable {
    case sendrecv, sendonly, recvonly, inactive
}

/// An `a=rtpmap` entry (RFC 8866 §6.6): `PT encoding/clock[/channels]`.
public struct RTPMap: Sendable, Hashable {
    public var payloadType: UInt8
    /// As written (`PCMU`, `telephone-event`, `G722`); compare case-insensitively.
    public var encodingName: String
    /// The RTP clock rate (8000 for G.722 too, RFC 3551 §4.5.2).
    public var clockRate: Int
    public var channels: Int

    public init(payloadType: UInt8, encodingName: String, clockRate: Int, channels: Int = 1) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }
}

/// One `m=` section of an SDP body.
public struct SDPMedia: Sendable, Hashable {
    /// `audio`, `video`, `image` (T.38), …
    public var media: String
    public var port: UInt16
    /// `RTP/AVP`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`, `udptl`, …
    public var transport: String
    /// The payload types listed on the m= line, in preference order (non-numeric formats are dropped).
    public var formats: [UInt8]
    /// The media-level `c=` address, or the session-level one when the section has none.
    public var connectionAddress: IPAddress?
    /// `a=rtpmap` entries by payload type.
    public var rtpMaps: [UInt8: RTPMap] = [:]
    /// `a=fmtp` parameters by payload type, as written.
    public var formatParameters: [UInt8: String] = [:]
    /// `a=ptime` in milliseconds.
    public var packetTime: Int?
    public var maxPacketTime: Int?
    /// The section's direction, or the session's, or nil (RFC 8866 says sendrecv is the default).
    public var direction: SDPDirection?
    /// `a=rtcp-mux` (RFC 5761).
    public var rtcpMux = false
    /// `a=rtcp:PORT` (RFC 3605).
    public var rtcpPort: UInt16?

    public init(media: String, port: UInt16, transport: String, formats: [UInt8]) {
        self.media = media
        self.port = port
        self.transport = transport
        self.formats = formats
    }

    /// `audio 49170[/2] RTP/AVP 0 8 101`.
    init?(mediaLine: String) {
        let parts = mediaLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 3, let port = UInt16(parts[1].split(separator: "/").first ?? "") else { return nil }
        self.init(
            media: String(parts[0]),
            port: port,
            transport: String(parts[2]),
            formats: parts.dropFirst(3).compactMap { UInt8($0) }.filter { $0 < 128 }
        )
    }

    mutating func apply(attribute: String) {
        let colon = attribute.firstIndex(of: ":")
        let name = colon.map { String(attribute[..<$0]) } ?? attribute
        let value = colon.map { attribute[attribute.index(after: $0)...].trimmed() } ?? ""
        switch name {
        case "rtpmap":
            // `96 telephone-event/8000`, `0 PCMU/8000`, `97 opus/48000/2`.
            let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, let payloadType = UInt8(parts[0]), payloadType < 128 else { return }
            let encoding = parts[1].split(separator: "/")
            guard encoding.count >= 2, let clock = Int(encoding[1].trimmed()), clock > 0 else { return }
            let channels = encoding.count >= 3 ? Int(encoding[2].trimmed()) ?? 1 : 1
            rtpMaps[payloadType] = RTPMap(
                payloadType: payloadType,
                encodingName: encoding[0].trimmed(),
                clockRate: clock,
                channels: channels
            )
        case "fmtp":
            let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, let payloadType = UInt8(parts[0]) { formatParameters[payloadType] = String(parts[1]) }
        case "ptime":
            packetTime = Int(value.split(separator: ".").first ?? "")
        case "maxptime":
            maxPacketTime = Int(value.split(separator: ".").first ?? "")
        case "sendrecv", "sendonly", "recvonly", "inactive":
            direction = SDPDirection(rawValue: name)
        case "rtcp-mux":
            rtcpMux = true
        case "rtcp":
            rtcpPort = UInt16(value.split(separator: " ").first ?? "")
        default:
            break
        }
    }

    /// The codec of a payload type: the rtpmap entry, else the RFC 3551 static assignment (0 PCMU, 8 PCMA,
    /// 9 G722, 13 CN, 18 G729, …), else nil.
    public func rtpMap(for payloadType: UInt8) -> RTPMap? {
        rtpMaps[payloadType] ?? RTPMap.staticPayloadType(payloadType)
    }
}

extension RTPMap {
    /// RFC 3551 Table 4 static audio payload types.
    public static func staticPayloadType(_ payloadType: UInt8) -> RTPMap? {
        let table: [UInt8: (String, Int)] = [
            0: ("PCMU", 8000), 3: ("GSM", 8000), 4: ("G723", 8000), 5: ("DVI4", 8000), 6: ("DVI4", 16000),
            7: ("LPC", 8000), 8: ("PCMA", 8000), 9: ("G722", 8000), 10: ("L16", 44100), 11: ("L16", 44100),
            12: ("QCELP", 8000), 13: ("CN", 8000), 14: ("MPA", 90000), 15: ("G728", 8000), 16: ("DVI4", 11025),
            17: ("DVI4", 22050), 18: ("G729", 8000),
        ]
        guard let (name, clock) = table[payloadType] else { return nil }
        return RTPMap(
            payloadType: payloadType,
            encodingName: name,
            clockRate: clock,
            channels: payloadType == 10 ? 2 : 1
        )
    }
}
