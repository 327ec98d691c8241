/// An IPv4 or IPv6 address, stored inline (no allocation) so packets and stream keys stay cheap to copy and hash.
public struct IPAddress: Hashable, Sendable, Comparable {
    /// The address bytes: IPv4 in the first 4 bytes, IPv6 in all 16.
    public var high: UInt64
    public var low: UInt64
    public var isIPv6: Bool

    /// An IPv4 address from its four bytes in network order.
    public init(ipv4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        high = UInt64(a) << 56 | UInt64(b) << 48 | UInt64(c) << 40 | UInt64(d) << 32
        low = 0
        isIPv6 = false
    }

    /// An IPv4 address from its 32-bit value in host order (192.0.2.1 is 0xC000_0201).
    public init(ipv4 value: UInt32) {
        high = UInt64(value) << 32
        low = 0
        isIPv6 = false
    }

    /// An IPv6 address from its two 64-bit halves in host order.
    public init(ipv6High high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
        isIPv6 = true
    }

    /// An IPv6 address from 16 bytes in network order.
    public init?(ipv6Bytes bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(ipv6High: high, low: low)
    }

    /// The IPv4 value in host order, or nil for IPv6.
    public var ipv4Value: UInt32? { isIPv6 ? nil : UInt32(truncatingIfNeeded: high >> 32) }

    /// The address bytes in network order (4 or 16).
    public var bytes: [UInt8] {
        if let v4 = ipv4Value {
            return [
                UInt8(v4 >> 24), UInt8(truncatingIfNeeded: v4 >> 16), UInt8(truncatingIfNeeded: v4 >> 8),
                UInt8(truncatingIfNeeded: v4),
            ]
        }
        var out = [UInt8]()
        out.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: high >> UInt64(shift)))
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: low >> UInt64(shift)))
        }
        return out
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.isIPv6 ? 1 : 0, lhs.high, lhs.low) < (rhs.isIPv6 ? 1 : 0, rhs.high, rhs.low)
    }
}

extension IPAddress: CustomStringConvertible {
    /// Dotted quad for IPv4; RFC 5952 text (lower case, longest zero run compressed) for IPv6.
    public var description: String {
        if let v4 = ipv4Value {
            return "\(v4 >> 24).\((v4 >> 16) & 0xFF).\((v4 >> 8) & 0xFF).\(v4 & 0xFF)"
        }
        var groups = [UInt16]()
        for shift in stride(from: 48, through: 0, by: -16) {
            groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift)))
        }
        for shift in stride(from: 48, through: 0, by: -16) {
            groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift)))
        }
        // RFC 5952 §4.2.3: compress the longest run of two or more zero groups, the first one on a tie.
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ value: UInt16) -> String { String(value, radix: 16) }
        if bestStart < 0 { return groups.map(hex).joined(separator: ":") }
        let head = groups[..<bestStart].map(hex).joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].map(hex).joined(separator: ":")
        return head + "::" + tail
    }
}

extension IPAddress {
    /// Parses dotted-quad IPv4 or RFC 4291 text IPv6 (with `::`; no zone, no embedded IPv4).
    public init?(_ text: some StringProtocol) {
        if text.contains(":") {
            // At most one "::" stands for a run of zero groups (RFC 4291 §2.2).
            let halves = String(text).split(separator: "::", omittingEmptySubsequences: false).map(String.init)
            guard halves.count <= 2 else { return nil }
            func groups(_ part: String) -> [UInt16]? {
                if part.isEmpty { return [] }
                var out = [UInt16]()
                for piece in part.split(separator: ":", omittingEmptySubsequences: false) {
                    guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                    out.append(value)
                }
                return out
            }
            guard var all = groups(halves[0]) else { return nil }
            if halves.count == 2 {
                guard let tail = groups(halves[1]), all.count + tail.count < 8 else { return nil }
                all += [UInt16](repeating: 0, count: 8 - all.count - tail.count) + tail
            }
            guard all.count == 8 else { return nil }
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (i, group) in all.enumerated() {
                if i < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
            }
            self.init(ipv6High: high, low: low)
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.init(ipv4: value)
    }
}
