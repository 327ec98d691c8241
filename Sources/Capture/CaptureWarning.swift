/// Something odd in a capture that did not stop the reading (the file ends mid-record, trailing data, …).
/// Same fields and description format as `CaptureError`.
public struct CaptureWarning: Sendable, Hashable, CustomStringConvertible {
    public var code: CaptureError.Code
    public var input: String
    public var expected: String
    public var found: String
    public var byteOffset: Int?
    public var packetNumber: Int?

    public init(_ error: CaptureError) {
        code = error.code
        input = error.input
        expected = error.expected
        found = error.found
        byteOffset = error.byteOffset
        packetNumber = error.packetNumber
    }

    public var description: String {
        CaptureError(
            code,
            input: input,
            expected: expected,
            found: found,
            byteOffset: byteOffset,
            packetNumber: packetNumber
        ).description
    }
}
