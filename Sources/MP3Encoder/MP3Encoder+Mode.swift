extension MP3Encoder {
    /// Bitrate control: constant bitrate in kbit/s, or LAME's VBR (`vbr_mtrh`) at a quality 0 (best) … 9 (smallest).
    public enum Mode: Hashable, Sendable, CustomStringConvertible {
        case cbr(kbps: Int)
        case vbr(quality: Int)

        /// The default for a recording (SPEC §4): CBR 32 kbit/s for 8 kHz stereo and 48 kbit/s for 16 kHz stereo
        /// (16 and 24 kbit/s per party). Mono carries both parties mixed, so it gets three quarters of the stereo
        /// rate, rounded up to a bitrate whose frame can hold the Xing/Info + LAME tag (LAME leaves the tag out of
        /// smaller CBR frames): 24 kbit/s at 8 kHz, 40 kbit/s at 16 kHz. Other rates: 64/96/128 kbit/s stereo for
        /// 22.05–24/32/44.1–48 kHz, mono by the same rule.
        public static func `default`(sampleRate: Int, channels: Int) -> Mode {
            let stereo: Int
            switch sampleRate {
            case ...8000: stereo = 32
            case ...16000: stereo = 48
            case ...24000: stereo = 64
            case ...32000: stereo = 96
            default: stereo = 128
            }
            guard channels == 1 else { return .cbr(kbps: stereo) }
            let table = MP3Encoder.bitrates(sampleRate: sampleRate)
            let mono = table.first {
                $0 * 4 >= stereo * 3 && MP3Encoder.tagFits(sampleRate: sampleRate, channels: 1, kbps: $0)
            }
            return .cbr(kbps: mono ?? stereo)
        }

        /// As LAME's command line would spell it (`-b 32 --cbr`, `-V 4`), for the ID3 TSSE frame and reports.
        public var description: String {
            switch self {
            case .cbr(let kbps): return "CBR \(kbps) kbit/s"
            case .vbr(let quality): return "VBR quality \(quality)"
            }
        }
    }

    /// The sample rates MPEG audio layer III carries: MPEG-1 (ISO/IEC 11172-3), MPEG-2 LSF (ISO/IEC 13818-3) and
    /// the MPEG-2.5 extension. LAME can resample, but we never let it: input rate = output rate.
    public static let sampleRates: [Int] = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]

    /// The layer III bitrates (kbit/s) of the MPEG version a sample rate selects: ISO/IEC 11172-3 Table 2.4.2.3 for
    /// MPEG-1 (32/44.1/48 kHz), ISO/IEC 13818-3 Table 2.4.2.3 for MPEG-2 and MPEG-2.5 (LAME uses the same table).
    public static func bitrates(sampleRate: Int) -> [Int] {
        if sampleRate >= 32000 {
            return [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
        }
        return [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    }

    /// Whether a CBR frame at `kbps` can hold LAME's Xing/Info + LAME tag (side information plus 156 bytes, LAME
    /// 3.100 VbrTag.c); LAME writes no tag frame when it cannot. VBR tag frames always fit (LAME picks their rate).
    public static func tagFits(sampleRate: Int, channels: Int, kbps: Int) -> Bool {
        let isMPEG1 = sampleRate >= 32000
        // Frame length: 144 (MPEG-1) or 72 (MPEG-2/2.5) × bitrate / sample rate bytes (ISO/IEC 11172-3 §2.4.3.1).
        let frameLength = (isMPEG1 ? 144 : 72) * kbps * 1000 / sampleRate
        // Side information: 17/32 bytes (MPEG-1 mono/stereo), 9/17 bytes (MPEG-2), ISO/IEC 13818-3 §2.4.1.7.
        let sideInfo = isMPEG1 ? (channels == 1 ? 17 : 32) : (channels == 1 ? 9 : 17)
        return frameLength >= 4 + sideInfo + 156
    }
}
