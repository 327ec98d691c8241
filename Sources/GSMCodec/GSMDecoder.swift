public import AudioCodecs
private import CGSM

/// A GSM 06.10 full-rate decoder (ETSI EN 300 961), libgsm behind ``AudioDecoder``. With ``GSMEncoder`` the only
/// code in the package that touches libgsm.
///
/// 8000 Hz, 160 samples (20 ms) per 33-byte frame (RFC 3551 §4.5.8: a 4-bit signature 0xD, then the 260 bits of
/// the frame in the order of GSM 06.10 Table 1.1).
///
/// GSM 06.10 has no concealment of its own (GSM 06.11's substitution lives in the channel decoder, which RTP does
/// not carry), so ``conceal(count:next:appendingTo:)`` returns false and the caller uses ``PacketLossConcealer``.
/// Inside a stream, a frame that cannot be decoded (`.damaged`, `.noData`, and, counted in ``rejectedFrames``, a
/// size other than 33 bytes or a signature libgsm rejects) is filled by this decoder's own ``PacketLossConcealer``
/// (ITU-T G.711 Appendix I) from the audio decoded before it, `frame.sampleCount` samples (160 when that is 0), and
/// the next good frame is cross-faded in.
///
/// Not thread-safe: one decoder belongs to one renderer. It is `@unchecked Sendable` so a renderer can be created on
/// one task and run on another; it is never used from two threads at once (the C state is plain memory, owned here).
public final class GSMDecoder: AudioDecoder, @unchecked Sendable {
    /// Samples per frame (20 ms at 8 kHz, GSM 06.10 §2).
    public static let frameSamples = 160
    /// Bytes per frame in RTP (RFC 3551 §4.5.8).
    public static let frameBytes = 33

    public var sampleRate: Int { 8000 }
    /// Frames of the wrong size or signature, concealed instead.
    public private(set) var rejectedFrames = 0

    /// libgsm's state (`gsm`).
    private let state: OpaquePointer
    /// One frame, copied because libgsm's signature takes a mutable pointer.
    private var input = [UInt8](repeating: 0, count: GSMDecoder.frameBytes)
    /// One frame of output, reused.
    private var scratch = [Int16](repeating: 0, count: GSMDecoder.frameSamples)
    /// Conceals the frames that cannot be decoded, from the audio decoded so far.
    private var concealer = PacketLossConcealer(sampleRate: 8000)

    public init() {
        // gsm_create only allocates; NULL means the process is out of memory.
        guard let state = gsm_create() else { fatalError("libgsm: out of memory") }
        self.state = state
    }

    deinit {
        gsm_destroy(state)
    }

    public func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        let count = frame.sampleCount > 0 ? frame.sampleCount : Self.frameSamples
        switch frame.kind {
        case .speech, .silenceDescriptor:
            guard frame.bytes.count == Self.frameBytes else {
                rejectedFrames += 1
                concealer.conceal(count: count, appendingTo: &output)
                return
            }
            for index in 0..<Self.frameBytes { input[index] = frame.bytes[index] }
            // gsm_decode returns -1, writing nothing, when the signature nibble is not 0xD (gsm_decode.c).
            guard gsm_decode(state, &input, &scratch) == 0 else {
                rejectedFrames += 1
                concealer.conceal(count: count, appendingTo: &output)
                return
            }
            scratch.withUnsafeMutableBufferPointer { concealer.resume($0) }
            output.append(contentsOf: scratch)
        case .damaged, .noData:
            concealer.conceal(count: count, appendingTo: &output)
        }
    }

    public func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool {
        false
    }
}
