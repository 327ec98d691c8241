import Capture
import TestSupport

/// Everything a capture yields, read through `CaptureReader` in chunks of `chunkSize` bytes.
struct ReadResult {
    var frames: [LinkFrame]
    var reader: CaptureReader
}

func readCapture(
    _ bytes: [UInt8],
    name: String = "test.pcap",
    chunkSize: Int = 65_536,
    limits: CaptureReader.Limits = CaptureReader.Limits()
) throws(CaptureError) -> ReadResult {
    var reader = CaptureReader(name: name, limits: limits)
    var frames = [LinkFrame]()
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + chunkSize)
        try reader.append(Array(bytes[offset..<end]))
        while let frame = try reader.nextFrame() { frames.append(frame) }
        offset = end
    }
    try reader.finish()
    while let frame = try reader.nextFrame() { frames.append(frame) }
    return ReadResult(frames: frames, reader: reader)
}

/// The datagrams of a list of frames, through one `PacketDecoder`.
func decodeDatagrams(_ frames: [LinkFrame], decoder: inout PacketDecoder) -> [UDPDatagram] {
    var datagrams = [UDPDatagram]()
    for frame in frames {
        if case .datagram(let datagram) = decoder.decode(frame) { datagrams.append(datagram) }
    }
    decoder.finish()
    return datagrams
}

func decodeDatagrams(_ frames: [LinkFrame]) -> [UDPDatagram] {
    var decoder = PacketDecoder()
    return decodeDatagrams(frames, decoder: &decoder)
}

/// A comparable summary of a frame (equal frames from different chunkings must compare equal).
struct FrameSummary: Hashable {
    var timestamp: Int64
    var linkType: UInt32
    var data: [UInt8]
    var originalLength: Int
    var packetNumber: Int
    var byteOffset: Int
    var interfaceIndex: Int

    init(_ frame: LinkFrame) {
        timestamp = frame.timestamp
        linkType = frame.linkType.rawValue
        data = frame.data
        originalLength = frame.originalLength
        packetNumber = frame.packetNumber
        byteOffset = frame.byteOffset
        interfaceIndex = frame.interfaceIndex
    }
}

let alice = Endpoint(address: IPAddress("192.0.2.10")!, port: 40_000)
let bob = Endpoint(address: IPAddress("198.51.100.20")!, port: 50_000)
let alice6 = Endpoint(address: IPAddress("2001:db8::a")!, port: 40_002)
let bob6 = Endpoint(address: IPAddress("2001:db8:1::b")!, port: 50_002)

/// A PCMU-looking RTP packet.
func rtpPayload(sequence: UInt16, ssrc: UInt32 = 0xCAFE_F00D, size: Int = 160) -> [UInt8] {
    RTPPacketBuilder(
        payloadType: 0,
        sequenceNumber: sequence,
        timestamp: UInt32(sequence) * 160,
        ssrc: ssrc,
        payload: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(sequence)) }
    ).bytes()
}
