public import CallTimeline
import Capture
public import SecureRTP

/// Step 1 of the pipeline (step 2 is ``RecordingEncoder``): reads a capture as it arrives, chunk by chunk (from a
/// file or an S3 GET body), into a call timeline: container → link frames → UDP datagrams (reassembled) → RTP,
/// SIP and the rest (SPEC §2).
///
/// SRTP is decrypted on the way (SPEC §2.4) with the keys given here and those of the SDP bodies read.
///
/// ```swift
/// var ingest = CaptureIngest(name: "call.pcap", keys: SRTPKeyRing(optionKeys))
/// try ingest.append(chunk)            // as many times as there are chunks
/// let capture = try ingest.finish()   // the timeline and the reading statistics
/// ```
public struct CaptureIngest: Sendable {
    public let name: String
    private var feed: DatagramFeed
    private var builder: CallTimelineBuilder
    private var decryption: IngestDecryption
    /// The keys given before the capture was read (a second pass 1 starts from them again).
    private let givenKeys: SRTPKeyRing
    private var udpDatagrams = 0
    /// The latest (clamped) capture time of a UDP datagram so far, and whether every one came at or after the
    /// one before it.
    private var udpClock = Int64.min
    private var udpClockIsMonotonic = true
    /// Where pass 2 may start reading (``CaptureContents/resumePoints``): about one per MiB of a plain capture.
    private var resumePoints: [CaptureContents.ResumePoint] = []
    private var nextResumeOffset = 0
    private var resumeSpacing = CaptureContents.ResumePoint.spacing
    public private(set) var inputBytes = 0

    /// `keys`: SRTP keys given before the capture is read (`--srtp-key`, key files); the capture's own SDES keys
    /// are added as its SDP bodies are read.
    public init(name: String, options: TimelineOptions = TimelineOptions(), keys: SRTPKeyRing = SRTPKeyRing()) {
        self.name = name
        feed = DatagramFeed(name: name)
        builder = CallTimelineBuilder(options: options)
        decryption = IngestDecryption(keys: keys)
        givenKeys = keys
    }

    /// Pass 1 noting a place pass 2 may start reading at every `resumeSpacing` bytes (tests: closer than usual).
    package init(name: String, resumeSpacing: Int) {
        self.init(name: name)
        self.resumeSpacing = max(1, resumeSpacing)
    }

    /// Feeds the next chunk of the capture.
    public mutating func append(_ chunk: UnsafeRawBufferPointer) throws(TranscodeError) {
        inputBytes += chunk.count
        try feed.append(chunk)
        try drain()
    }

    /// Feeds the next chunk of the capture.
    public mutating func append(_ chunk: [UInt8]) throws(TranscodeError) {
        var failure: TranscodeError?
        chunk.withUnsafeBytes { bytes in
            do throws(TranscodeError) { try append(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private mutating func drain() throws(TranscodeError) {
        while let payload = try feed.nextPayload() {
            switch payload {
            case .udp(let datagram):
                udpDatagrams += 1
                let time = CallTimelineBuilder.clamp(datagram.timestamp)
                if time < udpClock { udpClockIsMonotonic = false }
                udpClock = max(udpClock, time)
                decryption.add(datagram, to: &builder)
            case .sip(let message):
                decryption.add(message, to: &builder)
            }
            if feed.bytesConsumed >= nextResumeOffset, let point = feed.resumePoint {
                resumePoints.append(CaptureContents.ResumePoint(point: point, clock: udpClock))
                nextResumeOffset = point.offset + resumeSpacing
            }
        }
    }

    /// Ends the input and builds the timeline (with the options given to `init`).
    public mutating func finish() throws(TranscodeError) -> CaptureContents {
        try feed.finish()
        try drain()
        // Datagrams still missing fragments are counted as skipped, not silently dropped.
        feed.close()
        let reader = feed.reader
        for warning in feed.gzipWarnings { builder.warn("\(warning)") }
        for warning in reader.warnings { builder.warn("\(warning)") }
        let keys = decryption.finish(into: &builder)
        let timeline = builder.build()
        return CaptureContents(
            name: name,
            inputBytes: inputBytes,
            format: reader.format.map { "\($0)" + (feed.isCompressed ? ", gzip" : "") } ?? "unknown",
            frames: reader.packetCount,
            udpDatagrams: udpDatagrams,
            skippedFrames: feed.decoder.counters.skipped.reduce(into: [:]) { $0[$1.key.rawValue] = $1.value },
            timeline: timeline,
            srtpKeys: keys,
            srtpGivenKeys: givenKeys,
            replayMayPassOverEarlierRecords: udpClockIsMonotonic && feed.decoder.counters.fragments == 0,
            resumePoints: resumePoints
        )
    }

}

extension CaptureIngest {
    /// Pass 1 over the whole of `source` with `options` (`beforeChunk` runs before each chunk: a deadline check).
    /// When the timeline found lanes that pass 1 timed with another codec than the capture's SDP gives them in the
    /// end (`CallTimeline.payloadTypesToRelearn`: a dynamic payload type named only after its lane had held its
    /// packets as long as it may), the source is read once more with what was learned, so those lanes are timed at
    /// their own RTP clock from their first packet.
    public static func read(
        _ source: some CaptureSource,
        options: TimelineOptions,
        keys: SRTPKeyRing = SRTPKeyRing(),
        beforeChunk: () throws(TranscodeError) -> Void = {}
    ) throws(TranscodeError) -> CaptureContents {
        var ingest = CaptureIngest(name: source.name, options: options, keys: keys)
        try source.read { (chunk) throws(TranscodeError) in
            try beforeChunk()
            try ingest.append(chunk)
        }
        let contents = try ingest.finish()
        return try contents.relearned(from: source, beforeChunk: beforeChunk)
    }
}

extension CaptureContents {
    /// These contents, or, when pass 1 timed some lanes with a codec the analysis contradicts, those of a second
    /// pass 1 over `source` that knows every lane's codec from the start (see ``CaptureIngest/read(_:options:keys:beforeChunk:)``), with the SRTP keys given to the first.
    public func relearned(
        from source: some CaptureSource,
        beforeChunk: () throws(TranscodeError) -> Void = {}
    ) throws(TranscodeError) -> CaptureContents {
        guard let options = timeline.relearningOptions else { return self }
        var ingest = CaptureIngest(name: name, options: options, keys: srtpGivenKeys)
        try source.read { (chunk) throws(TranscodeError) in
            try beforeChunk()
            try ingest.append(chunk)
        }
        return try ingest.finish()
    }
}

/// What a capture holds, once read.
public struct CaptureContents: Sendable {
    public var name: String
    public var inputBytes: Int
    /// `pcap (µs, little-endian)`, `pcapng …`, `rtpdump`, with `, gzip` when compressed.
    public var format: String
    /// Capture records read.
    public var frames: Int
    public var udpDatagrams: Int
    /// Frames that carried no UDP we read, by reason (TCP, ARP, tunnels, …).
    public var skippedFrames: [String: Int]
    public var timeline: CallTimeline
    /// The SRTP keys pass 1 knew at its end (given and read from the SDP, each with the record it became known
    /// at), which pass 2 decrypts with. Secrets: never printed.
    package var srtpKeys = SRTPKeyRing()
    /// The keys given before the capture was read (options, key files): what another pass 1 over the same capture
    /// starts from. Secrets: never printed.
    package var srtpGivenKeys = SRTPKeyRing()
    /// Whether pass 2 of a call may leave undecoded the records before the call's first packet (``CaptureReplay``):
    /// only when the UDP datagrams' capture times never go back (so those records cannot move the clock past
    /// the call's first packet) and no datagram was put together from fragments (whose first pieces could lie
    /// there).
    package var replayMayPassOverEarlierRecords = false
    /// Places between records where pass 2 may start reading a plain capture, in order, with the latest capture
    /// time of a UDP datagram before each; used only when ``replayMayPassOverEarlierRecords``.
    package var resumePoints: [ResumePoint] = []

    package struct ResumePoint: Sendable {
        /// About how far apart pass 1 notes them: a reading started at one reads at most this much to pass over.
        static let spacing = 1 << 20
        var point: CaptureReader.ResumePoint
        /// The latest (clamped) capture time of the UDP datagrams before it.
        var clock: Int64
    }

    /// A day of audio is the longest recording made: anything longer comes from broken timestamps.
    static func checkLength(_ call: Call, input: String) throws(TranscodeError) -> Call {
        guard call.durationNanoseconds <= 86_400_000_000_000 else {
            throw TranscodeError(
                .invalidCapture,
                input: input,
                reason: "call \(call.number) spans \(Int(call.durationSeconds / 3600)) hours: "
                    + "expected at most 24 (capture timestamps broken?)"
            )
        }
        return call
    }

    /// The calls to record (SPEC §3.2): every call with `settings.allCalls`, in their report order (numbers 1, 2,
    /// …); else the one ``selectCall(_:)`` picks. Throws its reasons when there is none.
    public func selectCalls(_ settings: TranscodeSettings) throws(TranscodeError) -> [Call] {
        guard settings.allCalls else { return [try selectCall(settings.callNumber)] }
        _ = try selectCall(nil)
        var calls: [Call] = []
        for call in timeline.summary.calls { calls.append(try Self.checkLength(call, input: name)) }
        return calls
    }

    /// The call to record: `number` (1-based) when given, else the longest (SPEC §3.2). Throws the reason when
    /// there is none: no RTP at all, or RTP but nothing decodable (each stream's reason listed).
    public func selectCall(_ number: Int?) throws(TranscodeError) -> Call {
        let summary = timeline.summary
        if let number {
            guard let call = summary.calls.first(where: { $0.number == number }) else {
                throw TranscodeError(
                    .noSuchCall,
                    input: name,
                    reason: "no call \(number): the capture holds \(summary.calls.count) call(s)"
                )
            }
            return try Self.checkLength(call, input: name)
        }
        if let call = summary.longestCall { return try Self.checkLength(call, input: name) }
        if let encrypted = encryptedMediaError() { throw encrypted }
        if summary.streams.isEmpty {
            let seen = summary.nonAudio.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            throw TranscodeError(
                .noRTP,
                input: name,
                reason: "no RTP found in \(frames) packets (\(udpDatagrams) UDP"
                    + (seen.isEmpty ? "" : ": " + seen.joined(separator: ", ")) + ")"
            )
        }
        let reasons = summary.streams.prefix(5).map { stream in
            "\(stream.key): \(stream.skippedReason.map { "\($0)" } ?? "no audio")"
        }
        let unsupported = summary.streams.contains {
            if case .unsupportedCodec = $0.skippedReason { return true } else { return false }
        }
        throw TranscodeError(
            .noAudio,
            input: name,
            reason: (unsupported ? "unsupported codec, " : "") + "no decodable audio: "
                + reasons.joined(separator: "; ")
                + (summary.streams.count > 5 ? "; and \(summary.streams.count - 5) more streams" : "")
        )
    }
}

/// Pass 2 of a capture: the same reading as `CaptureIngest`, feeding every datagram to a call renderer.
///
/// Given the renderer of one call, it reads only as much of the capture as that call needs (a capture holding
/// many calls is read once per call recorded, so reading all of it each time would grow with the square of the
/// calls), and never changes what the call sounds like:
/// - records before the call's first packet whose capture time is at most ``CallRenderer/quietUntil`` are read
///   but not decoded (`CaptureReader.passOver`), when the contents allow it
///   (``CaptureContents/replayMayPassOverEarlierRecords``) and no stream is decrypted (SRTCP before a stream's
///   first packet can carry its rollover counter); in a plain capture, the reading starts at the last of pass 1's
///   resume points before which every record would be passed over (``startOffset``), so those are not read at all;
/// - after the call's last packet, once the renderer is settled (``CallRenderer/isSettled``), the rest of the
///   capture is left unread.
package struct CaptureReplay {
    private var feed: DatagramFeed

    private var decryption: ReplayDecryption
    /// The record of the call's last packet (nil: the whole capture is read).
    private var lastRecord: Int?
    /// Where in the capture the reading starts (0 unless pass 1 noted a place before the call that it may start
    /// at: every record before it would have been passed over).
    package private(set) var startOffset = 0
    /// Whether the call is complete: the rest of the capture need not be read.
    package private(set) var isSettled = false
    /// Datagrams handed to the renderer.
    package private(set) var datagramsRead = 0

    /// Pass 2 without SRTP keys.
    package init(name: String) {
        feed = DatagramFeed(name: name)
        decryption = ReplayDecryption(keys: SRTPKeyRing(), streams: [])
    }

    /// Pass 2 of `contents`: the streams pass 1 decrypted are decrypted again with its keys. Given the `renderer`
    /// of one call, only as much of the capture is read as that call needs.
    package init(contents: CaptureContents, for renderer: CallRenderer? = nil) {
        feed = DatagramFeed(name: contents.name)
        decryption = ReplayDecryption(keys: contents.srtpKeys, streams: contents.timeline.summary.streams)
        guard let renderer, let records = renderer.packetNumbers else { return }
        lastRecord = records.upperBound
        if contents.replayMayPassOverEarlierRecords && decryption.isPassThrough {
            let quietUntil = renderer.quietUntil
            if let start = contents.resumePoints.last(where: {
                $0.point.packetCount < records.lowerBound && $0.clock <= quietUntil
            }) {
                feed = DatagramFeed(name: contents.name, resumingAt: start.point)
                startOffset = start.point.offset
            }
            // The clock is compared as the renderer clamps it: any time clamps to at most the upper bound.
            feed.passOver = CaptureReader.PassOver(
                before: records.lowerBound,
                until: quietUntil >= CallTimelineBuilder.clamp(.max) ? .max : quietUntil
            )
        }
    }

    /// Feeds the datagrams of `chunk` to `renderer`, calling `afterEach` after every datagram, so the caller
    /// takes each block as soon as it is complete rather than in a burst per chunk.
    package mutating func append(
        _ chunk: UnsafeRawBufferPointer,
        to renderer: inout CallRenderer,
        afterEach: (inout CallRenderer) throws(TranscodeError) -> Void
    ) throws(TranscodeError) {
        guard !isSettled else { return }
        try feed.append(chunk)
        while let datagram = try feed.next() {
            datagramsRead += 1
            decryption.add(datagram, to: &renderer)
            try afterEach(&renderer)
            if isDone(after: datagram, renderer) { return }
        }
    }

    package mutating func finish(into renderer: inout CallRenderer) throws(TranscodeError) {
        if !isSettled {
            try feed.finish()
            while let datagram = try feed.next() {
                datagramsRead += 1
                decryption.add(datagram, to: &renderer)
                if isDone(after: datagram, renderer) { break }
            }
        }
        renderer.finish()
    }

    /// Whether the rest of the capture can be left unread: past the call's last packet, with the renderer settled.
    private mutating func isDone(after datagram: UDPDatagram, _ renderer: CallRenderer) -> Bool {
        guard let lastRecord, datagram.packetNumber >= lastRecord, renderer.isSettled else { return false }
        isSettled = true
        return true
    }
}
