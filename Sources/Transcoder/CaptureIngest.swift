public import CallTimeline
import Capture

/// Reads a capture as it arrives, chunk by chunk (from a file or an S3 GET body), into a call timeline:
/// container → link frames → UDP datagrams (reassembled) → RTP, SIP and the rest (SPEC §2).
///
/// ```swift
/// var ingest = CaptureIngest(name: "call.pcap")
/// try ingest.append(chunk)            // as many times as there are chunks
/// let capture = try ingest.finish()   // the timeline and the reading statistics
/// ```
public struct CaptureIngest: Sendable {
    public let name: String
    private var reader: CaptureReader
    private var decoder = PacketDecoder()
    private var builder = CallTimelineBuilder()
    private var udpDatagrams = 0
    public private(set) var inputBytes = 0

    public init(name: String) {
        self.name = name
        reader = CaptureReader(name: name)
    }

    /// Feeds the next chunk of the capture.
    public mutating func append(_ chunk: UnsafeRawBufferPointer) throws(TranscodeError) {
        inputBytes += chunk.count
        do {
            try reader.append(chunk)
            while let frame = try reader.nextFrame() { take(frame) }
        } catch {
            throw TranscodeError(.invalidCapture, input: name, reason: Self.reason(error))
        }
    }

    /// Feeds the next chunk of the capture.
    public mutating func append(_ chunk: [UInt8]) throws(TranscodeError) {
        var failure: TranscodeError?
        chunk.withUnsafeBytes { bytes in
            do throws(TranscodeError) { try append(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private mutating func take(_ frame: LinkFrame) {
        if case .datagram(let datagram) = decoder.decode(frame) {
            udpDatagrams += 1
            builder.add(datagram)
        }
    }

    /// Ends the input and builds the timeline.
    public mutating func finish(options: TimelineOptions) throws(TranscodeError) -> CaptureContents {
        do {
            try reader.finish()
            while let frame = try reader.nextFrame() { take(frame) }
        } catch {
            throw TranscodeError(.invalidCapture, input: name, reason: Self.reason(error))
        }
        for warning in reader.warnings { builder.warn(Self.reason(warning)) }
        let timeline = builder.build(options: options)
        return CaptureContents(
            name: name,
            inputBytes: inputBytes,
            format: reader.format.map { "\($0)" + (reader.isCompressed ? ", gzip" : "") } ?? "unknown",
            frames: reader.packetCount,
            udpDatagrams: udpDatagrams,
            skippedFrames: decoder.counters.skipped.reduce(into: [:]) { $0[$1.key.rawValue] = $1.value },
            timeline: timeline
        )
    }

    /// The capture layer's message without the input name (the error line adds it once).
    private static func reason(_ error: any Error) -> String {
        guard var error = error as? CaptureError else { return "\(error)" }
        error.input = ""
        return "\(error)"
    }

    private static func reason(_ warning: CaptureWarning) -> String {
        var warning = warning
        warning.input = ""
        return "\(warning)"
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
            return call
        }
        if let call = summary.longestCall { return call }
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
            "\(stream.key): \(stream.skippedReason ?? "no audio")"
        }
        let unsupported = summary.streams.contains { $0.skippedReason?.hasPrefix("unsupported codec") == true }
        throw TranscodeError(
            .noAudio,
            input: name,
            reason: (unsupported ? "unsupported codec, " : "") + "no decodable audio: "
                + reasons.joined(separator: "; ")
                + (summary.streams.count > 5 ? "; and \(summary.streams.count - 5) more streams" : "")
        )
    }
}
