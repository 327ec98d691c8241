/// The ITU-T G.722 encoder at 64 kbit/s: transmit QMF and sub-band ADPCM, 16 kHz 16-bit input.
///
/// Two input samples give one codeword byte, as RTP payload type 9 carries it. The output is bit-exact with
/// the ITU-T G.191 STL G.722 encoder. The encoder is deterministic: the same input from the reset state
/// always gives the same codewords. An odd trailing sample is kept until the next call.
public struct G722Encoder: Sendable {
    var bands = G722SubBands()
    var qmf = G722TransmitQMF()
    /// An input sample waiting for its pair (the encoder consumes samples two at a time).
    var pending: Int16?

    /// An encoder in the reset state.
    public init() {}

    /// Returns the encoder to the reset state.
    public mutating func reset() {
        self = G722Encoder()
    }

    /// Encodes 16 kHz samples and appends one codeword per pair of samples to `codes`.
    public mutating func encode(_ samples: UnsafeBufferPointer<Int16>, appendingTo codes: inout [UInt8]) {
        guard let input = samples.baseAddress, samples.count > 0 else { return }
        var index = 0
        var bands = self.bands
        codes.reserveCapacity(codes.count + (samples.count + 1) / 2)
        qmf.withLine { line, position in
            if let first = pending {
                codes.append(
                    Self.encodePair(Int32(first), Int32(input[0]), &bands, line, &position)
                )
                index = 1
            }
            while index &+ 1 < samples.count {
                codes.append(
                    Self.encodePair(Int32(input[index]), Int32(input[index &+ 1]), &bands, line, &position)
                )
                index &+= 2
            }
        }
        pending = index < samples.count ? input[index] : nil
        self.bands = bands
    }

    /// Encodes 16 kHz samples into a new array of codewords.
    public mutating func encode(_ samples: [Int16]) -> [UInt8] {
        var codes: [UInt8] = []
        samples.withUnsafeBufferPointer { encode($0, appendingTo: &codes) }
        return codes
    }

    @inline(__always)
    static func encodePair(
        _ first: Int32,
        _ second: Int32,
        _ bands: inout G722SubBands,
        _ line: UnsafeMutablePointer<Int32>,
        _ position: inout Int
    ) -> UInt8 {
        let (xl, xh) = G722TransmitQMF.analyze(first, second, line: line, position: &position)
        return UInt8(truncatingIfNeeded: bands.encode(xl, xh))
    }
}
