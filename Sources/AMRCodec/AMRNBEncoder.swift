private import COpenCoreAMRNB

/// opencore-amrnb's AMR encoder, for tests and the bench (the product only decodes): 160 samples in, one frame in
/// the storage format of RFC 4867 §5.3 out.
package final class AMRNBEncoder {
    /// The codec modes (3GPP TS 26.090 §1): 0 = 4.75 … 7 = 12.2 kbit/s.
    package static let modes = 0...7

    /// Whether DTX is on (SID and NO_DATA frames in silence, 3GPP TS 26.093).
    package let dtx: Bool
    /// opencore's encoder state (`Encoder_Interface_init`).
    private let state: UnsafeMutableRawPointer
    private var scratch = [UInt8](repeating: 0, count: 32)

    package init(dtx: Bool) {
        guard let state = Encoder_Interface_init(dtx ? 1 : 0) else { fatalError("opencore-amrnb: out of memory") }
        self.state = state
        self.dtx = dtx
    }

    deinit {
        Encoder_Interface_exit(state)
    }

    /// Encodes one 20 ms frame of exactly 160 samples at `mode` (0…7) into one storage-format frame.
    package func encode(_ samples: ArraySlice<Int16>, mode: Int) -> [UInt8] {
        precondition(samples.count == AMRNBDecoder.frameSamples, "AMR encodes 160-sample frames")
        precondition(Self.modes.contains(mode), "AMR modes are 0…7")
        let pcm = Array(samples)
        let length = Encoder_Interface_Encode(state, Mode(rawValue: UInt32(mode)), pcm, &scratch, 0)
        return Array(scratch.prefix(max(0, Int(length))))
    }

    /// Encodes `samples` (a partial last frame is dropped) into one frame per 20 ms.
    package func encode(stream samples: [Int16], mode: Int) -> [[UInt8]] {
        stride(from: 0, to: samples.count - AMRNBDecoder.frameSamples + 1, by: AMRNBDecoder.frameSamples).map {
            encode(samples[$0..<($0 + AMRNBDecoder.frameSamples)], mode: mode)
        }
    }
}
