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
        var sessionSecurity: [(name: String, value: String)] = []
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
                    if let attribute = SDPMedia.sessionLevelSecurity(value), sessionSecurity.count < 16 {
                        sessionSecurity.append(attribute)
                    }
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
            media[index].inheritSecurity(sessionSecurity)
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
