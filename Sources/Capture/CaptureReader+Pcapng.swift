// pcapng (draft-ietf-opsawg-pcapng): blocks of type, total length, body, total length again.
extension CaptureReader {
    struct PcapngInterface: Sendable {
        var linkType: LinkType
        var snapLength: Int
        /// if_tsresol: 10^-n when `binary` is false, 2^-n when true (default 10^-6).
        var resolutionExponent = 6
        var binaryResolution = false
        /// if_tsoffset, seconds added to every timestamp.
        var offsetSeconds: Int64 = 0
    }

    struct PcapngState: Sendable {
        var sections = 0
        var bigEndian = false
        var interfaces: [PcapngInterface] = []
        /// SPB carries no timestamp: it gets the last timestamp seen (documented choice).
        var lastTimestamp: Int64 = 0
    }

    private enum BlockType {
        static let sectionHeader: UInt32 = 0x0A0D_0D0A
        static let interfaceDescription: UInt32 = 1
        static let obsoletePacket: UInt32 = 2
        static let simplePacket: UInt32 = 3
        static let enhancedPacket: UInt32 = 6
    }

    /// Where a complete block is in `buffer`: its type, start (at the type field), the end of its body (at the
    /// trailing length), its length and its offset in the capture.
    private struct Block {
        var type: UInt32
        var start: Int
        var end: Int
        var length: Int
        var offset: Int
    }

    mutating func readPcapng(_ state: inout PcapngState) throws(CaptureError) -> Step {
        guard available >= 12 else { return .needMore }
        guard let block = try nextPcapngBlock(&state) else { return .needMore }
        defer { head += block.length }
        switch block.type {
        case BlockType.sectionHeader:
            return try readSectionHeader(block, &state)
        case BlockType.interfaceDescription:
            return try readInterfaceDescription(block, &state)
        case BlockType.enhancedPacket, BlockType.obsoletePacket:
            return try readPacketBlock(block, &state)
        case BlockType.simplePacket:
            return try readSimplePacketBlock(block, state)
        default:
            // Name resolution, statistics, journal, custom blocks: nothing for us.
            return .consumed
        }
    }

    /// The block at `head` once it is complete (nil while it is not), its framing checked: a section header's
    /// byte-order magic (which sets how the section's numbers are read, its own length included), a length that
    /// is a multiple of 4 within bounds, and the same length repeated at its end.
    private func nextPcapngBlock(_ state: inout PcapngState) throws(CaptureError) -> Block? {
        let offset = bytesConsumed
        // The SHB type 0a0d0d0a reads the same in either byte order.
        let type = buffer.u32(head, bigEndian: state.bigEndian)
        let isSection = type == BlockType.sectionHeader
        if isSection {
            switch buffer.be32(head + 8) {
            case 0x1A2B_3C4D: state.bigEndian = true
            case 0x4D3C_2B1A: state.bigEndian = false
            default:
                throw recordError(
                    .badBlock,
                    expected: "byte-order magic 1a2b3c4d",
                    found: buffer.hex(head + 8, count: 4),
                    at: offset + 8
                )
            }
        } else if state.sections == 0 {
            throw recordError(.notACapture, expected: "a pcapng section header block", found: "block \(type)")
        }
        let length = Int(buffer.u32(head + 4, bigEndian: state.bigEndian))
        let minimum = isSection ? 28 : 12
        let maximum = limits.maximumRecordBytes + 64
        guard length % 4 == 0, length >= minimum, length <= maximum else {
            throw recordError(
                length > maximum ? .oversizedRecord : .badBlock,
                expected: "a block length that is a multiple of 4, from \(minimum) to \(maximum)",
                found: "\(length) (block type \(hex32(type)))",
                at: offset + 4
            )
        }
        guard available >= length else { return nil }
        let trailing = Int(buffer.u32(head + length - 4, bigEndian: state.bigEndian))
        guard trailing == length else {
            throw recordError(
                .badBlock,
                expected: "a trailing block length of \(length)",
                found: "\(trailing)",
                at: offset + length - 4
            )
        }
        return Block(
            type: type,
            start: head,
            end: head + length - 4,
            length: length,
            offset: offset
        )
    }

    /// SHB: a new section, its interfaces numbered from 0 again.
    private mutating func readSectionHeader(_ block: Block, _ state: inout PcapngState) throws(CaptureError) -> Step {
        let major = buffer.u16(block.start + 12, bigEndian: state.bigEndian)
        guard major == 1 else {
            throw recordError(.unsupportedVersion, expected: "pcapng version 1.x", found: "\(major).x")
        }
        if state.sections == 0 { setFormat(.pcapng(bigEndian: state.bigEndian)) }
        state.sections += 1
        state.interfaces = []
        return .consumed
    }

    /// IDB: the link type, snaplen and timestamp resolution of the next interface.
    private func readInterfaceDescription(_ block: Block, _ state: inout PcapngState) throws(CaptureError) -> Step {
        guard block.length >= 20 else {
            throw recordError(.badBlock, expected: "an interface block of at least 20 bytes", found: "\(block.length)")
        }
        let bigEndian = state.bigEndian
        var interface = PcapngInterface(
            linkType: LinkType(rawValue: UInt32(buffer.u16(block.start + 8, bigEndian: bigEndian))),
            snapLength: Int(buffer.u32(block.start + 12, bigEndian: bigEndian))
        )
        try readInterfaceOptions(&interface, from: block.start + 16, to: block.end, bigEndian: bigEndian)
        state.interfaces.append(interface)
        return .consumed
    }

    /// EPB, and the obsolete Packet Block (a 16-bit interface id and drops count where EPB has a 32-bit id).
    private func readPacketBlock(_ block: Block, _ state: inout PcapngState) throws(CaptureError) -> Step {
        let packetNumber = packetCount + 1
        guard block.length >= 32 else {
            throw recordError(
                .badBlock,
                expected: "a packet block of at least 32 bytes",
                found: "\(block.length)",
                packet: packetNumber
            )
        }
        let (start, bigEndian) = (block.start, state.bigEndian)
        let interfaceIndex =
            block.type == BlockType.enhancedPacket
            ? Int(buffer.u32(start + 8, bigEndian: bigEndian)) : Int(buffer.u16(start + 8, bigEndian: bigEndian))
        let units =
            UInt64(buffer.u32(start + 12, bigEndian: bigEndian)) << 32
            | UInt64(buffer.u32(start + 16, bigEndian: bigEndian))
        let captured = Int(buffer.u32(start + 20, bigEndian: bigEndian))
        let original = Int(buffer.u32(start + 24, bigEndian: bigEndian))
        guard captured <= block.end - (start + 28) else {
            throw recordError(
                .badBlock,
                expected: "a captured length within the \(block.length)-byte block",
                found: "\(captured)",
                packet: packetNumber
            )
        }
        guard interfaceIndex < state.interfaces.count else {
            throw recordError(
                .unknownInterface,
                expected: "an interface below \(state.interfaces.count)",
                found: "interface \(interfaceIndex)",
                packet: packetNumber
            )
        }
        let interface = state.interfaces[interfaceIndex]
        let timestamp = try nanoseconds(units, interface, packet: packetNumber)
        state.lastTimestamp = timestamp
        return packetRecord(packetNumber, timestamp: timestamp) {
            LinkFrame(
                timestamp: timestamp,
                linkType: interface.linkType,
                data: Array(buffer[(start + 28)..<(start + 28 + captured)]),
                originalLength: max(original, captured),
                packetNumber: packetNumber,
                byteOffset: block.offset,
                interfaceIndex: interfaceIndex
            )
        }
    }

    /// SPB: a packet on interface 0 with no timestamp (it gets the last one seen) and an implied captured length.
    private func readSimplePacketBlock(_ block: Block, _ state: PcapngState) throws(CaptureError) -> Step {
        let packetNumber = packetCount + 1
        guard block.length >= 16 else {
            throw recordError(
                .badBlock,
                expected: "a simple packet block of at least 16 bytes",
                found: "\(block.length)"
            )
        }
        guard let interface = state.interfaces.first else {
            throw recordError(
                .unknownInterface,
                expected: "interface 0 described before a simple packet block",
                found: "no interface",
                packet: packetNumber
            )
        }
        let original = Int(buffer.u32(block.start + 8, bigEndian: state.bigEndian))
        // The captured length is implied: the original length, cut by the block and interface 0's snaplen.
        var captured = min(original, block.end - (block.start + 12))
        if interface.snapLength > 0 { captured = min(captured, interface.snapLength) }
        return packetRecord(packetNumber, timestamp: state.lastTimestamp) {
            LinkFrame(
                timestamp: state.lastTimestamp,
                linkType: interface.linkType,
                data: Array(buffer[(block.start + 12)..<(block.start + 12 + captured)]),
                originalLength: max(original, captured),
                packetNumber: packetNumber,
                byteOffset: block.offset,
                interfaceIndex: 0
            )
        }
    }

    /// IDB options (code, length, value padded to 4): if_tsresol (9) and if_tsoffset (14).
    private func readInterfaceOptions(
        _ interface: inout PcapngInterface,
        from start: Int,
        to end: Int,
        bigEndian: Bool
    ) throws(CaptureError) {
        var cursor = start
        while cursor + 4 <= end {
            let code = buffer.u16(cursor, bigEndian: bigEndian)
            let length = Int(buffer.u16(cursor + 2, bigEndian: bigEndian))
            let value = cursor + 4
            guard code != 0, value + length <= end else { break }
            if code == 9 && length >= 1 {
                let resolution = buffer[value]
                interface.binaryResolution = resolution & 0x80 != 0
                interface.resolutionExponent = Int(resolution & 0x7F)
                let limit = interface.binaryResolution ? 63 : 18
                guard interface.resolutionExponent <= limit else {
                    throw recordError(
                        .badBlock,
                        expected: "if_tsresol up to \(interface.binaryResolution ? "2^-63" : "10^-18")",
                        found: "\(resolution)",
                        at: base + value
                    )
                }
            } else if code == 14 && length == 8 {
                interface.offsetSeconds = Int64(bitPattern: buffer.u64(value, bigEndian: bigEndian))
            }
            cursor = value + (length + 3) & ~3
        }
    }

    /// Timestamp units of an interface to nanoseconds since the epoch (saturating on absurd values).
    private func nanoseconds(
        _ units: UInt64,
        _ interface: PcapngInterface,
        packet: Int
    ) throws(CaptureError) -> Int64 {
        var value: UInt64
        let exponent = interface.resolutionExponent
        if interface.binaryResolution {
            let (high, low) = units.multipliedFullWidth(by: 1_000_000_000)
            if exponent == 0 {
                value = high == 0 ? low : UInt64.max
            } else {
                value = high >> UInt64(exponent) == 0 ? high << UInt64(64 - exponent) | low >> UInt64(exponent) : .max
            }
        } else if exponent <= 9 {
            var scale: UInt64 = 1
            for _ in 0..<(9 - exponent) { scale *= 10 }
            let (product, overflow) = units.multipliedReportingOverflow(by: scale)
            value = overflow ? .max : product
        } else {
            var scale: UInt64 = 1
            for _ in 0..<(exponent - 9) { scale *= 10 }
            value = units / scale
        }
        let nanoseconds = Int64(clamping: value)
        let (offset, offsetOverflow) = interface.offsetSeconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, sumOverflow) = nanoseconds.addingReportingOverflow(offset)
        guard !offsetOverflow, !sumOverflow else {
            throw recordError(
                .badBlock,
                expected: "a timestamp within ±292 years of 1970",
                found: "\(units) units with if_tsoffset \(interface.offsetSeconds) s",
                packet: packet
            )
        }
        return sum
    }
}
