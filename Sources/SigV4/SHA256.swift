/// SHA-256 (FIPS 180-4 §6.2), streaming: feed bytes with `update`, read the digest with `finalize`.
///
/// Whole 64-byte blocks are compressed straight from the caller's buffer; only a partial tail is copied.
/// A value type: copy it to fork a running hash.
public struct SHA256: Sendable {
    /// Hash value H(i) (FIPS 180-4 §5.3.3 gives H(0)).
    private var h0: UInt32 = 0x6a09_e667
    private var h1: UInt32 = 0xbb67_ae85
    private var h2: UInt32 = 0x3c6e_f372
    private var h3: UInt32 = 0xa54f_f53a
    private var h4: UInt32 = 0x510e_527f
    private var h5: UInt32 = 0x9b05_688c
    private var h6: UInt32 = 0x1f83_d9ab
    private var h7: UInt32 = 0x5be0_cd19
    /// Bytes of a block not yet compressed (fewer than 64).
    private var pending: [UInt8] = []
    /// Message length so far, in bytes (the padding encodes it in bits, §5.1.1).
    private var byteCount: UInt64 = 0

    /// The digest length in bytes.
    public static let digestByteCount = 32

    public init() {
        pending.reserveCapacity(64)
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        byteCount &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
            offset = take
            if pending.count < 64 { return }
            let block = pending
            block.withUnsafeBytes { compress(blocks: $0) }
            pending.removeAll(keepingCapacity: true)
        }
        let wholeBlocks = (bytes.count - offset) / 64 * 64
        if wholeBlocks > 0 {
            compress(blocks: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + wholeBlocks]))
            offset += wholeBlocks
        }
        if offset < bytes.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
        }
    }

    /// Adds bytes to the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// Adds the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Pads the message (FIPS 180-4 §5.1.1) and returns the 32-byte digest. The hasher is spent afterwards.
    public mutating func finalize() -> [UInt8] {
        let bitLength = byteCount &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> shift)) }
        tail.withUnsafeBytes { compress(blocks: $0) }
        pending.removeAll()
        var digest = [UInt8]()
        digest.reserveCapacity(32)
        for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// The digest of a whole message.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `size` bytes read piece by piece: `piece(offset)` returns the bytes from `offset` on (any
    /// number of them, but at least one before the end), so that a file or stream need not be in memory whole.
    public static func hash<Failure: Error>(
        size: Int,
        piece: (_ offset: Int) throws(Failure) -> [UInt8]
    ) throws(Failure) -> [UInt8] {
        var hasher = SHA256()
        var offset = 0
        while offset < size {
            let bytes = try piece(offset)
            precondition(!bytes.isEmpty, "SHA256.hash(size:piece:): no bytes at \(offset) of \(size)")
            bytes.withUnsafeBytes { hasher.update($0) }
            offset += bytes.count
        }
        return hasher.finalize()
    }

    /// The digest of a string's UTF-8 bytes.
    public static func hash(_ string: String) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(string)
        return hasher.finalize()
    }

    /// Compresses a whole number of 64-byte blocks (FIPS 180-4 §6.2.2).
    private mutating func compress(blocks: UnsafeRawBufferPointer) {
        precondition(blocks.count % 64 == 0)
        SHA256.roundConstants.withUnsafeBufferPointer { constants in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                compress(blocks: blocks, constants: constants, schedule: schedule)
            }
        }
    }

    private mutating func compress(
        blocks: UnsafeRawBufferPointer,
        constants: UnsafeBufferPointer<UInt32>,
        schedule: UnsafeMutableBufferPointer<UInt32>
    ) {
        do {
            var a0 = h0
            var b0 = h1
            var c0 = h2
            var d0 = h3
            var e0 = h4
            var f0 = h5
            var g0 = h6
            var k0 = h7
            var base = 0
            while base < blocks.count {
                // Message schedule W(t), §6.2.2 step 1: words are big-endian.
                for t in 0..<16 {
                    schedule[t] = UInt32(bigEndian: blocks.loadUnaligned(fromByteOffset: base + t * 4, as: UInt32.self))
                }
                for t in 16..<64 {
                    let w15 = schedule[t - 15]
                    let w2 = schedule[t - 2]
                    let s0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 &>> 3)
                    let s1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 &>> 10)
                    schedule[t] = schedule[t - 16] &+ s0 &+ schedule[t - 7] &+ s1
                }
                var a = a0
                var b = b0
                var c = c0
                var d = d0
                var e = e0
                var f = f0
                var g = g0
                var h = k0
                // Eight rounds per pass with the working variables renamed instead of shifted (§6.2.2 step 3).
                var t = 0
                while t < 64 {
                    Self.round(a, b, c, &d, e, f, g, &h, constants[t] &+ schedule[t])
                    Self.round(h, a, b, &c, d, e, f, &g, constants[t + 1] &+ schedule[t + 1])
                    Self.round(g, h, a, &b, c, d, e, &f, constants[t + 2] &+ schedule[t + 2])
                    Self.round(f, g, h, &a, b, c, d, &e, constants[t + 3] &+ schedule[t + 3])
                    Self.round(e, f, g, &h, a, b, c, &d, constants[t + 4] &+ schedule[t + 4])
                    Self.round(d, e, f, &g, h, a, b, &c, constants[t + 5] &+ schedule[t + 5])
                    Self.round(c, d, e, &f, g, h, a, &b, constants[t + 6] &+ schedule[t + 6])
                    Self.round(b, c, d, &e, f, g, h, &a, constants[t + 7] &+ schedule[t + 7])
                    t += 8
                }
                a0 = a0 &+ a
                b0 = b0 &+ b
                c0 = c0 &+ c
                d0 = d0 &+ d
                e0 = e0 &+ e
                f0 = f0 &+ f
                g0 = g0 &+ g
                k0 = k0 &+ h
                base += 64
            }
            h0 = a0
            h1 = b0
            h2 = c0
            h3 = d0
            h4 = e0
            h5 = f0
            h6 = g0
            h7 = k0
        }
    }

    /// One round: T1 = h + Σ1(e) + Ch(e, f, g) + K(t) + W(t), T2 = Σ0(a) + Maj(a, b, c); d += T1, h = T1 + T2.
    @inline(__always)
    private static func round(
        _ a: UInt32,
        _ b: UInt32,
        _ c: UInt32,
        _ d: inout UInt32,
        _ e: UInt32,
        _ f: UInt32,
        _ g: UInt32,
        _ h: inout UInt32,
        _ constantPlusWord: UInt32
    ) {
        let sigma1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
        let choose = (e & f) ^ (~e & g)
        let t1 = h &+ sigma1 &+ choose &+ constantPlusWord
        let sigma0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        d = d &+ t1
        h = t1 &+ sigma0 &+ majority
    }

    /// Constants K(t), the first 32 bits of the fractional parts of the cube roots of the first 64 primes
    /// (FIPS 180-4 §4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}

extension UInt32 {
    /// Circular right shift ROTR^n (FIPS 180-4 §3.2).
    @inline(__always)
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 {
        (self &>> count) | (self &<< (32 &- count))
    }
}
