/// The ITU-T G.722 decoder: sub-band ADPCM decoding and the receive QMF, 16 kHz 16-bit output.
///
/// Each input byte is one 64 kbit/s codeword (as RTP payload type 9 carries it, RFC 3551 §4.5.2) and gives
/// two output samples. The output is bit-exact with the ITU-T G.191 STL G.722 decoder (and so with ffmpeg).
///
/// ## After a gap
/// The decoder is an adaptive (backward-predicting) state machine that must track the encoder's state:
/// - Keep decoding, **without** `reset()`, across packet loss inside one RTP stream: the state is still
///   close to the encoder's and the scale factors and predictor re-converge within a few milliseconds.
///   Conceal the missing interval in the PCM domain (``PacketLossConcealer``) and feed the next packet.
/// - Call ``reset()`` when a new encoder starts: a new SSRC, a codec change or re-INVITE, or a sender
///   restart (timestamp or sequence jump that re-anchors the segment). A fresh encoder starts from the
///   reset state of ITU-T G.722 (DETL = 32, DETH = 8, all else zero), so the decoder must too.
public struct G722Decoder: Sendable {
    /// The decoding mode (``G722Mode/kbps64`` for RTP).
    public let mode: G722Mode
    var bands = G722SubBands()
    var qmf = G722ReceiveQMF()

    /// A decoder in the reset state.
    public init(mode: G722Mode = .kbps64) {
        self.mode = mode
    }

    /// Returns the decoder (sub-band state and QMF delay line) to the reset state; the mode is kept.
    public mutating func reset() {
        self = G722Decoder(mode: mode)
    }

    /// Decodes G.722 codewords and appends two 16 kHz samples per codeword to `samples`.
    public mutating func decode(_ codes: UnsafeRawBufferPointer, appendingTo samples: inout [Int16]) {
        let count = codes.count
        guard count > 0 else { return }
        let start = samples.count
        samples.append(contentsOf: repeatElement(0, count: count * 2))
        samples.withUnsafeMutableBufferPointer { output in
            decode(codes, into: UnsafeMutableBufferPointer(rebasing: output[start...]))
        }
    }

    /// Decodes G.722 codewords into a new array of `2 × codes.count` samples.
    public mutating func decode(_ codes: [UInt8]) -> [Int16] {
        var samples: [Int16] = []
        codes.withUnsafeBytes { decode($0, appendingTo: &samples) }
        return samples
    }

    /// Decodes G.722 codewords into a caller-provided buffer of at least `2 × codes.count` samples.
    public mutating func decode(_ codes: UnsafeRawBufferPointer, into samples: UnsafeMutableBufferPointer<Int16>) {
        let count = codes.count
        precondition(samples.count >= count * 2, "G722Decoder: output buffer shorter than 2 × input")
        guard count > 0, let input = codes.baseAddress?.assumingMemoryBound(to: UInt8.self),
            let output = samples.baseAddress
        else { return }
        // The band states as a local: the closures below cannot reach `self` while `self.qmf` is in use. Each run's
        // loop works on its own copy in turn, written back after the run.
        var bands = self.bands
        let codeShift = Int32(mode.rawValue - 1)
        Self.inverseTable(for: mode).withUnsafeBufferPointer { inverse in
            let inverseTable = inverse.baseAddress!
            qmf.withLines { lines in
                // Runs of codewords as long as the delay lines have room for: the sub-bands first, then the QMF.
                var done = 0
                while done < count {
                    let run = min(count &- done, lines.room)
                    let differences = lines.differences + lines.position
                    let sums = lines.sums + lines.position
                    // The state is a local of the loop (not the closure's capture), so it stays in registers.
                    var state = bands
                    var index = 0
                    while index < run {
                        let code = Int32(input[done &+ index])
                        let (rl, rh) = state.decode(code, inverseTable: inverseTable, codeShift: codeShift)
                        // RL and RH are 15-bit, so neither their difference nor their sum wraps in 16 bits.
                        differences[index] = Int16(truncatingIfNeeded: rl &- rh)
                        sums[index] = Int16(truncatingIfNeeded: rl &+ rh)
                        index &+= 1
                    }
                    bands = state
                    lines.filter(count: run, into: output + 2 &* done)
                    done &+= run
                }
            }
        }
        self.bands = bands
    }

    /// The lower-band output inverse quantizer of a mode (block 5L INVQBL: 6, 5 or 4 bits).
    static func inverseTable(for mode: G722Mode) -> [Int32] {
        switch mode {
        case .kbps64: G722Tables.lowerInverse6
        case .kbps56: G722Tables.lowerInverse5
        case .kbps48: G722Tables.lowerInverse4
        }
    }
}
