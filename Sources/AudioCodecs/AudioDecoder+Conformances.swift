// The pure-Swift decoders as `AudioDecoder`s (SPEC §2.5). None of G.711, G.722, G.726 and L16 has a concealment of
// its own: `conceal` returns false and the caller uses `PacketLossConcealer`; a damaged or empty frame becomes
// silence of its length, never noise made of its bytes.

extension G711Decoder: AudioDecoder {
    public var sampleRate: Int { 8000 }

    public mutating func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        guard frame.kind == .speech else { return appendSilence(for: frame, to: &output) }
        frame.bytes.withUnsafeBytes { bytes in
            switch law {
            case .muLaw: G711.decodeMuLaw(bytes, appendingTo: &output)
            case .aLaw: G711.decodeALaw(bytes, appendingTo: &output)
            }
        }
    }

    public mutating func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool { false }
}

extension G722Decoder: AudioDecoder {
    /// G.722 audio is 16 kHz (its RTP clock is 8000 Hz, RFC 3551 §4.5.2).
    public var sampleRate: Int { 16000 }

    public mutating func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        guard frame.kind == .speech else { return appendSilence(for: frame, to: &output) }
        frame.bytes.withUnsafeBytes { decode($0, appendingTo: &output) }
    }

    public mutating func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool { false }
}

extension G726Decoder: AudioDecoder {
    public var sampleRate: Int { 8000 }

    /// Decodes a frame whose bytes are codewords in RFC 3551 order (the payload format repacks AAL2 payloads).
    public mutating func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        guard frame.kind == .speech else { return appendSilence(for: frame, to: &output) }
        frame.bytes.withUnsafeBytes { decode(packed: $0, packing: .rfc3551, appendingTo: &output) }
    }

    public mutating func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool { false }
}

extension L16Decoder: AudioDecoder {
    public mutating func decode(_ frame: CodecFrame, appendingTo output: inout [Int16]) {
        guard frame.kind == .speech else { return appendSilence(for: frame, to: &output) }
        frame.bytes.withUnsafeBytes { decode($0, appendingTo: &output) }
    }

    public mutating func conceal(count: Int, next: CodecFrame?, appendingTo output: inout [Int16]) -> Bool { false }
}

/// A frame that is not speech, for a codec with neither comfort noise nor bad-frame handling: its length of
/// silence.
private func appendSilence(for frame: CodecFrame, to output: inout [Int16]) {
    output.append(contentsOf: repeatElement(0, count: max(0, frame.sampleCount)))
}
