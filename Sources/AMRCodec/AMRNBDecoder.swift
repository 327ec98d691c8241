public import AudioCodecs
private import COpenCoreAMRNB

/// An AMR (narrowband) decoder, 3GPP TS 26.090 as opencore-amrnb implements it (the 3GPP TS 26.073 fixed-point
/// reference), behind ``AudioDecoder``. With ``AMRNBEncoder`` the only code in the package that touches
/// opencore-amrnb.
///
/// 8000 Hz, 160 samples (20 ms) per frame. A frame is one AMR frame in the storage format of RFC 4867 §5.3 (header
/// octet, then the speech bits); the RTP payload format (octet-aligned or bandwidth-efficient) is undone before.
/// opencore reads as many bytes as the header's frame type says, so each frame is copied into a buffer of the
/// largest size first and its length checked.
///
/// - `.speech`, `.silenceDescriptor`: decoded as the header says (types 0–7 speech, 8 SID, 15 NO_DATA); a header
///   with Q = 0 is a bad frame to opencore (TS 26.101 §4.1.2: RX_SPEECH_BAD / RX_SID_BAD).
/// - `.damaged`: decoded with the bad-frame indicator set (RX_SPEECH_BAD or RX_SID_BAD: the TS 26.091 error
///   concealment, which substitutes and mutes from the last good parameters).
/// - `.noData`: a NO_DATA frame: concealment after speech (TS 26.091 §6), comfort noise continuing in a DTX period
///   (TS 26.092 §5.4).
/// - A frame shorter than its type needs, or of a type 9–14: counted in ``rejectedFrames`` (unless it came marked
///   `.damaged`), decoded as NO_DATA.
/// - ``conceal(count:next:appendingTo:)``: NO_DATA frames for `count` samples.
///
/// Not thread-safe: one decoder belongs to one renderer. It is `@unchecked Sendable` so a renderer can be created on
/// one task and run on another; it is never used from two threads at once (the C state is plain memory, owned here).
public final class AMRNBDecoder: AudioDecoder, @unchecked Sendable {
    /// Samples per AMR frame (20 ms at 8 kHz, TS 26.090 §4.2).
    public static let frameSamples = 160

    public var sampleRate: Int { 8000 }
    /// Frames too short for their type or of a type the decoder does not take, decoded as NO_DATA instead.
    public private(set) var rejectedFrames = 0

    /// opencore's decoder state (`Decoder_Interface_init`).
    private let state: UnsafeMutableRawPointer
    /// The frame, zero-padded to the largest storage frame (12.2 kbit/s: 1 + 31 bytes), as opencore reads it.
    private var input = [UInt8](repeating: 0, count: 32)
    /// One frame of output, reused.
    private var scratch = [Int16](repeating: 0, count: AMRNBDecoder.frameSamples)

    public init() {
        // Decoder_Interface_init only allocates; NULL means the process is out of memory.
        guard let state = Decoder_Interface_init() else { fatalError("opencore-amrnb: out of memory") }
        self.state = state
    }

    deinit {
        Decoder_Interface_exit(state)
    }

    public func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        let frames = frame.sampleCount > 0 ? frame.sampleCount : Self.frameSamples
        if frame.kind == .noData || frame.bytes.isEmpty {
            fillNoData(count: frames, appendingTo: &output)
            return
        }
        let type = AMRFrameLayout.frameType(frame.bytes[0])
        let length: Int?
        switch type {
        case AMRFrameLayout.narrowbandBytes.indices: length = 1 + AMRFrameLayout.narrowbandBytes[type]
        case AMRFrameLayout.noDataType: length = 1
        default: length = nil
        }
        guard let length, frame.bytes.count >= length else {
            if frame.kind != .damaged { rejectedFrames += 1 }
            fillNoData(count: frames, appendingTo: &output)
            return
        }
        for index in 0..<input.count { input[index] = index < length ? frame.bytes[index] : 0 }
        decodeInput(badFrame: frame.kind == .damaged, appendingTo: &output)
    }

    public func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool {
        fillNoData(count: count, appendingTo: &output)
        return true
    }

    /// Appends `count` samples of NO_DATA frames (the surplus of the last frame dropped).
    private func fillNoData(count: Int, appendingTo output: inout [Int16]) {
        var remaining = count
        while remaining > 0 {
            for index in 0..<input.count { input[index] = 0 }
            input[0] = AMRFrameLayout.header(type: AMRFrameLayout.noDataType)
            Decoder_Interface_Decode(state, input, &scratch, 0)
            let take = min(remaining, Self.frameSamples)
            output.append(contentsOf: scratch[0..<take])
            remaining -= take
        }
    }

    /// Decodes the frame in `input` and appends its 160 samples.
    private func decodeInput(badFrame: Bool, appendingTo output: inout [Int16]) {
        Decoder_Interface_Decode(state, input, &scratch, badFrame ? 1 : 0)
        output.append(contentsOf: scratch)
    }
}
