/// One direction of a TCP connection carrying SIP: the bytes in sequence-number order (RFC 9293 §3.4, modulo
/// 2^32), the segments that arrived early, and the framing state.
struct SIPStreamFlow: Sendable {
    enum State: Sendable, Equatable {
        /// A SYN was seen; whether the bytes are SIP is decided by the first ones.
        case pending
        case sip
        case notSIP
    }

    /// A segment's bytes: what was captured, and how many were sent.
    struct Piece: Sendable {
        var bytes: [UInt8]
        var wireLength: Int
    }

    let id: Int
    private(set) var state: State
    /// The sequence number of the next byte expected in order.
    private var next: UInt32
    /// Bytes in order not yet cut into messages (from `head`).
    private var buffer: [UInt8] = []
    private var head = 0
    /// Early segments by sequence number.
    private var held: [UInt32: Piece] = [:]
    private var heldPieceBytes = 0
    /// The buffer starts at a message (else the next start line is looked for).
    private var synchronized = true
    /// Bytes still to drop of a message over the size limit.
    private var skipping = 0
    /// A FIN arrived in order: nothing more comes.
    private(set) var finished = false

    /// Bytes this flow holds.
    var heldBytes: Int { buffer.count + heldPieceBytes }

    /// A flow starts at a SYN, or at a segment whose bytes start with a SIP message (a connection already open
    /// when the capture began); other segments of unknown flows are not SIP.
    init?(starting segment: TCPSegment, id: Int) {
        self.id = id
        if segment.flags.contains(.syn) {
            state = .pending
            next = segment.sequenceNumber &+ 1
        } else if SIPFraming.startsMessage(segment.payload, from: SIPFraming.keepAliveEnd(segment.payload, from: 0))
            == true
        {
            state = .sip
            next = segment.sequenceNumber
        } else {
            return nil
        }
    }

    /// Whether `segment` is (a retransmission of) the SYN that opened this flow, before any data.
    func isOpened(by segment: TCPSegment) -> Bool {
        state == .pending && buffer.isEmpty && segment.sequenceNumber &+ 1 == next
    }

    /// Takes a segment of this flow and appends the messages it completes.
    mutating func take(
        _ segment: TCPSegment,
        limits: SIPStreamReassembler.Limits,
        counters: inout SIPStreamReassembler.Counters,
        into messages: inout [SIPStreamMessage]
    ) {
        let start = segment.flags.contains(.syn) ? segment.sequenceNumber &+ 1 : segment.sequenceNumber
        let piece = Piece(bytes: segment.payload, wireLength: segment.payloadLength)
        var placed = false
        while !placed {
            let offset = Int(Int32(bitPattern: start &- next))
            if piece.wireLength == 0 || offset + piece.wireLength <= 0 {
                if piece.wireLength > 0 { counters.retransmissions += 1 }
                if segment.flags.contains(.fin), offset == 0 { finished = true }
                placed = true
            } else if offset <= 0 {
                append(piece, dropping: -offset, counters: &counters)
                drainHeld(counters: &counters)
                if segment.flags.contains(.fin), Int32(bitPattern: start &+ UInt32(piece.wireLength) &- next) == 0 {
                    finished = true
                }
                placed = true
            } else if held.count < limits.maxHeldSegmentsPerFlow,
                heldPieceBytes + piece.bytes.count <= limits.maxHeldBytesPerFlow
            {
                if let existing = held[start] {
                    guard piece.wireLength > existing.wireLength else { return }
                    heldPieceBytes -= existing.bytes.count
                }
                held[start] = piece
                heldPieceBytes += piece.bytes.count
                placed = true
            } else {
                // Too much waits behind a gap: the gap's bytes are not coming; go on from the earliest held.
                skipGap(before: start, counters: &counters)
            }
        }
        guard state != .notSIP else { return }
        frame(limits: limits, counters: &counters, segment: segment, into: &messages)
    }

    /// Appends a piece in order, less its first `dropping` bytes (already seen). Bytes sent but not captured
    /// break the framing.
    private mutating func append(_ piece: Piece, dropping: Int, counters: inout SIPStreamReassembler.Counters) {
        if dropping < piece.bytes.count { buffer += piece.bytes[dropping...] }
        next &+= UInt32(truncatingIfNeeded: piece.wireLength - dropping)
        if state == .pending { decide() }
        if piece.bytes.count < piece.wireLength { lose(counters: &counters) }
    }

    /// A flow that began with a SYN is SIP when its first bytes start a SIP message.
    private mutating func decide() {
        switch SIPFraming.startsMessage(buffer, from: SIPFraming.keepAliveEnd(buffer, from: head)) {
        case true?: state = .sip
        case false?: state = .notSIP
        case nil: if buffer.count - head > SIPFraming.maxStartLine { state = .notSIP }
        }
    }

    /// Appends the held pieces that are now in order.
    private mutating func drainHeld(counters: inout SIPStreamReassembler.Counters) {
        while !held.isEmpty {
            // The earliest held piece (ties: the longest), so the outcome never depends on dictionary order.
            var earliest: (start: UInt32, offset: Int, piece: Piece)?
            for (start, piece) in held {
                let offset = Int(Int32(bitPattern: start &- next))
                if let best = earliest,
                    (best.offset, -best.piece.wireLength, best.start) <= (offset, -piece.wireLength, start)
                {
                    continue
                }
                earliest = (start, offset, piece)
            }
            guard let earliest, earliest.offset <= 0 else { return }
            held[earliest.start] = nil
            heldPieceBytes -= earliest.piece.bytes.count
            if earliest.offset + earliest.piece.wireLength <= 0 {
                counters.retransmissions += 1
            } else {
                append(earliest.piece, dropping: -earliest.offset, counters: &counters)
            }
        }
    }

    /// Gives up the bytes between `next` and the earliest held piece (or `start`, if earlier).
    private mutating func skipGap(before start: UInt32, counters: inout SIPStreamReassembler.Counters) {
        var target = start
        for candidate in held.keys where Int32(bitPattern: candidate &- target) < 0 { target = candidate }
        next = target
        lose(counters: &counters)
        drainHeld(counters: &counters)
    }

    /// Bytes of the stream are missing: the partial message goes, and the next start line is looked for.
    private mutating func lose(counters: inout SIPStreamReassembler.Counters) {
        buffer.removeAll(keepingCapacity: true)
        head = 0
        skipping = 0
        counters.resynchronizations += 1
        synchronized = false
    }
}

extension SIPStreamFlow {
    /// Cuts the buffer into messages (RFC 3261 §18.3: the header ends at the first empty line; Content-Length
    /// gives the body, 0 when absent).
    fileprivate mutating func frame(
        limits: SIPStreamReassembler.Limits,
        counters: inout SIPStreamReassembler.Counters,
        segment: TCPSegment,
        into messages: inout [SIPStreamMessage]
    ) {
        while state == .sip {
            if skipping > 0 {
                let dropped = min(skipping, buffer.count - head)
                head += dropped
                skipping -= dropped
                if skipping > 0 { break }
            }
            head = SIPFraming.keepAliveEnd(buffer, from: head)
            if !synchronized {
                guard resynchronize() else { break }
            }
            guard let start = SIPFraming.startsMessage(buffer, from: head) else { break }
            guard start else {
                skipStart(counters: &counters)
                continue
            }
            guard let headerEnd = SIPFraming.headerEnd(buffer, from: head, limit: limits.maxMessageBytes) else {
                if buffer.count - head > limits.maxMessageBytes { skipStart(counters: &counters) }
                break
            }
            guard let bodyLength = SIPFraming.contentLength(buffer, from: head, to: headerEnd) else {
                skipStart(counters: &counters)
                continue
            }
            let total = headerEnd - head + bodyLength
            if total > limits.maxMessageBytes {
                counters.oversizedMessages += 1
                skipping = total
                continue
            }
            guard buffer.count - head >= total else { break }
            messages.append(
                SIPStreamMessage(
                    timestamp: segment.timestamp,
                    packetNumber: segment.packetNumber,
                    source: segment.source,
                    destination: segment.destination,
                    bytes: Array(buffer[head..<(head + total)])
                )
            )
            counters.messages += 1
            head += total
        }
        compact()
    }

    /// What stands at a message boundary cannot be framed (not a start line, no end of header within the limit,
    /// a Content-Length that is not a number): it is passed over and the next start line looked for.
    private mutating func skipStart(counters: inout SIPStreamReassembler.Counters) {
        head = SIPFraming.lineFeed(buffer, from: head).map { $0 + 1 } ?? buffer.count
        synchronized = false
        counters.resynchronizations += 1
    }

    /// Drops bytes up to the next line that starts a SIP message; false when there is none yet (the last
    /// partial line is kept, up to the longest start line).
    private mutating func resynchronize() -> Bool {
        var lineStart = head
        while lineStart < buffer.count {
            switch SIPFraming.startsMessage(buffer, from: lineStart) {
            case true?:
                head = lineStart
                synchronized = true
                return true
            case nil:
                head = buffer.count - lineStart > SIPFraming.maxStartLine ? buffer.count : lineStart
                return false
            case false?:
                guard let lineFeed = SIPFraming.lineFeed(buffer, from: lineStart) else {
                    head = buffer.count - lineStart > SIPFraming.maxStartLine ? buffer.count : lineStart
                    return false
                }
                lineStart = lineFeed + 1
            }
        }
        head = buffer.count
        return false
    }

    /// Keeps the unframed bytes at the front of the buffer (amortized: only once half of it is consumed).
    private mutating func compact() {
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
            head = 0
        } else if head > 4_096, head * 2 > buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
    }
}
