// Whole-buffer G.711 decoding and encoding: one table lookup or a few integer operations per sample, no
// per-sample allocation (the output array grows once per call).

extension G711 {
    /// Decodes µ-law codes (one byte per sample, as RTP payload type 0 carries them) and appends the 16-bit
    /// linear samples to `samples`.
    @inlinable
    public static func decodeMuLaw(_ codes: UnsafeRawBufferPointer, appendingTo samples: inout [Int16]) {
        decode(codes, table: muLawDecodeTable, appendingTo: &samples)
    }

    /// Decodes A-law codes (one byte per sample, as RTP payload type 8 carries them) and appends the 16-bit
    /// linear samples to `samples`.
    @inlinable
    public static func decodeALaw(_ codes: UnsafeRawBufferPointer, appendingTo samples: inout [Int16]) {
        decode(codes, table: aLawDecodeTable, appendingTo: &samples)
    }

    /// Decodes µ-law codes into a caller-provided buffer of at least `codes.count` samples.
    @inlinable
    public static func decodeMuLaw(_ codes: UnsafeRawBufferPointer, into samples: UnsafeMutableBufferPointer<Int16>) {
        muLawDecodeTable.withUnsafeBufferPointer { decode(codes, table: $0, into: samples) }
    }

    /// Decodes A-law codes into a caller-provided buffer of at least `codes.count` samples.
    @inlinable
    public static func decodeALaw(_ codes: UnsafeRawBufferPointer, into samples: UnsafeMutableBufferPointer<Int16>) {
        aLawDecodeTable.withUnsafeBufferPointer { decode(codes, table: $0, into: samples) }
    }

    /// Decodes µ-law codes into a new array.
    @inlinable
    public static func decodeMuLaw(_ codes: [UInt8]) -> [Int16] {
        var samples: [Int16] = []
        codes.withUnsafeBytes { decodeMuLaw($0, appendingTo: &samples) }
        return samples
    }

    /// Decodes A-law codes into a new array.
    @inlinable
    public static func decodeALaw(_ codes: [UInt8]) -> [Int16] {
        var samples: [Int16] = []
        codes.withUnsafeBytes { decodeALaw($0, appendingTo: &samples) }
        return samples
    }

    /// Encodes 16-bit linear samples to µ-law and appends the codes to `codes`.
    @inlinable
    public static func encodeMuLaw(_ samples: UnsafeBufferPointer<Int16>, appendingTo codes: inout [UInt8]) {
        encode(samples, appendingTo: &codes, encodeMuLaw)
    }

    /// Encodes 16-bit linear samples to A-law and appends the codes to `codes`.
    @inlinable
    public static func encodeALaw(_ samples: UnsafeBufferPointer<Int16>, appendingTo codes: inout [UInt8]) {
        encode(samples, appendingTo: &codes, encodeALaw)
    }

    /// Encodes 16-bit linear samples to µ-law codes.
    @inlinable
    public static func encodeMuLaw(_ samples: [Int16]) -> [UInt8] {
        var codes: [UInt8] = []
        samples.withUnsafeBufferPointer { encodeMuLaw($0, appendingTo: &codes) }
        return codes
    }

    /// Encodes 16-bit linear samples to A-law codes.
    @inlinable
    public static func encodeALaw(_ samples: [Int16]) -> [UInt8] {
        var codes: [UInt8] = []
        samples.withUnsafeBufferPointer { encodeALaw($0, appendingTo: &codes) }
        return codes
    }

    @inlinable
    static func decode(_ codes: UnsafeRawBufferPointer, table: [Int16], appendingTo samples: inout [Int16]) {
        let count = codes.count
        guard count > 0 else { return }
        let start = samples.count
        // Grow once (the zero fill is a memset), then write through a pointer: no per-sample checks.
        samples.append(contentsOf: repeatElement(0, count: count))
        samples.withUnsafeMutableBufferPointer { output in
            table.withUnsafeBufferPointer { table in
                decode(codes, table: table, into: UnsafeMutableBufferPointer(rebasing: output[start...]))
            }
        }
    }

    @inlinable
    static func decode(
        _ codes: UnsafeRawBufferPointer,
        table: UnsafeBufferPointer<Int16>,
        into samples: UnsafeMutableBufferPointer<Int16>
    ) {
        let count = codes.count
        precondition(samples.count >= count, "G711: output buffer shorter than the input")
        guard count > 0, let input = codes.baseAddress, let output = samples.baseAddress,
            let lookup = table.baseAddress
        else { return }
        let bytes = input.assumingMemoryBound(to: UInt8.self)
        var index = 0
        while index < count {
            // The table has 256 entries and a code is a byte, so the lookup is always in range.
            output[index] = lookup[Int(bytes[index])]
            index &+= 1
        }
    }

    @inlinable
    static func encode(
        _ samples: UnsafeBufferPointer<Int16>,
        appendingTo codes: inout [UInt8],
        _ encodeOne: (Int16) -> UInt8
    ) {
        let count = samples.count
        guard count > 0, let input = samples.baseAddress else { return }
        let start = codes.count
        codes.append(contentsOf: repeatElement(0, count: count))
        codes.withUnsafeMutableBufferPointer { buffer in
            guard let output = buffer.baseAddress?.advanced(by: start) else { return }
            var index = 0
            while index < count {
                output[index] = encodeOne(input[index])
                index &+= 1
            }
        }
    }
}
