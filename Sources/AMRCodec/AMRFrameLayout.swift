/// The storage-format frame layout of AMR and AMR-WB (RFC 4867 §5.3): a header octet `P FT(4) Q P P`, then the
/// frame's bits, octet-aligned (the last octet zero-padded).
enum AMRFrameLayout {
    /// NO_DATA (RFC 4867 §4.3.2, 3GPP TS 26.101 Table 1a, TS 26.201 Table 1a): no frame was transmitted or the frame
    /// was lost.
    static let noDataType = 15

    /// AMR speech bytes after the header, by frame type 0…8 (4.75 … 12.2 kbit/s and SID): the class bits of 3GPP
    /// TS 26.101 Table 1a (95, 103, 118, 134, 148, 159, 204, 244, 39 bits) rounded up to octets. Types 9…14 carry
    /// no frames this decoder takes (old GSM/TDMA/PDC SIDs and reserved, RFC 4867 §3.6); 15 is NO_DATA.
    static let narrowbandBytes: [Int] = [12, 13, 15, 17, 19, 20, 26, 31, 5]

    /// AMR-WB bytes after the header, by frame type 0…9 (6.60 … 23.85 kbit/s and SID): 3GPP TS 26.201 Table 1a
    /// (132, 177, 253, 285, 317, 365, 397, 461, 477, 40 bits) rounded up to octets. 10…13 are reserved, 14 is
    /// SPEECH_LOST (no bits), 15 NO_DATA.
    static let widebandBytes: [Int] = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5]

    /// The frame type in a header octet.
    static func frameType(_ header: UInt8) -> Int { Int(header >> 3) & 0x0F }

    /// A header octet for frame type `type` with the quality bit Q set (RFC 4867 §5.3).
    static func header(type: Int) -> UInt8 { UInt8(type << 3) | 0x04 }
}
