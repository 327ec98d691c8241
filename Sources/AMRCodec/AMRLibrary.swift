private import COpenCoreAMRNB
private import COpenCoreAMRWB

/// opencore-amrnb and opencore-amrwb called directly, with none of the decoders' handling: the reference the tests
/// hold ``AMRNBDecoder`` and ``AMRWBDecoder`` to.
package enum AMRLibrary {
    /// Decodes storage-format AMR frames in order with a fresh opencore decoder, each copied into a zero-padded
    /// buffer of the largest frame size, 160 samples each; the frames at `badFrames` with the bad-frame indicator.
    package static func decodeNarrowband(_ frames: [[UInt8]], badFrames: Set<Int> = []) -> [Int16] {
        guard let state = Decoder_Interface_init() else { return [] }
        defer { Decoder_Interface_exit(state) }
        var output: [Int16] = []
        var pcm = [Int16](repeating: 0, count: AMRNBDecoder.frameSamples)
        for (index, frame) in frames.enumerated() {
            let padded = frame + [UInt8](repeating: 0, count: max(0, 32 - frame.count))
            Decoder_Interface_Decode(state, padded, &pcm, badFrames.contains(index) ? 1 : 0)
            output += pcm
        }
        return output
    }

    /// Decodes storage-format AMR-WB frames in order with a fresh opencore decoder, 320 samples each; the frames at
    /// `badFrames` with the bad-frame indicator.
    package static func decodeWideband(_ frames: [[UInt8]], badFrames: Set<Int> = []) -> [Int16] {
        guard let state = D_IF_init() else { return [] }
        defer { D_IF_exit(state) }
        var output: [Int16] = []
        var pcm = [Int16](repeating: 0, count: AMRWBDecoder.frameSamples)
        for (index, frame) in frames.enumerated() {
            let padded = frame + [UInt8](repeating: 0, count: max(0, 61 - frame.count))
            D_IF_decode(state, padded, &pcm, badFrames.contains(index) ? 1 : 0)
            output += pcm
        }
        return output
    }
}
