public import AudioCodecs
private import COpenCoreAMRWB

/// An AMR-WB decoder, 3GPP TS 26.190 as opencore-amrwb implements it (the 3GPP TS 26.173 fixed-point reference),
/// behind ``AudioDecoder``. The only code in the package that touches opencore-amrwb.
///
/// 16000 Hz, 320 samples (20 ms) per frame. A frame is one AMR-WB frame in the storage format of RFC 4867 §5.3
/// (header octet, then the speech bits); the RTP payload format is undone before. opencore reads as many bytes as
/// the header's frame type says, so each frame is copied into a buffer of the largest size first and its length
/// checked. opencore's output keeps 14 bits (its two least significant bits are cleared, TS 26.173 decoder.c).
///
/// - `.speech`, `.silenceDescriptor`: decoded as the header says (types 0–8 speech, 9 SID, 14 SPEECH_LOST, 15
///   NO_DATA). opencore ignores the Q bit.
/// - `.damaged`: opencore's bad-frame indicator, which it turns into NO_DATA (opencore dec_if.c): concealment after
///   speech (TS 26.191 §6), comfort noise continuing in a DTX period (TS 26.193 §5).
/// - `.noData`: a NO_DATA frame, with the same effect.
/// - A frame shorter than its type needs, or of a reserved type 10–13: counted in ``rejectedFrames``, decoded as
///   NO_DATA.
/// - ``conceal(count:next:appendingTo:)``: NO_DATA frames for `count` samples.
///
/// Not thread-safe: one decoder belongs to one renderer. It is `@unchecked Sendable` so a renderer can be created on
/// one task and run on another; it is never used from two threads at once (the C state is plain memory, owned here).
public final class AMRWBDecoder: AudioDecoder, @unchecked Sendable {
    /// Samples per AMR-WB frame (20 ms at 16 kHz, TS 26.190 §4.2).
    public static let frameSamples = 320
    /// SPEECH_LOST (TS 26.201 Table 1a): a frame known to be lost, no bits.
    static let speechLostType = 14

    public var sampleRate: Int { 16000 }
    /// Frames too short for their type or of a reserved type, decoded as NO_DATA instead.
    public private(set) var rejectedFrames = 0

    /// opencore's decoder state (`D_IF_init`).
    private let state: UnsafeMutableRawPointer
    /// The frame, zero-padded to the largest storage frame (23.85 kbit/s: 1 + 60 bytes), as opencore reads it.
    private var input = [UInt8](repeating: 0, count: 61)
    /// One frame of output, reused.
    private var scratch = [Int16](repeating: 0, count: AMRWBDecoder.frameSamples)

    public init() {
        // D_IF_init only allocates; NULL means the process is out of memory.
        guard let state = D_IF_init() else { fatalError("opencore-amrwb: out of memory") }
        self.state = state
    }

    deinit {
        D_IF_exit(state)
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
        case AMRFrameLayout.widebandBytes.indices: length = 1 + AMRFrameLayout.widebandBytes[type]
        case Self.speechLostType, AMRFrameLayout.noDataType: length = 1
        default: length = nil
        }
        guard let length, frame.bytes.count >= length else {
            rejectedFrames += 1
            fillNoData(count: frames, appendingTo: &output)
            return
        }
        for index in 0..<input.count { input[index] = index < length ? frame.bytes[index] : 0 }
        D_IF_decode(state, input, &scratch, frame.kind == .damaged ? 1 : 0)
        output.append(contentsOf: scratch)
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
            D_IF_decode(state, input, &scratch, 0)
            let take = min(remaining, Self.frameSamples)
            output.append(contentsOf: scratch[0..<take])
            remaining -= take
        }
    }
}
