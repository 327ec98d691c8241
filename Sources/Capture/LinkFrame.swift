/// One captured frame as the container holds it: link-layer bytes plus capture metadata.
public struct LinkFrame: Sendable {
    /// Capture time in nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// The frame's link-layer header type (per interface in pcapng).
    public var linkType: LinkType
    /// The captured bytes (`capturedLength` of them).
    public var data: [UInt8]
    /// The frame's length on the wire; more than `capturedLength` when the snaplen cut it.
    public var originalLength: Int
    /// The 1-based record number in the file, counting only packet records (as Wireshark numbers frames).
    public var packetNumber: Int
    /// Offset of the record in the (decompressed) capture stream.
    public var byteOffset: Int
    /// The pcapng interface the frame was captured on (0 for pcap and rtpdump).
    public var interfaceIndex: Int

    public init(
        timestamp: Int64,
        linkType: LinkType,
        data: [UInt8],
        originalLength: Int,
        packetNumber: Int,
        byteOffset: Int,
        interfaceIndex: Int = 0
    ) {
        self.timestamp = timestamp
        self.linkType = linkType
        self.data = data
        self.originalLength = originalLength
        self.packetNumber = packetNumber
        self.byteOffset = byteOffset
        self.interfaceIndex = interfaceIndex
    }

    /// The number of bytes captured.
    public var capturedLength: Int { data.count }

    /// True when the capture holds less of the frame than was on the wire.
    public var isTruncated: Bool { originalLength > data.count }
}
