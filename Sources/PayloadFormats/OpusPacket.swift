import AudioCodecs

/// An Opus packet as RFC 6716 §3 frames it: the TOC byte (configuration, stereo flag, frame count code) and the
/// frame count and lengths, checked against the rules of §3.4. An RTP payload is exactly one packet (RFC 7587
/// §4.2), on a 48000 Hz clock whatever the audio bandwidth (§4.1).
enum OpusPacket {
    /// The duration of one frame of a TOC configuration (RFC 6716 §3.1, Table 2), in 48 kHz ticks: SILK-only
    /// configurations 0–11 have 10, 20, 40 or 60 ms frames; hybrid 12–15 10 or 20 ms; CELT-only 16–31 2.5, 5, 10
    /// or 20 ms.
    static func frameTicks(configuration: Int) -> Int {
        switch configuration {
        case 0...11: [480, 960, 1920, 2880][configuration % 4]
        case 12...15: [480, 960][configuration % 2]
        default: [120, 240, 480, 960][configuration % 4]
        }
    }

    /// The most audio a packet may hold (R5): 120 ms.
    static let maximumTicks = 5760
    /// The longest frame (R2): 1275 bytes.
    static let maximumFrameBytes = 1275

    /// What the packet's framing says: its duration, whether it keeps every rule of RFC 6716 §3.4, and whether all
    /// its frames are empty (DTX: the decoder conceals or continues its comfort noise, §3.2.1).
    struct Framing {
        var ticks: Int
        var isValid: Bool
        var isEmpty: Bool
    }

    /// Reads the packet's framing. Throws when the duration is unknown: an empty packet (R1), a code 3 packet
    /// without its frame count byte, with no frame, or with more than 120 ms (R5).
    static func framing(_ packet: UnsafeRawBufferPointer) throws(PayloadFormatError) -> Framing {
        guard let toc = packet.first else { throw PayloadFormatError(.emptyPayload) }
        let frameTicks = frameTicks(configuration: Int(toc >> 3))
        let count = packet.count
        switch toc & 3 {
        case 0:
            // One frame: the rest of the packet (R2).
            return Framing(ticks: frameTicks, isValid: count - 1 <= maximumFrameBytes, isEmpty: count == 1)
        case 1:
            // Two frames of equal size: an odd total length (R3), each within R2.
            let valid = (count - 1) % 2 == 0 && (count - 1) / 2 <= maximumFrameBytes
            return Framing(ticks: 2 * frameTicks, isValid: valid, isEmpty: count == 1)
        case 2:
            // Two frames, the first one's length coded after the TOC (R4), the second the rest (R2).
            var offset = 1
            guard let first = frameLength(packet, at: &offset), first <= count - offset else {
                return Framing(ticks: 2 * frameTicks, isValid: false, isEmpty: false)
            }
            let second = count - offset - first
            return Framing(ticks: 2 * frameTicks, isValid: second <= maximumFrameBytes, isEmpty: first + second == 0)
        default:
            return try code3Framing(packet, frameTicks: frameTicks)
        }
    }

    /// Code 3 (§3.2.5): a frame count byte (v: VBR, p: padding, M: frames), padding length bytes, and for VBR the
    /// lengths of all frames but the last (R6, R7).
    private static func code3Framing(
        _ packet: UnsafeRawBufferPointer,
        frameTicks: Int
    ) throws(PayloadFormatError) -> Framing {
        let count = packet.count
        guard count >= 2 else { throw PayloadFormatError(.truncatedHeader, offset: 1) }
        let frameCount = Int(packet[1] & 0x3F)
        guard frameCount >= 1, frameCount * frameTicks <= maximumTicks else {
            throw PayloadFormatError(.invalidOpusPacket, offset: 1)
        }
        let ticks = frameCount * frameTicks
        let invalid = Framing(ticks: ticks, isValid: false, isEmpty: false)
        var offset = 2
        var padding = 0
        if packet[1] & 0x40 != 0 {
            // Padding length: each byte 0–254 adds its value and ends the count; 255 adds 254 and continues.
            var more = true
            while more {
                guard offset < count else { return invalid }
                let byte = Int(packet[offset])
                offset += 1
                padding += byte == 255 ? 254 : byte
                more = byte == 255
            }
        }
        guard offset + padding <= count else { return invalid }
        let data = count - offset - padding
        if packet[1] & 0x80 == 0 {
            // CBR: M frames of equal size R ≤ 1275 (R6).
            let valid = data % frameCount == 0 && data / frameCount <= maximumFrameBytes
            return Framing(ticks: ticks, isValid: valid, isEmpty: data == 0)
        }
        // VBR: M − 1 coded lengths, then the frames; the last is what remains (R7, R2).
        var coded = 0
        for _ in 1..<frameCount {
            guard let length = frameLength(packet, at: &offset) else { return invalid }
            coded += length
        }
        let last = count - padding - offset - coded
        guard last >= 0 else { return invalid }
        return Framing(ticks: ticks, isValid: last <= maximumFrameBytes, isEmpty: coded + last == 0)
    }

    /// A frame length of §3.2.1: one byte 0–251, or two bytes (252–255, then a second byte b: 4·b + the first).
    /// Nil when the bytes run out.
    private static func frameLength(_ packet: UnsafeRawBufferPointer, at offset: inout Int) -> Int? {
        guard offset < packet.count else { return nil }
        let first = Int(packet[offset])
        offset += 1
        if first < 252 { return first }
        guard offset < packet.count else { return nil }
        let second = Int(packet[offset])
        offset += 1
        return 4 * second + first
    }

    static func duration(_ packet: UnsafeRawBufferPointer) throws(PayloadFormatError) -> PayloadDuration {
        let framing = try framing(packet)
        return PayloadDuration(ticks: framing.ticks, fitsCodec: framing.isValid)
    }

    /// The packet whole, as libopus decodes it, its samples counted at `sampleRate` (a divisor of 48000 whose
    /// ratio leaves whole samples: 2.5 ms is 20 samples at 8 kHz).
    static func frames(_ packet: UnsafeRawBufferPointer, sampleRate: Int) throws(PayloadFormatError) -> PayloadFrames {
        let framing = try framing(packet)
        let duration = PayloadDuration(ticks: framing.ticks, fitsCodec: framing.isValid)
        let samples = framing.ticks * sampleRate / 48000
        let frame: CodecFrame
        if !framing.isValid {
            frame = CodecFrame(kind: .damaged, bytes: [], sampleCount: samples)
        } else {
            frame = CodecFrame(kind: framing.isEmpty ? .noData : .speech, bytes: Array(packet), sampleCount: samples)
        }
        return PayloadFrames(frames: [frame], duration: duration)
    }
}
