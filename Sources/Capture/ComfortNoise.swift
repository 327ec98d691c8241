/// An RFC 3389 comfort-noise payload: the noise level and optional spectral information.
public struct ComfortNoise: Sendable, Hashable {
    /// Noise level magnitude in −dBov (0–127: 0 is a full-scale level, 127 is −127 dBov), RFC 3389 §3.1.
    public var level: UInt8
    /// Quantized reflection coefficients (RFC 3389 §3.2), as sent; empty when only the level was sent.
    public var reflectionCoefficients: [UInt8]

    public init(level: UInt8, reflectionCoefficients: [UInt8] = []) {
        self.level = level
        self.reflectionCoefficients = reflectionCoefficients
    }

    public init(parsing payload: some Collection<UInt8>) throws(CaptureError) {
        guard let first = payload.first else {
            throw CaptureError(.malformedPayload, expected: "a comfort-noise level byte", found: "an empty payload")
        }
        // RFC 3389 §3.1: the most significant bit of the level byte is zero.
        guard first & 0x80 == 0 else {
            throw CaptureError(.malformedPayload, expected: "a noise level 0–127", found: "\(first)")
        }
        level = first
        reflectionCoefficients = Array(payload.dropFirst())
    }

    /// The level in dBov (0 … −127).
    public var levelDBov: Int { -Int(level) }
}
