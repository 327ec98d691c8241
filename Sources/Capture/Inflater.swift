/// A streaming decoder of raw deflate data (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks.
///
/// It keeps only the 32 KiB history window; output is produced in bounded amounts so a caller can stream a
/// large (or hostile) stream without holding it. Input comes through a `BitInput` shared with the container
/// (gzip) parser.
struct Inflater: Sendable {
    enum Status {
        /// The final block ended; the input is left at the next byte boundary.
        case streamEnd
        /// More input is needed to continue.
        case needInput
        /// `maxOutput` bytes were produced; call again.
        case outputFull
    }

    /// A failure, with the compressed-stream offset where it was found.
    struct Failure: Error {
        var expected: String
        var found: String
        var offset: Int
    }

    private enum State: Sendable {
        case blockHeader
        case storedHeader
        case stored(remaining: Int)
        case codes(literals: HuffmanTable, distances: HuffmanTable)
        case done
    }

    private var state = State.blockHeader
    private var isFinalBlock = false
    /// The last 32 KiB of output (RFC 1951 §2: distances reach back at most 32768 bytes).
    private var window = [UInt8](repeating: 0, count: 32_768)
    private var windowPosition = 0
    /// Bytes produced so far, to reject distances before the start of the stream.
    private(set) var totalOutput: Int64 = 0

    init() {}

    var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    // RFC 1951 §3.2.5 length and distance code tables.
    private static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [UInt8] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// RFC 1951 §3.2.7: the order in which code length code lengths are sent.
    private static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    @inline(__always)
    private mutating func emit(_ byte: UInt8, into output: inout [UInt8]) {
        window[windowPosition] = byte
        windowPosition = (windowPosition + 1) & 32_767
        output.append(byte)
    }

    /// Decodes until the stream ends, the input runs out, or at least `maxOutput` more bytes were appended.
    mutating func inflate(
        _ input: inout BitInput,
        into output: inout [UInt8],
        maxOutput: Int
    ) throws(Failure) -> Status {
        let limit = output.count + maxOutput
        while true {
            switch state {
            case .done:
                return .streamEnd

            case .blockHeader:
                if isFinalBlock {
                    input.unreadWholeBytes()
                    state = .done
                    return .streamEnd
                }
                let mark = input.mark
                guard input.need(3) else { return .needInput }
                isFinalBlock = input.take(1) == 1
                switch input.take(2) {
                case 0:
                    state = .storedHeader
                case 1:
                    state = .codes(literals: HuffmanTable.fixedLiterals, distances: HuffmanTable.fixedDistances)
                case 2:
                    guard let tables = try readDynamicTables(&input) else {
                        input.restore(mark)
                        isFinalBlock = false
                        return .needInput
                    }
                    state = .codes(literals: tables.0, distances: tables.1)
                default:
                    throw Failure(expected: "block type 0, 1 or 2", found: "block type 3", offset: input.offset)
                }

            case .storedHeader:
                // RFC 1951 §3.2.4: skip to a byte boundary, then LEN and its one's complement NLEN.
                input.unreadWholeBytes()
                guard input.availableBytes >= 4 else { return .needInput }
                let offset = input.offset
                let header = input.readBytes(4)
                let length = Int(header[header.startIndex]) | Int(header[header.startIndex + 1]) << 8
                let complement = Int(header[header.startIndex + 2]) | Int(header[header.startIndex + 3]) << 8
                guard length == complement ^ 0xFFFF else {
                    throw Failure(
                        expected: "stored block NLEN = ~LEN",
                        found: "LEN \(length), NLEN \(complement)",
                        offset: offset
                    )
                }
                state = .stored(remaining: length)

            case .stored(let remaining):
                if remaining == 0 {
                    state = .blockHeader
                    continue
                }
                guard output.count < limit else { return .outputFull }
                guard input.availableBytes > 0 else { return .needInput }
                let chunk = input.readBytes(min(remaining, limit - output.count))
                for byte in chunk { emit(byte, into: &output) }
                totalOutput += Int64(chunk.count)
                state = .stored(remaining: remaining - chunk.count)

            case .codes(let literals, let distances):
                if let status = try decodeSymbols(&input, literals, distances, into: &output, limit: limit) {
                    return status
                }
                state = .blockHeader
            }
        }
    }

    /// Decodes literal/length and distance symbols; nil when the block's end-of-block code was read.
    private mutating func decodeSymbols(
        _ input: inout BitInput,
        _ literals: HuffmanTable,
        _ distances: HuffmanTable,
        into output: inout [UInt8],
        limit: Int
    ) throws(Failure) -> Status? {
        while output.count < limit {
            let mark = input.mark
            let symbol: Int
            switch literals.decode(&input) {
            case .symbol(let value): symbol = value
            case .needInput: return .needInput
            case .invalid:
                throw Failure(expected: "a literal/length code", found: "an unassigned code", offset: input.offset)
            }
            if symbol < 256 {
                emit(UInt8(symbol), into: &output)
                totalOutput += 1
                continue
            }
            if symbol == 256 { return nil }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else {
                throw Failure(expected: "length symbol 257–285", found: "symbol \(symbol)", offset: input.offset)
            }
            let lengthBits = Int(Self.lengthExtra[lengthIndex])
            guard input.need(lengthBits) else {
                input.restore(mark)
                return .needInput
            }
            let length = Int(Self.lengthBase[lengthIndex]) + Int(input.take(lengthBits))
            let distanceSymbol: Int
            switch distances.decode(&input) {
            case .symbol(let value): distanceSymbol = value
            case .needInput:
                input.restore(mark)
                return .needInput
            case .invalid:
                throw Failure(expected: "a distance code", found: "an unassigned code", offset: input.offset)
            }
            guard distanceSymbol < 30 else {
                throw Failure(expected: "distance symbol 0–29", found: "symbol \(distanceSymbol)", offset: input.offset)
            }
            let distanceBits = Int(Self.distanceExtra[distanceSymbol])
            guard input.need(distanceBits) else {
                input.restore(mark)
                return .needInput
            }
            let distance = Int(Self.distanceBase[distanceSymbol]) + Int(input.take(distanceBits))
            guard Int64(distance) <= totalOutput else {
                throw Failure(
                    expected: "a distance within the \(totalOutput) bytes produced",
                    found: "distance \(distance)",
                    offset: input.offset
                )
            }
            var from = (windowPosition - distance) & 32_767
            for _ in 0..<length {
                emit(window[from], into: &output)
                from = (from + 1) & 32_767
            }
            totalOutput += Int64(length)
        }
        return .outputFull
    }

    /// Reads a dynamic block's code definitions (RFC 1951 §3.2.7); nil when the input runs out.
    private func readDynamicTables(_ input: inout BitInput) throws(Failure) -> (HuffmanTable, HuffmanTable)? {
        guard input.need(14) else { return nil }
        let literalCount = Int(input.take(5)) + 257
        let distanceCount = Int(input.take(5)) + 1
        let codeLengthCount = Int(input.take(4)) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw Failure(
                expected: "HLIT ≤ 286 and HDIST ≤ 30",
                found: "HLIT \(literalCount), HDIST \(distanceCount)",
                offset: input.offset
            )
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            guard input.need(3) else { return nil }
            codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(input.take(3))
        }
        guard let codeLengthTable = HuffmanTable(lengths: codeLengthLengths) else {
            throw Failure(
                expected: "a prefix code for code lengths",
                found: "an over-subscribed code",
                offset: input.offset
            )
        }
        var lengths = [UInt8]()
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol: Int
            switch codeLengthTable.decode(&input) {
            case .symbol(let value): symbol = value
            case .needInput: return nil
            case .invalid:
                throw Failure(expected: "a code length code", found: "an unassigned code", offset: input.offset)
            }
            var repeatValue: UInt8 = 0
            var repeatCount = 0
            switch symbol {
            case 0...15:
                lengths.append(UInt8(symbol))
                continue
            case 16:
                guard let previous = lengths.last else {
                    throw Failure(expected: "a length before repeat code 16", found: "none", offset: input.offset)
                }
                guard input.need(2) else { return nil }
                repeatValue = previous
                repeatCount = 3 + Int(input.take(2))
            case 17:
                guard input.need(3) else { return nil }
                repeatCount = 3 + Int(input.take(3))
            default:
                guard input.need(7) else { return nil }
                repeatCount = 11 + Int(input.take(7))
            }
            guard lengths.count + repeatCount <= literalCount + distanceCount else {
                throw Failure(
                    expected: "\(literalCount + distanceCount) code lengths",
                    found: "a repeat past the end",
                    offset: input.offset
                )
            }
            lengths.append(contentsOf: repeatElement(repeatValue, count: repeatCount))
        }
        guard lengths[256] != 0 else {
            throw Failure(expected: "a code for end-of-block (256)", found: "none", offset: input.offset)
        }
        guard let literals = HuffmanTable(lengths: Array(lengths[0..<literalCount])),
            let distances = HuffmanTable(lengths: Array(lengths[literalCount...]))
        else {
            throw Failure(expected: "prefix codes", found: "an over-subscribed code", offset: input.offset)
        }
        return (literals, distances)
    }
}
