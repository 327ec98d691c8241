/// A capture read straight to UDP datagrams: a `CaptureReader` feeding a `PacketDecoder`, push-based like the
/// reader (append bytes, pull datagrams), for pipelines that do not need the frames themselves.
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
    private var finished = false

    public init(
        name: String,
        readerLimits: CaptureReader.Limits = CaptureReader.Limits(),
        decoderLimits: PacketDecoder.Limits = PacketDecoder.Limits()
    ) {
        reader = CaptureReader(name: name, limits: readerLimits)
        decoder = PacketDecoder(limits: decoderLimits)
    }

    public mutating func append(_ chunk: UnsafeRawBufferPointer) throws(CaptureError) { try reader.append(chunk) }

    public mutating func append(_ chunk: [UInt8]) throws(CaptureError) { try reader.append(chunk) }

    /// The next complete datagram, or nil when more bytes are needed (or, after `finish()`, at the end).
    public mutating func next() throws(CaptureError) -> UDPDatagram? {
        while let frame = try reader.nextFrame() {
            if case .datagram(let datagram) = decoder.decode(frame) { return datagram }
        }
        return nil
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
