/// Reads a capture incrementally: push bytes as they arrive (a file read loop, an S3 GET body), pull frames.
///
/// The container is detected from its magic bytes: pcap (µs/ns, either byte order), pcapng, rtpdump. Only the
/// unparsed tail and one record are held, so memory does not grow with the capture. The reader takes plain
/// captures: a gzip-compressed one is inflated before it (the Transcoder's feed does that with zlib, keeping this
/// target free of C), and is refused here with an error that says so.
///
/// ```swift
/// var reader = CaptureReader(name: key)
/// for chunk in body {
///     try reader.append(chunk)
///     while let frame = try reader.nextFrame() { … }
/// }
/// try reader.finish()
/// while let frame = try reader.nextFrame() { … }   // frames completed by the end of input
/// ```
public struct CaptureReader: Sendable {
    /// Sanity bounds: announced sizes beyond these are errors, never allocations.
    public struct Limits: Sendable, Hashable {
        /// A pcap record may hold up to max(snaplen, this) bytes (256 KiB covers GRO/TSO super-packets).
        public var minimumRecordBound: Int
        /// Absolute ceiling for a record or block, whatever the snaplen says.
        public var maximumRecordBytes: Int

        public init(minimumRecordBound: Int = 256 << 10, maximumRecordBytes: Int = 16 << 20) {
            self.minimumRecordBound = minimumRecordBound
            self.maximumRecordBytes = maximumRecordBytes
        }
    }

    /// The input's name, used only in errors and warnings.
    public let name: String
    public let limits: Limits
    /// The container, once its magic bytes were seen.
    public private(set) var format: CaptureFormat?
    /// Problems that did not stop the reading (the file ends mid-record, …).
    public private(set) var warnings: [CaptureWarning] = []
    /// Packet records read so far.
    public private(set) var packetCount = 0

    var buffer: [UInt8] = []
    var head = 0
    /// Bytes dropped from the front of `buffer`, so `base + head` is the absolute offset.
    var base = 0
    var container = Container.undetected
    private var inputEnded = false
    private var concluded = false
    private var queued: [LinkFrame] = []
    private var queuedIndex = 0
    private var rawBytesSeen = 0

    enum Container: Sendable {
        case undetected
        case pcap(PcapState)
        case pcapng(PcapngState)
        case rtpdump(RtpdumpState)
    }

    enum Step {
        case frame(LinkFrame)
        /// A packet record read and counted but not handed out (``passOver``).
        case passedOver(packetNumber: Int)
        /// A non-packet record (pcapng SHB, IDB, unknown block) was consumed.
        case consumed
        case needMore
    }

    /// Packet records that are read (framing checked, counted) but not handed out, their bytes never copied.
    public struct PassOver: Sendable {
        /// Records numbered below this one…
        public var before: Int
        /// …captured at or before this time (ns since the Unix epoch).
        public var until: Int64

        public init(before: Int, until: Int64) {
            self.before = before
            self.until = until
        }
    }

    /// Records to pass over (pass 2 of one call of many skipping what cannot matter to it); nil: none.
    public var passOver: PassOver?

    /// A packet record: `make` it into the frame handed out, or pass it over (``passOver``).
    func packetRecord(_ packetNumber: Int, timestamp: Int64, _ make: () -> LinkFrame) -> Step {
        if let passOver, packetNumber < passOver.before, timestamp <= passOver.until {
            return .passedOver(packetNumber: packetNumber)
        }
        return .frame(make())
    }

    public init(name: String, limits: Limits = Limits()) {
        self.name = name
        self.limits = limits
    }

    /// A place between two records where reading can start again: the offset of the next record and what the
    /// records before it told (the container, its byte order, interfaces, the records counted).
    public struct ResumePoint: Sendable {
        /// Where the next record starts in the capture.
        public let offset: Int
        /// Packet records before it.
        public let packetCount: Int
        let format: CaptureFormat?
        let container: Container
    }

    /// Where the reader stands now, if reading could start again here: between records, the container known,
    /// nothing queued by `finish()`.
    public var resumePoint: ResumePoint? {
        guard !inputEnded, queued.isEmpty else { return nil }
        switch container {
        case .undetected: return nil
        case .pcap(let state) where !state.headerRead: return nil
        case .pcapng(let state) where state.sections == 0: return nil
        case .rtpdump(let state) where state.start == nil: return nil
        default:
            return ResumePoint(offset: bytesConsumed, packetCount: packetCount, format: format, container: container)
        }
    }

    /// A reader that starts at `point`: its input begins with the bytes of the capture from `point.offset` on.
    public init(name: String, limits: Limits = Limits(), resumingAt point: ResumePoint) {
        self.init(name: name, limits: limits)
        format = point.format
        container = point.container
        packetCount = point.packetCount
        base = point.offset
        rawBytesSeen = point.offset
    }

    /// Bytes of the capture parsed so far.
    public var bytesConsumed: Int { base + head }

    var available: Int { buffer.count - head }

    public mutating func append(_ chunk: UnsafeRawBufferPointer) throws(CaptureError) {
        try ensureOpen()
        rawBytesSeen += chunk.count
        compact()
        buffer.append(contentsOf: chunk)
    }

    public mutating func append(_ chunk: [UInt8]) throws(CaptureError) {
        var failure: CaptureError?
        chunk.withUnsafeBytes { bytes in
            do throws(CaptureError) { try append(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private func ensureOpen() throws(CaptureError) {
        if inputEnded {
            throw CaptureError(.badRecord, input: name, expected: "no input after finish()", found: "more bytes")
        }
    }

    /// The next frame, or nil when more bytes are needed (or, after `finish()`, when the capture is over).
    public mutating func nextFrame() throws(CaptureError) -> LinkFrame? {
        if queuedIndex < queued.count {
            defer {
                queuedIndex += 1
                if queuedIndex == queued.count {
                    queued = []
                    queuedIndex = 0
                }
            }
            return queued[queuedIndex]
        }
        if concluded { return nil }
        return try parseNext()
    }

    /// Marks the end of input. Frames still complete in the buffer remain available from `nextFrame()`.
    /// Throws when the capture is unusable as a whole (empty, not a capture, file header cut short); a file
    /// that ends inside a record only adds a warning (the frames before it are kept).
    public mutating func finish() throws(CaptureError) {
        guard !inputEnded else { return }
        inputEnded = true
        while let frame = try parseNext() { queued.append(frame) }
    }

    private mutating func parseNext() throws(CaptureError) -> LinkFrame? {
        while true {
            switch try step() {
            case .frame(let frame):
                packetCount = max(packetCount, frame.packetNumber)
                return frame
            case .passedOver(let packetNumber):
                packetCount = max(packetCount, packetNumber)
            case .consumed:
                continue
            case .needMore:
                if inputEnded { try conclude() }
                return nil
            }
        }
    }

    /// Called once, at the end of input with no further frame available.
    private mutating func conclude() throws(CaptureError) {
        guard !concluded else { return }
        concluded = true
        switch container {
        case .undetected:
            if rawBytesSeen == 0 {
                throw CaptureError(.emptyInput, input: name, expected: "a capture", found: "0 bytes", byteOffset: 0)
            }
            throw CaptureError(
                .notACapture,
                input: name,
                expected: "a pcap, pcapng or rtpdump magic number",
                found: "\(available) byte(s): \(buffer.hex(head, count: 4))",
                byteOffset: bytesConsumed
            )
        case .pcap(let state) where !state.headerRead:
            throw truncatedHeader("the 24-byte pcap file header")
        case .pcapng(let state) where state.sections == 0:
            throw truncatedHeader("a complete section header block")
        case .rtpdump(let state) where state.start == nil:
            throw truncatedHeader("the rtpdump text line and 16-byte binary header")
        default:
            break
        }
        if available > 0 {
            warnings.append(
                CaptureWarning(
                    CaptureError(
                        .truncatedRecord,
                        input: name,
                        expected: "a complete record",
                        found: "the end of the input after \(available) byte(s)",
                        byteOffset: bytesConsumed,
                        packetNumber: packetCount + 1
                    )
                )
            )
        }
    }

    private func truncatedHeader(_ expected: String) -> CaptureError {
        CaptureError(
            .truncatedHeader,
            input: name,
            expected: expected,
            found: "\(available) byte(s) and the end of the input",
            byteOffset: bytesConsumed
        )
    }

    /// Drops parsed bytes once they are a large part of the buffer (amortised O(1) per byte).
    private mutating func compact() {
        guard head > 65_536, head * 2 > buffer.count else { return }
        buffer.removeFirst(head)
        base += head
        head = 0
    }

    private mutating func step() throws(CaptureError) -> Step {
        switch container {
        case .undetected: return try detect()
        case .pcap(var state):
            defer { container = .pcap(state) }
            return try readPcap(&state)
        case .pcapng(var state):
            defer { container = .pcapng(state) }
            return try readPcapng(&state)
        case .rtpdump(var state):
            defer { container = .rtpdump(state) }
            return try readRtpdump(&state)
        }
    }

    /// Chooses the container from the first bytes.
    private mutating func detect() throws(CaptureError) -> Step {
        guard available >= 2 else { return .needMore }
        if buffer[head] == 0x1F && buffer[head + 1] == 0x8B {
            // RFC 1952 §2.3.1 magic. Inflated before the reader when the capture is compressed, so here it is a
            // capture compressed twice, or a reader used without the inflating feed.
            throw CaptureError(
                .notACapture,
                input: name,
                expected: "a pcap, pcapng or rtpdump magic number (a gzip-compressed capture is inflated first)",
                found: "the gzip magic 1f 8b",
                byteOffset: bytesConsumed
            )
        }
        guard available >= 4 else { return .needMore }
        let magic = buffer.be32(head)
        switch magic {
        case 0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1:
            let bigEndian = magic == 0xA1B2_C3D4 || magic == 0xA1B2_3C4D
            let nanoseconds = magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1
            format = .pcap(nanoseconds: nanoseconds, bigEndian: bigEndian)
            container = .pcap(PcapState(bigEndian: bigEndian, nanoseconds: nanoseconds))
            return .consumed
        case 0x0A0D_0D0A:
            container = .pcapng(PcapngState())
            return .consumed
        case 0x2321_7274:  // "#!rt"
            format = .rtpdump
            container = .rtpdump(RtpdumpState())
            return .consumed
        default:
            throw CaptureError(
                .notACapture,
                input: name,
                expected: "a pcap, pcapng or rtpdump magic number",
                found: buffer.hex(head, count: 4),
                byteOffset: bytesConsumed
            )
        }
    }

    /// An error at the current record.
    func recordError(
        _ code: CaptureError.Code,
        expected: String,
        found: String,
        at offset: Int? = nil,
        packet: Int? = nil
    ) -> CaptureError {
        CaptureError(
            code,
            input: name,
            expected: expected,
            found: found,
            byteOffset: offset ?? bytesConsumed,
            packetNumber: packet
        )
    }

    mutating func setFormat(_ format: CaptureFormat) {
        if self.format == nil { self.format = format }
    }
}
