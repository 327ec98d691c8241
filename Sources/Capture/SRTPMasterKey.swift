/// The key material of an SRTP crypto context — master key followed by master salt, as SDES carries it
/// (RFC 4568 §6.1) — and a secret (SPEC §2.4: never logged, never in a report or a message).
///
/// The bytes live in memory of their own, zeroed when the last reference goes. Nothing prints them:
/// `description`, `debugDescription` and the reflection `dump` uses say only how long the key is. Two keys
/// compare equal when their bytes do (in time that does not depend on where they differ); hashing feeds the bytes
/// to Swift's per-process seeded SipHash, whose output says nothing usable about them.
///
/// ```swift
/// guard let key = SRTPMasterKey(base64: Array(text.utf8)) else { … }   // decoded straight into its storage
/// key.withUnsafeBytes { bytes in … }                                    // the only way to the bytes
/// ```
public final class SRTPMasterKey: @unchecked Sendable {
    // Sendable: the storage is written once, in init, and only read afterwards.
    private let storage: UnsafeMutableRawBufferPointer

    /// The key's length in bytes (master key + master salt).
    public let count: Int

    /// A key made of `bytes` (copied; the caller wipes its own copy, see ``wipe(_:)``).
    public init(bytes: some Collection<UInt8>) {
        count = bytes.count
        storage = .allocate(byteCount: max(1, bytes.count), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        _ = UnsafeMutableRawBufferPointer(rebasing: storage[0..<bytes.count]).initializeMemory(
            as: UInt8.self,
            from: bytes
        )
    }

    /// Decodes base64 text (RFC 4648 §4; the `=` padding may be left out) straight into the key's storage, so no
    /// other copy of the decoded bytes is made. Nil when the text is empty or not base64.
    public init?(base64 text: some Collection<UInt8>) {
        guard let length = Base64Decoding.decodedLength(text), length > 0 else { return nil }
        count = length
        storage = .allocate(byteCount: length, alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        Base64Decoding.decode(text, into: storage)
    }

    deinit {
        Self.wipe(storage)
        storage.deallocate()
    }

    /// Lends the key bytes for the duration of `body` (to hand them to the cipher).
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// A key with the first `count` bytes of this one (a suite's key material out of a longer SDES key).
    public func prefix(_ length: Int) -> SRTPMasterKey {
        withUnsafeBytes { SRTPMasterKey(bytes: $0.prefix(max(0, min(length, count)))) }
    }

    /// Zeroes an array that held key bytes (a decoded option, a key file's contents) before it is dropped.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { wipe($0) }
    }

    /// Zeroes memory that held key bytes. Out of line, so that the writes are not dropped as dead when the
    /// memory is freed right after (Swift has no `memset_explicit`; this is the practical equivalent).
    @inline(never)
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        guard !buffer.isEmpty else { return }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }
}

extension SRTPMasterKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `<30-byte SRTP key, redacted>`: the length, never the bytes.
    public var description: String { "<\(count)-byte SRTP key, redacted>" }

    public var debugDescription: String { description }

    /// No children: `dump` and debuggers that reflect see the description only.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}

extension SRTPMasterKey: Hashable {
    /// Equal bytes; the comparison visits every byte whatever the first difference.
    public static func == (lhs: SRTPMasterKey, rhs: SRTPMasterKey) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                var difference: UInt8 = 0
                for index in 0..<left.count { difference |= left[index] ^ right[index] }
                return difference == 0
            }
        }
    }

    /// The bytes, through the seeded hasher (so that a set of keys finds equal ones without comparing each pair).
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
