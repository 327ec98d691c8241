import AudioCodecs

/// The AMR and AMR-WB payload format of RFC 4867, single channel, without interleaving or CRCs: a 4-bit codec mode
/// request (CMR), a table of contents with one entry per 20 ms frame (F: more entries follow, FT: frame type,
/// Q: frame quality), then the frames' bits. Bandwidth-efficient mode (§4.3) packs it all bit by bit; octet-aligned
/// mode (§4.4) gives the CMR and each entry an octet and pads each frame to an octet.
///
/// Each frame is given to the decoder in the storage format of RFC 4867 §5.3: one header octet (FT and Q) and the
/// frame's bits from the most significant bit of the next octet, zero-padded; what opencore-amr decodes.
enum AMRPayload {
    /// One entry of the table of contents (RFC 4867 §4.3.2).
    struct Entry {
        var frameType: Int
        var quality: Bool
    }

    /// The speech bits per frame type, nil for a frame type the payload format does not carry.
    ///
    /// AMR: frame types of 3GPP TS 26.101 Table 1a; modes 0–7 of 95, 103, 118, 134, 148, 159, 204 and 244 bits
    /// (4.75 to 12.2 kbit/s, TS 26.090 §1), type 8 the 39-bit AMR SID (TS 26.101 §4.2.3), 15 NO_DATA. Types 9–11
    /// (other codecs' SIDs) and 12–14 make RFC 4867 §4.3.2 discard the packet.
    static let narrowbandBits: [Int?] = [95, 103, 118, 134, 148, 159, 204, 244, 39, nil, nil, nil, nil, nil, nil, 0]

    /// AMR-WB: frame types of 3GPP TS 26.201 Table 1a; modes 0–8 of 132, 177, 253, 285, 317, 365, 397, 461 and
    /// 477 bits (6.60 to 23.85 kbit/s, TS 26.190 §1), type 9 the 40-bit SID, 14 SPEECH_LOST and 15 NO_DATA without
    /// bits. Types 10–13 make RFC 4867 §4.3.2 discard the packet.
    static let widebandBits: [Int?] = [132, 177, 253, 285, 317, 365, 397, 461, 477, 40, nil, nil, nil, nil, 0, 0]

    /// What the header of one payload says: how many frames, whether the payload's length is exactly what they
    /// need (and every frame type is one the payload format carries), and where the frames' bits start.
    struct Summary {
        var frameCount: Int
        var fits: Bool
        /// Where the first frame's bits start, in bits from the start of the payload.
        var dataStart: Int
    }

    /// Reads the CMR and the table of contents (without keeping them) and checks the length. Throws when the
    /// payload is empty or the table of contents runs off its end: then not even the duration is known.
    static func summary(
        _ payload: UnsafeRawBufferPointer,
        wideband: Bool,
        octetAligned: Bool
    ) throws(PayloadFormatError) -> Summary {
        guard !payload.isEmpty else { throw PayloadFormatError(.emptyPayload) }
        let table = wideband ? widebandBits : narrowbandBits
        var reader = BitReader(payload)
        skipCodecModeRequest(&reader, octetAligned: octetAligned)
        var count = 0
        var dataBits = 0
        var carried = true
        var more = true
        while more {
            guard let entry = readEntry(&reader, octetAligned: octetAligned) else {
                throw PayloadFormatError(.truncatedHeader, offset: payload.count)
            }
            more = entry.more
            count += 1
            // Octet-aligned frames are each padded to an octet; bandwidth-efficient ones are not, and only the
            // whole payload is (§4.3.3, §4.4.3).
            if let bits = table[entry.entry.frameType] {
                dataBits += octetAligned ? (bits + 7) / 8 * 8 : bits
            } else {
                carried = false
            }
        }
        // The payload must end right after the padding.
        let fits = carried && (reader.position + dataBits + 7) / 8 == payload.count
        return Summary(frameCount: count, fits: fits, dataStart: reader.position)
    }

    /// The CMR (4 bits, then 4 reserved bits in octet-aligned mode) asks the other side's encoder for a mode; it
    /// says nothing about this payload.
    private static func skipCodecModeRequest(_ reader: inout BitReader, octetAligned: Bool) {
        _ = reader.skip(octetAligned ? 8 : 4)
    }

    /// One table of contents entry: F(1) FT(4) Q(1), and 2 padding bits in octet-aligned mode. Nil at the end.
    private static func readEntry(_ reader: inout BitReader, octetAligned: Bool) -> (entry: Entry, more: Bool)? {
        guard let value = reader.read(octetAligned ? 8 : 6) else { return nil }
        let entry = octetAligned ? value >> 2 : value
        return (Entry(frameType: Int((entry >> 1) & 15), quality: entry & 1 == 1), entry & 0x20 != 0)
    }

    static func duration(
        _ payload: UnsafeRawBufferPointer,
        wideband: Bool,
        octetAligned: Bool
    ) throws(PayloadFormatError) -> PayloadDuration {
        let summary = try summary(payload, wideband: wideband, octetAligned: octetAligned)
        return PayloadDuration(ticks: summary.frameCount * (wideband ? 320 : 160), fitsCodec: summary.fits)
    }

    static func frames(
        _ payload: UnsafeRawBufferPointer,
        wideband: Bool,
        octetAligned: Bool
    ) throws(PayloadFormatError) -> PayloadFrames {
        let summary = try summary(payload, wideband: wideband, octetAligned: octetAligned)
        let samples = wideband ? 320 : 160
        let table = wideband ? widebandBits : narrowbandBits
        var entries = BitReader(payload)
        skipCodecModeRequest(&entries, octetAligned: octetAligned)
        var data = BitReader(payload)
        _ = data.skip(summary.dataStart)
        var frames: [CodecFrame] = []
        frames.reserveCapacity(summary.frameCount)
        for _ in 0..<summary.frameCount {
            guard let (entry, _) = readEntry(&entries, octetAligned: octetAligned) else { break }
            let noData = entry.frameType == 15
            guard summary.fits, let bitCount = table[entry.frameType] else {
                // A layout that does not fit is not cut: its frames are damaged (NO_DATA stays NO_DATA).
                frames.append(
                    CodecFrame(kind: noData ? .noData : .damaged, bytes: noData ? [0x7C] : [], sampleCount: samples)
                )
                continue
            }
            var bytes = [UInt8(entry.frameType << 3 | (entry.quality ? 4 : 0))]
            bytes.reserveCapacity(1 + (bitCount + 7) / 8)
            _ = data.copy(bitCount, appendingTo: &bytes)
            if octetAligned { _ = data.skip((8 - bitCount % 8) % 8) }
            frames.append(CodecFrame(kind: kind(of: entry, wideband: wideband), bytes: bytes, sampleCount: samples))
        }
        let duration = PayloadDuration(ticks: summary.frameCount * samples, fitsCodec: summary.fits)
        return PayloadFrames(frames: frames, duration: duration)
    }

    /// What a well-formed frame carries: speech, a SID, no data; a frame with Q = 0 is damaged (RFC 4867 §4.3.2:
    /// the receiver treats it as SPEECH_BAD or SID_BAD), as is AMR-WB's SPEECH_LOST.
    static func kind(of entry: Entry, wideband: Bool) -> CodecFrame.Kind {
        let sidType = wideband ? 9 : 8
        switch entry.frameType {
        case 15: return .noData
        case 14: return .damaged
        case sidType: return entry.quality ? .silenceDescriptor : .damaged
        default: return entry.quality ? .speech : .damaged
        }
    }
}
