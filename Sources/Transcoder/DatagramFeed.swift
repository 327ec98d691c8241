import Capture
import Gzip

/// The reading both passes share: bytes → UDP datagrams (`DatagramReader`), a gzip-compressed capture inflated on
/// the way (detected by its magic bytes, RFC 1952 §2.3.1, never by its name; zlib through `GzipInflater`), with
/// errors turned into `TranscodeError`s that name the input once and keep their cause.
///
/// Memory stays bounded for compressed input too: the inflater hands out at most 256 KiB at a time, and only
/// when the reader has no datagram left to give, so the capture is never inflated whole.
struct DatagramFeed: Sendable {
    private enum Compression: Sendable {
        /// Fewer than two bytes seen: not known yet.
        case undecided(first: [UInt8])
        case plain
        case gzip(GzipInflater)
    }

    let name: String
    private var datagrams: DatagramReader
    private var compression = Compression.undecided(first: [])
    private var inputEnded = false
    private var readerFinished = false
    /// Inflated bytes on their way to the reader (kept for its capacity).
    private var inflated: [UInt8] = []

    init(name: String) {
        self.name = name
        datagrams = DatagramReader(name: name)
    }

    /// A feed of a plain capture whose input starts at `point` (pass 1's ``resumePoint``).
    init(name: String, resumingAt point: CaptureReader.ResumePoint) {
        self.name = name
        datagrams = DatagramReader(name: name, resumingAt: point)
        compression = .plain
    }

    /// Where reading could start again, between records of a plain capture (nil in a compressed one).
    var resumePoint: CaptureReader.ResumePoint? {
        guard case .plain = compression else { return nil }
        return datagrams.reader.resumePoint
    }

    var reader: CaptureReader { datagrams.reader }
    var bytesConsumed: Int { datagrams.reader.bytesConsumed }

    /// Packet records read without being decoded (`CaptureReader.passOver`).
    var passOver: CaptureReader.PassOver? {
        get { datagrams.passOver }
        set { datagrams.passOver = newValue }
    }
    var decoder: PacketDecoder { datagrams.decoder }

    var isCompressed: Bool {
        if case .gzip = compression { return true }
        return false
    }

    /// The inflater's warnings (a file cut off inside a member, trailing data), as they would be reported.
    var gzipWarnings: [String] {
        guard case .gzip(let inflater) = compression else { return [] }
        return inflater.warnings.map(\.description)
    }

    mutating func append(_ chunk: UnsafeRawBufferPointer) throws(TranscodeError) {
        switch compression {
        case .plain:
            do { try datagrams.append(chunk) } catch { throw invalid(error) }
        case .gzip(var inflater):
            compression = .plain  // the inflater, held alone while it changes, is not copied
            inflater.append(chunk)
            compression = .gzip(inflater)
        case .undecided(let first) where first.isEmpty && chunk.count >= 2:
            // The usual start: the first chunk tells, and goes on without a copy.
            compression = GzipInflater.isGzip(chunk[0], chunk[1]) ? .gzip(GzipInflater(name: name)) : .plain
            try append(chunk)
        case .undecided(let first):
            let bytes = first + chunk
            guard bytes.count >= 2 else {
                compression = .undecided(first: bytes)
                return
            }
            compression = GzipInflater.isGzip(bytes[0], bytes[1]) ? .gzip(GzipInflater(name: name)) : .plain
            try append(bytes)
        }
    }

    private mutating func append(_ bytes: [UInt8]) throws(TranscodeError) {
        var failure: TranscodeError?
        bytes.withUnsafeBytes { all in
            do throws(TranscodeError) { try append(all) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Marks the end of the input.
    mutating func finish() throws(TranscodeError) {
        guard !inputEnded else { return }
        inputEnded = true
        switch compression {
        case .undecided(let first):
            // A file of one byte (or none): the reader says what it is not.
            compression = .plain
            try append(first)
            try finishReader()
        case .plain:
            try finishReader()
        case .gzip(var inflater):
            compression = .plain
            inflater.finish()
            compression = .gzip(inflater)
        }
    }

    /// The next datagram, or nil when more input is needed (or, after `finish()`, at the end).
    mutating func next() throws(TranscodeError) -> UDPDatagram? {
        try next { (reader) throws(CaptureError) in try reader.next() }
    }

    /// The next datagram or SIP message reassembled from TCP (pass 1 reads SIP over TCP; pass 2 needs only UDP).
    mutating func nextPayload() throws(TranscodeError) -> TransportPayload? {
        try next { (reader) throws(CaptureError) in try reader.nextPayload() }
    }

    /// What `take` gives from the reader, inflating more of a compressed capture whenever the reader runs dry.
    private mutating func next<Item>(
        _ take: (inout DatagramReader) throws(CaptureError) -> Item?
    ) throws(TranscodeError) -> Item? {
        while true {
            do {
                if let item = try take(&datagrams) { return item }
            } catch {
                throw invalid(error)
            }
            guard case .gzip(var inflater) = compression, !readerFinished else { return nil }
            compression = .plain
            inflated.removeAll(keepingCapacity: true)
            defer { compression = .gzip(inflater) }
            let produced: Int
            do { produced = try inflater.inflate(into: &inflated) } catch { throw invalid(error) }
            if produced > 0 {
                do { try datagrams.append(inflated) } catch { throw invalid(error) }
            } else {
                guard inputEnded else { return nil }
                try finishReader()
            }
        }
    }

    /// Drops datagrams still waiting for fragments, counting them (call once `next()` gave nil after `finish()`).
    mutating func close() { datagrams.close() }

    private mutating func finishReader() throws(TranscodeError) {
        readerFinished = true
        do { try datagrams.finish() } catch { throw invalid(error) }
    }

    private func invalid(_ error: CaptureError) -> TranscodeError {
        TranscodeError(.invalidCapture, input: name, reason: error.detail, underlying: error)
    }

    private func invalid(_ error: GzipError) -> TranscodeError {
        TranscodeError(.invalidCapture, input: name, reason: error.detail, underlying: error)
    }
}
