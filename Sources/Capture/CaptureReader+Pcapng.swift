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

    mutating func readPcapng(_ state: inout PcapngState) throws(CaptureError) -> Step {
        guard available >= 12 else { return .needMore }
        let blockOffset = bytesConsumed
        var type = buffer.u32(head, bigEndian: state.bigEndian)
        if type == BlockType.sectionHeader {
            // The byte-order magic decides how this section's numbers (the block length included) are read.
            switch buffer.be32(head + 8) {
            case 0x1A2B_3C4D: state.bigEndian = true
            case 0x4D3C_2B1A: state.bigEndian = false
            default:
                throw recordError(
                    .badBlock,
                    expected: "byte-order magic 1a2b3c4d",
                    found: buffer.hex(head + 8, count: 4),
                    at: blockOffset + 8
                )
            }
            type = BlockType.sectionHeader
        } else if state.sections == 0 {
            throw recordError(.notACapture, expected: "a pcapng section header block", found: "block \(type)")
        }
        let length = Int(buffer.u32(head + 4, bigEndian: state.bigEndian))
        let minimum = type == BlockType.sectionHeader ? 28 : 12
        let maximum = limits.maximumRecordBytes + 64
        guard length % 4 == 0, length >= minimum, length <= maximum else {
            throw recordError(
                length > maximum ? .oversizedRecord : .badBlock,
                expected: "a block length that is a multiple of 4, from \(minimum) to \(maximum)",
                found: "\(length) (block type \(hex32(type)))",
                at: blockOffset + 4
            )
        }
        guard available >= length else { return .needMore }
        let trailing = Int(buffer.u32(head + length - 4, bigEndian: state.bigEndian))
        guard trailing == length else {
            throw recordError(
                .badBlock,
                expected: "a trailing block length of \(length)",
                found: "\(trailing)",
                at: blockOffset + length - 4
            )
        }
        defer { head += length }
        let start = head
        let end = head + length - 4
        let bigEndian = state.bigEndian
        switch type {
        case BlockType.sectionHeader:
            let major = buffer.u16(start + 12, bigEndian: bigEndian)
            guard major == 1 else {
                throw recordError(.unsupportedVersion, expected: "pcapng version 1.x", found: "\(major).x")
            }
            if state.sections == 0 { setFormat(.pcapng(bigEndian: bigEndian)) }
            state.sections += 1
            state.interfaces = []
            return .consumed

        case BlockType.interfaceDescription:
            guard length >= 20 else {
                throw recordError(.badBlock, expected: "an interface block of at least 20 bytes", found: "\(length)")
            }
            var interface = PcapngInterface(
                linkType: LinkType(rawValue: UInt32(buffer.u16(start + 8, bigEndian: bigEndian))),
                snapLength: Int(buffer.u32(start + 12, bigEndian: bigEndian))
            )
            try readInterfaceOptions(&interface, from: start + 16, to: end, bigEndian: bigEndian)
            state.interfaces.append(interface)
            return .consumed

        case BlockType.enhancedPacket, BlockType.obsoletePacket:
            let packetNumber = packetCount + 1
            guard length >= 32 else {
                throw recordError(
                    .badBlock,
                    expected: "a packet block of at least 32 bytes",
                    found: "\(length)",
                    packet: packetNumber
                )
            }
            let interfaceIndex =
                type == BlockType.enhancedPacket
                ? Int(buffer.u32(start + 8, bigEndian: bigEndian)) : Int(buffer.u16(start + 8, bigEndian: bigEndian))
            let units =
                UInt64(buffer.u32(start + 12, bigEndian: bigEndian)) << 32
                | UInt64(buffer.u32(start + 16, bigEndian: bigEndian))
            let captured = Int(buffer.u32(start + 20, bigEndian: bigEndian))
            let original = Int(buffer.u32(start + 24, bigEndian: bigEndian))
            guard captured <= end - (start + 28) else {
                throw recordError(
                    .badBlock,
                    expected: "a captured length within the \(length)-byte block",
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
            return .frame(
                LinkFrame(
                    timestamp: timestamp,
                    linkType: interface.linkType,
                    data: Array(buffer[(start + 28)..<(start + 28 + captured)]),
                    originalLength: max(original, captured),
                    packetNumber: packetNumber,
                    byteOffset: blockOffset,
                    interfaceIndex: interfaceIndex
                )
            )

        case BlockType.simplePacket:
            let packetNumber = packetCount + 1
            guard length >= 16 else {
                throw recordError(.badBlock, expected: "a simple packet block of at least 16 bytes", found: "\(length)")
            }
            guard let interface = state.interfaces.first else {
                throw recordError(
                    .unknownInterface,
                    expected: "interface 0 described before a simple packet block",
                    found: "no interface",
                    packet: packetNumber
                )
            }
            let original = Int(buffer.u32(start + 8, bigEndian: bigEndian))
            // The captured length is implied: the original length, cut by the block and interface 0's snaplen.
            var captured = min(original, end - (start + 12))
            if interface.snapLength > 0 { captured = min(captured, interface.snapLength) }
            return .frame(
                LinkFrame(
                    timestamp: state.lastTimestamp,
                    linkType: interface.linkType,
                    data: Array(buffer[(start + 12)..<(start + 12 + captured)]),
                    originalLength: max(original, captured),
                    packetNumber: packetNumber,
                    byteOffset: blockOffset,
                    interfaceIndex: 0
                )
            )

        default:
            // Name resolution, statistics, journal, custom blocks: nothing for us.
            return .consumed
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
