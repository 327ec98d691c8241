public import Capture

/// The RTP streams of a capture and the SDP that announces them, read with Capture's `DatagramReader` and
/// `PayloadClassifier`: how the payload-format and codec tests look at real captures.
public struct CaptureRTPStreams: Sendable {
    /// One RTP packet, in capture order.
    public struct Packet: Sendable, Hashable {
        public var sequenceNumber: UInt16
        public var timestamp: UInt32
        public var marker: Bool
        public var payloadType: UInt8
        public var payload: [UInt8]
    }

    /// The packets of one SSRC from one source to one destination.
    public struct Stream: Sendable {
        public var ssrc: UInt32
        public var source: Endpoint
        public var destination: Endpoint
        public var packets: [Packet]
    }

    /// An `a=rtpmap` of an SDP audio section, with the media endpoint it describes and its `a=fmtp` text.
    public struct Announcement: Sendable, Hashable {
        public var callID: String
        public var endpoint: Endpoint
        public var rtpMap: RTPMap
        public var formatParameters: String?
    }

    /// Streams in order of their first packet.
    public private(set) var streams: [Stream] = []
    /// Every audio rtpmap of every SDP body, in capture order.
    public private(set) var announcements: [Announcement] = []

    /// Reads a whole capture.
    public init(bytes: [UInt8], name: String) throws {
        var reader = DatagramReader(name: name)
        try reader.append(bytes)
        try reader.finish()
        var index: [String: Int] = [:]
        while let datagram = try reader.next() {
            switch PayloadClassifier.classify(datagram) {
            case .rtp(let packet):
                let key = "\(packet.ssrc) \(datagram.source) \(datagram.destination)"
                if index[key] == nil {
                    index[key] = streams.count
                    streams.append(
                        Stream(
                            ssrc: packet.ssrc,
                            source: datagram.source,
                            destination: datagram.destination,
                            packets: []
                        )
                    )
                }
                streams[index[key]!].packets.append(
                    Packet(
                        sequenceNumber: packet.sequenceNumber,
                        timestamp: packet.timestamp,
                        marker: packet.marker,
                        payloadType: packet.payloadType,
                        payload: Array(packet.payload)
                    )
                )
            case .sip:
                guard let message = try? SIPMessage(parsing: datagram.payload), !message.body.isEmpty else { continue }
                let session = SDPSession(parsing: message.body)
                for section in session.audio {
                    guard let address = section.connectionAddress ?? session.connectionAddress else { continue }
                    for (payloadType, map) in section.rtpMaps.sorted(by: { $0.key < $1.key }) {
                        announcements.append(
                            Announcement(
                                callID: message.callID ?? "",
                                endpoint: Endpoint(address: address, port: section.port),
                                rtpMap: map,
                                formatParameters: section.formatParameters[payloadType]
                            )
                        )
                    }
                }
            default:
                continue
            }
        }
    }

    /// Reads a capture from the shared test data.
    public static func read(_ relativePath: String) throws -> CaptureRTPStreams {
        try CaptureRTPStreams(bytes: TestData.bytes(relativePath), name: relativePath)
    }

    /// The rtpmap of a stream's payload type: from the SDP that names the stream's source (the sender's own
    /// offer or answer), else the one that names its destination; the last such SDP wins.
    public func announcement(for stream: Stream, payloadType: UInt8) -> Announcement? {
        let matching = announcements.filter { $0.rtpMap.payloadType == payloadType }
        return matching.last { $0.endpoint == stream.source } ?? matching.last { $0.endpoint == stream.destination }
    }
}
