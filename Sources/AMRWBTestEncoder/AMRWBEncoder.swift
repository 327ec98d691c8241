private import CVoAMRWBEnc

/// VisualOn's AMR-WB encoder (vo-amrwbenc), for tests and the bench only: the product decodes AMR-WB and never
/// encodes it, so this module is never linked into rtp2mp3 or bootstrap. 320 samples at 16 kHz in, one frame in the
/// storage format of RFC 4867 §5.3 out.
package final class AMRWBEncoder {
    /// The codec modes (3GPP TS 26.190 §1): 0 = 6.60 … 8 = 23.85 kbit/s.
    package static let modes = 0...8
    /// Samples per frame (20 ms at 16 kHz).
    package static let frameSamples = 320

    /// Whether DTX is on (SID and NO_DATA frames in silence, 3GPP TS 26.193).
    package let dtx: Bool
    /// The encoder state (`E_IF_init`).
    private let state: UnsafeMutableRawPointer
    private var scratch = [UInt8](repeating: 0, count: 64)

    package init(dtx: Bool) {
        guard let state = E_IF_init() else { fatalError("vo-amrwbenc: out of memory") }
        self.state = state
        self.dtx = dtx
    }

    deinit {
        E_IF_exit(state)
    }

    /// Encodes one 20 ms frame of exactly 320 samples at `mode` (0…8) into one storage-format frame.
    package func encode(_ samples: ArraySlice<Int16>, mode: Int) -> [UInt8] {
        precondition(samples.count == Self.frameSamples, "AMR-WB encodes 320-sample frames")
        precondition(Self.modes.contains(mode), "AMR-WB modes are 0…8")
        let pcm = Array(samples)
        let length = E_IF_encode(state, Int32(mode), pcm, &scratch, dtx ? 1 : 0)
        return Array(scratch.prefix(max(0, Int(length))))
    }

    /// Encodes `samples` (a partial last frame is dropped) into one frame per 20 ms.
    package func encode(stream samples: [Int16], mode: Int) -> [[UInt8]] {
        stride(from: 0, to: samples.count - Self.frameSamples + 1, by: Self.frameSamples).map {
            encode(samples[$0..<($0 + Self.frameSamples)], mode: mode)
        }
    }
}
