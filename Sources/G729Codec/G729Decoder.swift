public import AudioCodecs
private import CBcg729

/// An ITU-T G.729 decoder (G.729, G.729A and the Annex B silence descriptors): bcg729 behind ``AudioDecoder``. The
/// only code in the package, with ``G729Encoder``, that touches bcg729.
///
/// 8000 Hz, 80 samples (10 ms) per frame. Frames as RFC 3551 §4.5.6 carries them: 10 bytes of speech parameters
/// (G.729 Table 8 bit order), or a 2-byte Annex B SID (G.729 Annex B Table B.2). G.729A is bit-compatible with G.729
/// (Annex A §A.1): the same decoder serves both.
///
/// - `.speech` of 10 bytes: decoded. `.silenceDescriptor` of 2 bytes: comfort noise with the SID's level and
///   spectrum (Annex B §B.4.4). `.noData` (an untransmitted frame in a DTX period): comfort noise continues from
///   the last SID (Annex B §B.4.5). `.damaged`, and a `.speech` or `.silenceDescriptor` of any other size
///   (counted in ``rejectedFrames``): the G.729 frame erasure concealment (§4.4), or comfort noise when the
///   previous frame was not speech (Annex B §B.27). Each of these gives `frame.sampleCount` samples (80 when 0).
/// - ``conceal(count:next:appendingTo:)``: frame erasures, as for `.damaged`.
///
/// Not thread-safe: one decoder belongs to one renderer. It is `@unchecked Sendable` so a renderer can be created on
/// one task and run on another; it is never used from two threads at once (the C state is plain memory, owned here).
public final class G729Decoder: AudioDecoder, @unchecked Sendable {
    /// Samples per G.729 frame (10 ms at 8 kHz, G.729 §3).
    public static let frameSamples = 80
    /// Bytes of a speech frame: 80 bits (G.729 Table 8).
    public static let speechFrameBytes = 10
    /// Bytes of an Annex B SID frame: 15 bits, padded to 2 octets (RFC 3551 §4.5.6).
    public static let silenceDescriptorBytes = 2

    public var sampleRate: Int { 8000 }
    /// Frames whose size did not fit their kind, decoded as erasures instead.
    public private(set) var rejectedFrames = 0

    /// bcg729's decoder channel (`bcg729DecoderChannelContextStruct *`).
    private let channel: OpaquePointer
    /// One frame of output, reused.
    private var scratch = [Int16](repeating: 0, count: G729Decoder.frameSamples)

    public init() {
        // initBcg729DecoderChannel only allocates; NULL means the process is out of memory, as Swift's own
        // allocations would trap then too.
        guard let channel = initBcg729DecoderChannel() else { fatalError("bcg729: out of memory") }
        self.channel = channel
    }

    deinit {
        closeBcg729DecoderChannel(channel)
    }

    public func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        switch frame.kind {
        case .speech where frame.bytes.count == Self.speechFrameBytes:
            decodeOne(frame.bytes, silenceDescriptor: false, appendingTo: &output)
        case .silenceDescriptor where frame.bytes.count == Self.silenceDescriptorBytes:
            decodeOne(frame.bytes, silenceDescriptor: true, appendingTo: &output)
        case .noData:
            // An untransmitted frame: bcg729 continues the comfort noise when given no bit stream with the SID flag.
            fill(count: frameCount(frame), erased: false, appendingTo: &output)
        case .speech, .silenceDescriptor:
            rejectedFrames += 1
            fill(count: frameCount(frame), erased: true, appendingTo: &output)
        case .damaged:
            fill(count: frameCount(frame), erased: true, appendingTo: &output)
        }
    }

    public func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool {
        fill(count: count, erased: true, appendingTo: &output)
        return true
    }

    private func frameCount(_ frame: CodecFrame) -> Int {
        frame.sampleCount > 0 ? frame.sampleCount : Self.frameSamples
    }

    /// Appends `count` samples of erasure concealment (`erased`) or untransmitted DTX frames, one 80-sample
    /// frame at a time; the surplus of the last frame is dropped.
    private func fill(count: Int, erased: Bool, appendingTo output: inout [Int16]) {
        var remaining = count
        while remaining > 0 {
            let take = min(remaining, Self.frameSamples)
            scratch.withUnsafeMutableBufferPointer { signal in
                bcg729Decoder(channel, nil, 0, erased ? 1 : 0, erased ? 0 : 1, 0, signal.baseAddress)
            }
            output.append(contentsOf: scratch[0..<take])
            remaining -= take
        }
    }

    /// Decodes one frame whose size was checked against its kind (bcg729 reads exactly 10 or 2 bytes).
    private func decodeOne(_ bytes: [UInt8], silenceDescriptor: Bool, appendingTo output: inout [Int16]) {
        bytes.withUnsafeBufferPointer { stream in
            scratch.withUnsafeMutableBufferPointer { signal in
                bcg729Decoder(
                    channel,
                    stream.baseAddress,
                    UInt8(stream.count),
                    0,
                    silenceDescriptor ? 1 : 0,
                    0,
                    signal.baseAddress
                )
            }
        }
        output.append(contentsOf: scratch)
    }
}
