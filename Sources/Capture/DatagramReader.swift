/// A capture read straight to UDP datagrams: a `CaptureReader` feeding a `PacketDecoder`, push-based like the
/// reader (append bytes, pull datagrams), for pipelines that do not need the frames themselves. `nextPayload()`
/// also gives the SIP messages carried over TCP (`SIPStreamReassembler`); `next()` gives UDP only.
///
/// ```swift
/// var datagrams = DatagramReader(name: key)
/// for chunk in body {
///     try datagrams.append(chunk)
///     while let datagram = try datagrams.next() { … }
/// }
/// try datagrams.finish()
/// while let datagram = try datagrams.next() { … }
/// ```
public struct DatagramReader: Sendable {
    /// The container reader (format, warnings, bytes consumed).
    public private(set) var reader: CaptureReader
    /// The packet decoder (skip counters, reassembly state).
    public private(set) var decoder: PacketDecoder
    /// SIP over TCP, put back together (used by `nextPayload()` only).
    public private(set) var sipStreams: SIPStreamReassembler
    private var finished = false
    private var pendingMessages: [SIPStreamMessage] = []
    private var pendingIndex = 0

    public init(
        name: String,
        readerLimits: CaptureReader.Limits = CaptureReader.Limits(),
        decoderLimits: PacketDecoder.Limits = PacketDecoder.Limits(),
        sipStreamLimits: SIPStreamReassembler.Limits = SIPStreamReassembler.Limits()
    ) {
        reader = CaptureReader(name: name, limits: readerLimits)
        decoder = PacketDecoder(limits: decoderLimits)
        sipStreams = SIPStreamReassembler(limits: sipStreamLimits)
    }

    /// A reader whose input starts at `point` (`CaptureReader.resumePoint`), decoding afresh from there.
    public init(name: String, resumingAt point: CaptureReader.ResumePoint) {
        self.init(name: name)
        reader = CaptureReader(name: name, resumingAt: point)
    }

    /// Packet records the reader reads without decoding (`CaptureReader.passOver`): no datagram comes of them,
    /// and none of their fragments is held.
    public var passOver: CaptureReader.PassOver? {
        get { reader.passOver }
        set { reader.passOver = newValue }
    }

    public mutating func append(_ chunk: UnsafeRawBufferPointer) throws(CaptureError) { try reader.append(chunk) }

    public mutating func append(_ chunk: [UInt8]) throws(CaptureError) { try reader.append(chunk) }

    /// The next complete datagram, or nil when more bytes are needed (or, after `finish()`, at the end). TCP
    /// segments are counted as skipped.
    public mutating func next() throws(CaptureError) -> UDPDatagram? {
        while let frame = try reader.nextFrame() {
            switch decoder.decode(frame) {
            case .datagram(let datagram): return datagram
            case .segment: decoder.countSkipped(.tcp)
            case .pending, .skipped: break
            }
        }
        return nil
    }

    /// The next UDP datagram or SIP message reassembled from TCP, in capture order (a message when the segment
    /// completing it is read), or nil when more bytes are needed (or, after `finish()`, at the end). TCP
    /// segments that are not SIP are counted as skipped.
    public mutating func nextPayload() throws(CaptureError) -> TransportPayload? {
        while true {
            if pendingIndex < pendingMessages.count {
                pendingIndex += 1
                return .sip(pendingMessages[pendingIndex - 1])
            }
            pendingMessages.removeAll(keepingCapacity: true)
            pendingIndex = 0
            guard let frame = try reader.nextFrame() else { return nil }
            switch decoder.decode(frame) {
            case .datagram(let datagram):
                return .udp(datagram)
            case .segment(let segment):
                let (messages, isSIP) = sipStreams.add(segment)
                if !isSIP { decoder.countSkipped(.tcp) }
                pendingMessages = messages
            case .pending, .skipped:
                break
            }
        }
    }

    /// Marks the end of input (see `CaptureReader.finish()`); datagrams still held for reassembly are
    /// counted as expired once `next()` has returned nil.
    public mutating func finish() throws(CaptureError) {
        guard !finished else { return }
        finished = true
        try reader.finish()
    }

    /// Call after the last `next()` returned nil following `finish()`: drops incomplete fragments (counted).
    public mutating func close() {
        decoder.finish()
    }
}
