/// A streaming gzip decoder (RFC 1952 members around RFC 1951 deflate data), pure Swift.
///
/// Push compressed bytes with `append`, pull decompressed bytes with `decompress(into:maxOutput:)`, and call
/// `finish()` at the end of input. It checks each member's header (FEXTRA, FNAME, FCOMMENT, FHCRC), CRC-32 and
/// ISIZE, and decodes concatenated members as one stream (as gzip(1) does). Output is bounded by `Limits` so a
/// gzip bomb ends in a `CaptureError` (`.gzipLimitExceeded`), not in exhausted memory.
public struct GzipDecoder: Sendable {
    /// Decompression bounds against gzip bombs.
    public struct Limits: Sendable, Hashable {
        /// Most decompressed bytes in total (default 4 GiB, far above a one-call capture).
        public var maxOutputBytes: Int64
        /// Most decompressed bytes per compressed byte, checked once `ratioCheckThreshold` bytes were produced.
        /// Real captures compress 2–30:1; deflate's own ceiling is about 1032:1. Nil disables the check.
        public var maxRatio: Int64?
        /// Output size from which the ratio is enforced (small inputs may legitimately compress very well).
        public var ratioCheckThreshold: Int64

        public init(maxOutputBytes: Int64 = 1 << 32, maxRatio: Int64? = 250, ratioCheckThreshold: Int64 = 16 << 20) {
            self.maxOutputBytes = maxOutputBytes
            self.maxRatio = maxRatio
            self.ratioCheckThreshold = ratioCheckThreshold
        }
    }

    private enum State: Sendable {
        case header
        case body
        case trailer
        case afterMember
        case trailingData
    }

    public let name: String
    public let limits: Limits
    private var input = BitInput()
    private var inflater = Inflater()
    private var state = State.header
    private var crc = CRC32()
    private var memberOutput: Int64 = 0
    /// Total decompressed bytes so far.
    public private(set) var totalOutput: Int64 = 0
    /// Members fully decoded and verified.
    public private(set) var membersCompleted = 0
    /// Warnings (trailing data, truncated stream) found so far.
    public private(set) var warnings: [CaptureWarning] = []

    /// `name` is used only in error messages.
    public init(name: String = "", limits: Limits = Limits()) {
        self.name = name
        self.limits = limits
    }

    /// True when the bytes start with the gzip magic (RFC 1952 §2.3.1: ID1 0x1f, ID2 0x8b).
    public static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Compressed bytes consumed so far.
    public var compressedBytesConsumed: Int { input.offset }

    /// True when buffered compressed input may still produce output.
    public var hasPendingInput: Bool {
        if case .trailingData = state { return false }
        return input.availableBytes > 0 || input.bitCount > 0
    }

    /// True when the stream ended cleanly: input finished at a member boundary.
    public var isComplete: Bool {
        switch state {
        case .afterMember, .trailingData: input.isEnded
        default: false
        }
    }

    public mutating func append(_ chunk: UnsafeRawBufferPointer) { input.append(chunk) }

    public mutating func append(_ chunk: [UInt8]) { input.append(chunk) }

    /// Marks the end of the compressed input.
    public mutating func finish() { input.isEnded = true }

    private func error(_ code: CaptureError.Code, _ expected: String, _ found: String, at offset: Int) -> CaptureError {
        CaptureError(code, input: name, expected: expected, found: found, byteOffset: offset)
    }

    /// Appends up to about `maxOutput` decompressed bytes to `output` (a match may overshoot by ≤ 258).
    /// Returns the number of bytes appended; 0 means more input is needed, or the stream is over.
    @discardableResult
    public mutating func decompress(into output: inout [UInt8], maxOutput: Int = 1 << 18) throws(CaptureError) -> Int {
        let startCount = output.count
        loop: while output.count - startCount < maxOutput {
            switch state {
            case .header, .afterMember:
                if case .afterMember = state {
                    guard input.availableBytes > 0 else { break loop }
                    // Another member must start with the magic; anything else is trailing data (gzip(1) warns
                    // "trailing garbage ignored" and so do we).
                    if input.byte(ahead: 0) != 0x1F || (input.availableBytes >= 2 && input.byte(ahead: 1) != 0x8B) {
                        warnings.append(
                            CaptureWarning(
                                error(
                                    .gzipTrailingData,
                                    "another gzip member or the end",
                                    "\(input.availableBytes) other bytes",
                                    at: input.offset
                                )
                            )
                        )
                        state = .trailingData
                        break loop
                    }
                }
                guard try readHeader() else { break loop }
                state = .body
                inflater = Inflater()
                crc = CRC32()
                memberOutput = 0
            case .body:
                let before = output.count
                let status: Inflater.Status
                do {
                    status = try inflater.inflate(
                        &input,
                        into: &output,
                        maxOutput: maxOutput - (output.count - startCount)
                    )
                } catch {
                    throw self.error(.gzipData, error.expected, error.found, at: error.offset)
                }
                let produced = output.count - before
                crc.update(output[before...])
                memberOutput += Int64(produced)
                totalOutput += Int64(produced)
                try checkLimits()
                switch status {
                case .streamEnd: state = .trailer
                case .needInput: break loop
                case .outputFull: continue loop
                }
            case .trailer:
                // RFC 1952 §2.3.1: CRC32 then ISIZE (length mod 2^32), both little-endian.
                guard input.availableBytes >= 8 else { break loop }
                let offset = input.offset
                let trailer = Array(input.readBytes(8))
                let storedCRC = trailer.le32(0)
                let storedSize = trailer.le32(4)
                guard storedCRC == crc.value else {
                    throw error(.gzipChecksum, "CRC-32 \(hex32(crc.value))", hex32(storedCRC), at: offset)
                }
                guard storedSize == UInt32(truncatingIfNeeded: memberOutput) else {
                    throw error(
                        .gzipLength,
                        "ISIZE \(UInt32(truncatingIfNeeded: memberOutput))",
                        "\(storedSize)",
                        at: offset + 4
                    )
                }
                membersCompleted += 1
                state = .afterMember
            case .trailingData:
                break loop
            }
        }
        if input.isEnded && output.count == startCount {
            noteTruncation()
        }
        return output.count - startCount
    }

    private var reportedTruncation = false

    private mutating func noteTruncation() {
        guard !reportedTruncation else { return }
        let expected: String
        switch state {
        case .afterMember, .trailingData: return
        case .header:
            if membersCompleted == 0 && input.availableBytes == 0 && input.offset == 0 { return }
            expected = "a complete gzip header"
        case .body: expected = "more deflate data"
        case .trailer: expected = "the 8-byte gzip trailer"
        }
        reportedTruncation = true
        warnings.append(
            CaptureWarning(
                error(.gzipTruncated, expected, "the end of the input", at: input.offset)
            )
        )
    }

    private func checkLimits() throws(CaptureError) {
        if totalOutput > limits.maxOutputBytes {
            throw error(
                .gzipLimitExceeded,
                "at most \(limits.maxOutputBytes) decompressed bytes",
                "more",
                at: input.offset
            )
        }
        if let ratio = limits.maxRatio, totalOutput >= limits.ratioCheckThreshold,
            totalOutput > ratio * Int64(max(1, input.offset))
        {
            throw error(
                .gzipLimitExceeded,
                "at most \(ratio) decompressed bytes per compressed byte",
                "\(totalOutput) bytes from \(input.offset)",
                at: input.offset
            )
        }
    }

    /// Parses a member header (RFC 1952 §2.3) when it is complete in the input; false when it is not yet.
    private mutating func readHeader() throws(CaptureError) -> Bool {
        input.unreadWholeBytes()
        let start = input.offset
        guard input.availableBytes >= 10 else { return false }
        var cursor = 0
        func byte(_ index: Int) -> UInt8? { input.byte(ahead: index) }
        guard byte(0) == 0x1F, byte(1) == 0x8B else {
            throw error(.gzipHeader, "magic 1f 8b", "\(hexByte(byte(0))) \(hexByte(byte(1)))", at: start)
        }
        guard byte(2) == 8 else {
            throw error(.gzipHeader, "compression method 8 (deflate)", "\(byte(2) ?? 0)", at: start + 2)
        }
        let flags = byte(3) ?? 0
        guard flags & 0xE0 == 0 else {
            throw error(.gzipHeader, "reserved flag bits clear", "flags \(hexByte(flags))", at: start + 3)
        }
        cursor = 10
        if flags & 0x04 != 0 {  // FEXTRA: XLEN then XLEN bytes
            guard let low = byte(cursor), let high = byte(cursor + 1) else { return false }
            cursor += 2 + (Int(low) | Int(high) << 8)
            guard input.availableBytes >= cursor else { return false }
        }
        for flag in [UInt8(0x08), 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while true {
                guard let value = byte(cursor) else {
                    guard cursor < 1 << 20 else {
                        throw error(.gzipHeader, "a file name or comment under 1 MiB", "longer", at: start)
                    }
                    return false
                }
                cursor += 1
                if value == 0 { break }
            }
        }
        if flags & 0x02 != 0 {  // FHCRC: the low 16 bits of the CRC-32 of the header bytes before it
            guard let low = byte(cursor), let high = byte(cursor + 1) else { return false }
            let stored = UInt16(low) | UInt16(high) << 8
            var headerBytes = [UInt8]()
            for index in 0..<cursor { headerBytes.append(byte(index) ?? 0) }
            let computed = UInt16(truncatingIfNeeded: CRC32.checksum(headerBytes))
            guard stored == computed else {
                throw error(.gzipHeader, "header CRC \(computed)", "\(stored)", at: start + cursor)
            }
            cursor += 2
        }
        input.skipBytes(cursor)
        return true
    }

    private func hexByte(_ value: UInt8?) -> String {
        guard let value else { return "nothing" }
        return [value].hex(0, count: 1)
    }
}
