public import AudioCodecs
private import COpenCoreAMRWB

/// An AMR-WB decoder, 3GPP TS 26.190 as opencore-amrwb implements it (PacketVideo's port of the 3GPP TS 26.173
/// fixed-point reference), behind ``AudioDecoder``. The only code in the package that touches opencore-amrwb.
///
/// 16000 Hz, 320 samples (20 ms) per frame. A frame is one AMR-WB frame in the storage format of RFC 4867 §5.3
/// (header octet, then the speech bits); the RTP payload format is undone before. opencore reads as many bytes as
/// the header's frame type says, so each frame is copied into a buffer of the largest size first and its length
/// checked. opencore's output keeps 14 bits (it clears the two least significant bits).
///
/// Losses in speech are not given to opencore. Its erasure path (a frame of type SPEECH_LOST or NO_DATA, or its
/// bad-frame indicator, which it turns into NO_DATA; it ignores the Q bit) was measured to output 25–30 dB below
/// the speech around it, nearly silence, and to stay 8–15 dB low for the 100 ms after the loss. So in speech, a
/// lost or bad frame is filled by this decoder's own ``PacketLossConcealer`` (ITU-T G.711 Appendix I) from the
/// audio decoded before it, and the next good frame is cross-faded in; opencore simply decodes on. In a DTX period
/// (after a SID), opencore's comfort noise continues, as TS 26.193 §5 wants.
///
/// - `.speech`, `.silenceDescriptor`: decoded as the header says (types 0–8 speech, 9 SID); types 14 SPEECH_LOST
///   and 15 NO_DATA as below.
/// - `.damaged`, `.noData`, SPEECH_LOST, NO_DATA: after speech, concealment; in DTX, opencore's comfort noise.
///   `frame.sampleCount` samples (320 when 0).
/// - A frame shorter than its type needs, or of a reserved type 10–13: counted in ``rejectedFrames``, then as
///   `.damaged`.
/// - ``conceal(count:next:appendingTo:)``: in DTX, opencore's comfort noise (returns true); after speech, returns
///   false so that the caller's concealer fills the gap (the same Appendix I algorithm, over the leg).
///
/// Not thread-safe: one decoder belongs to one renderer. It is `@unchecked Sendable` so a renderer can be created on
/// one task and run on another; it is never used from two threads at once (the C state is plain memory, owned here).
public final class AMRWBDecoder: AudioDecoder, @unchecked Sendable {
    /// Samples per AMR-WB frame (20 ms at 16 kHz, TS 26.190 §4.2).
    public static let frameSamples = 320
    /// SID (TS 26.201 Table 1a): comfort noise parameters; a DTX period starts.
    static let silenceDescriptorType = 9
    /// SPEECH_LOST (TS 26.201 Table 1a): a frame known to be lost, no bits.
    static let speechLostType = 14

    public var sampleRate: Int { 16000 }
    /// Frames too short for their type or of a reserved type, concealed instead.
    public private(set) var rejectedFrames = 0
    /// Whether the stream is in a DTX period: the last frame decoded was a SID (or comfort noise after one).
    public private(set) var isInComfortNoise = false

    /// opencore's decoder state (`D_IF_init`).
    private let state: UnsafeMutableRawPointer
    /// The frame, zero-padded to the largest storage frame (23.85 kbit/s: 1 + 60 bytes), as opencore reads it.
    private var input = [UInt8](repeating: 0, count: 61)
    /// One frame of output, reused.
    private var scratch = [Int16](repeating: 0, count: AMRWBDecoder.frameSamples)
    /// Conceals lost and bad frames in speech, from the audio decoded so far.
    private var concealer = PacketLossConcealer(sampleRate: 16000)

    public init() {
        // D_IF_init only allocates; NULL means the process is out of memory.
        guard let state = D_IF_init() else { fatalError("opencore-amrwb: out of memory") }
        self.state = state
    }

    deinit {
        D_IF_exit(state)
    }

    public func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        let count = frame.sampleCount > 0 ? frame.sampleCount : Self.frameSamples
        guard frame.kind != .noData, frame.kind != .damaged, let header = frame.bytes.first else {
            fillLoss(count: count, appendingTo: &output)
            return
        }
        let type = AMRFrameLayout.frameType(header)
        guard AMRFrameLayout.widebandBytes.indices.contains(type) else {
            if type != Self.speechLostType && type != AMRFrameLayout.noDataType { rejectedFrames += 1 }
            fillLoss(count: count, appendingTo: &output)
            return
        }
        let length = 1 + AMRFrameLayout.widebandBytes[type]
        guard frame.bytes.count >= length else {
            rejectedFrames += 1
            fillLoss(count: count, appendingTo: &output)
            return
        }
        for index in 0..<input.count { input[index] = index < length ? frame.bytes[index] : 0 }
        D_IF_decode(state, input, &scratch, 0)
        isInComfortNoise = type == Self.silenceDescriptorType
        // After a concealed gap the real signal is cross-faded in; otherwise the frame is recorded as history.
        scratch.withUnsafeMutableBufferPointer { concealer.resume($0) }
        output.append(contentsOf: scratch)
    }

    public func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool {
        guard isInComfortNoise else { return false }
        fillLoss(count: count, appendingTo: &output)
        return true
    }

    /// Appends `count` samples for frames that carry nothing decodable: opencore's comfort noise (NO_DATA frames)
    /// in a DTX period, else the concealer's substitute.
    private func fillLoss(count: Int, appendingTo output: inout [Int16]) {
        guard isInComfortNoise else {
            concealer.conceal(count: count, appendingTo: &output)
            return
        }
        var remaining = count
        while remaining > 0 {
            for index in 0..<input.count { input[index] = 0 }
            input[0] = AMRFrameLayout.header(type: AMRFrameLayout.noDataType)
            D_IF_decode(state, input, &scratch, 0)
            concealer.record(scratch)
            let take = min(remaining, Self.frameSamples)
            output.append(contentsOf: scratch[0..<take])
            remaining -= take
        }
    }
}
