/// Where an encoder's bytes go as they are made: a ``LocalFiles/OutputFile`` (what the CLI and the Lambda function
/// use, so memory does not grow with the call) or memory (tests, fuzzing). Appended in pieces of about
/// `bufferBytes`; the start is read back and overwritten once the end is known (the LAME tag frame, the WAV sizes).
protocol RecordingSink: AnyObject {
    /// Bytes appended so far.
    var size: Int { get }
    /// How many bytes a writer collects before it appends them.
    var bufferBytes: Int { get }
    func append(_ bytes: [UInt8]) throws(TranscodeError)
    func overwrite(_ bytes: [UInt8], at offset: Int) throws(TranscodeError)
    /// `count` bytes from `offset` on (fewer at the end).
    func read(at offset: Int, count: Int) throws(TranscodeError) -> [UInt8]
}

/// A recording held in memory.
final class MemorySink: RecordingSink {
    private(set) var bytes: [UInt8] = []
    let bufferBytes = 1 << 18

    init(expectedBytes: Int = 0) { bytes.reserveCapacity(max(0, expectedBytes)) }

    var size: Int { bytes.count }

    func append(_ more: [UInt8]) { bytes += more }

    func overwrite(_ replacement: [UInt8], at offset: Int) throws(TranscodeError) {
        guard offset >= 0, offset + replacement.count <= bytes.count else {
            throw TranscodeError(
                .io,
                input: "memory",
                reason: "cannot overwrite \(replacement.count) bytes at offset \(offset) of \(bytes.count)",
                side: .output
            )
        }
        bytes.replaceSubrange(offset..<offset + replacement.count, with: replacement)
    }

    func read(at offset: Int, count: Int) -> [UInt8] {
        guard offset >= 0, offset < bytes.count else { return [] }
        return Array(bytes[offset..<min(bytes.count, offset + max(0, count))])
    }
}
