// RFC 6716 §3 Opus packets (one per RTP payload, RFC 7587 §4.2) from frames.

extension Packetizer {
    /// An Opus packet of `frames` in TOC configuration `configuration` (0–31, RFC 6716 Table 2): code 0 for one
    /// frame, code 1 for two of the same size, code 2 for two of different sizes, code 3 otherwise (VBR when sizes
    /// differ) or when `padding` bytes are asked for or `code3` is set (§3.2).
    public static func opus(
        configuration: Int,
        stereo: Bool = false,
        frames: [[UInt8]],
        padding: Int = 0,
        code3: Bool = false
    ) -> [UInt8] {
        let toc = UInt8(configuration << 3 | (stereo ? 4 : 0))
        let equal = frames.allSatisfy { $0.count == frames.first?.count }
        if !code3 && padding == 0 && frames.count == 1 {
            return [toc] + frames[0]
        }
        if !code3 && padding == 0 && frames.count == 2 {
            return equal
                ? [toc | 1] + frames[0] + frames[1] : [toc | 2] + opusLength(frames[0].count) + frames[0] + frames[1]
        }
        var packet: [UInt8] = [toc | 3, UInt8((equal ? 0 : 0x80) | (padding > 0 ? 0x40 : 0) | frames.count)]
        if padding > 0 {
            // Each 255 adds 254 and continues; the last byte adds its value (§3.2.5).
            var left = padding
            while left > 254 {
                packet.append(255)
                left -= 254
            }
            packet.append(UInt8(left))
        }
        if !equal {
            for frame in frames.dropLast() { packet += opusLength(frame.count) }
        }
        return packet + frames.flatMap { $0 } + [UInt8](repeating: 0, count: padding)
    }

    /// A frame length in one byte (0–251) or two (RFC 6716 §3.2.1).
    public static func opusLength(_ length: Int) -> [UInt8] {
        guard length >= 252 else { return [UInt8(length)] }
        let first = 252 + (length - 252) % 4
        return [UInt8(first), UInt8((length - first) / 4)]
    }
}
