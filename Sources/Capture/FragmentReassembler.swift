/// IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) fragment reassembly with bounded memory.
///
/// Held datagrams expire after a timeout measured in capture time (taps replay old files, so wall time means
/// nothing); the number of held datagrams and held bytes are capped, evicting the oldest first. Exact
/// duplicates of a fragment (common on taps that see a packet twice) are ignored; any other overlap drops the
/// whole datagram (RFC 5722 for IPv6; for IPv4 too, since overlaps are an evasion pattern, not real traffic).
struct FragmentReassembler: Sendable {
    struct Key: Hashable, Sendable {
        var source: IPAddress
        var destination: IPAddress
        var identification: UInt32
        /// IPv4 protocol (part of the RFC 791 key); 0 for IPv6, whose key is (source, destination, id).
        var proto: UInt8
    }

    private struct Piece: Sendable {
        var offset: Int
        var bytes: [UInt8]
        var end: Int { offset + bytes.count }
    }

    private struct Held: Sendable {
        var pieces: [Piece] = []
        var totalLength: Int?
        var firstSeen: Int64
        var heldBytes = 0
        /// The upper-layer protocol (IPv4) or the next header after the fragment header (IPv6, from the first
        /// fragment, RFC 8200 §4.5).
        var nextProtocol: UInt8?
        var sequence: Int
    }

    enum Result {
        case pending
        case complete(payload: [UInt8], nextProtocol: UInt8)
        case dropped(SkipReason)
    }

    var maxDatagrams: Int
    var maxHeldBytes: Int
    var maxPiecesPerDatagram: Int
    var timeout: Int64
    private var held: [Key: Held] = [:]
    private var heldBytes = 0
    private var sequence = 0
    /// Datagrams dropped for the timeout and for the memory bound.
    private(set) var expired = 0
    private(set) var evicted = 0

    init(maxDatagrams: Int, maxHeldBytes: Int, maxPiecesPerDatagram: Int, timeout: Int64) {
        self.maxDatagrams = maxDatagrams
        self.maxHeldBytes = maxHeldBytes
        self.maxPiecesPerDatagram = maxPiecesPerDatagram
        self.timeout = timeout
    }

    var pendingCount: Int { held.count }

    /// Adds one fragment: `offset` in bytes, `more` = the MF / M flag.
    mutating func add(
        key: Key,
        offset: Int,
        bytes: [UInt8],
        more: Bool,
        nextProtocol: UInt8?,
        timestamp: Int64
    ) -> Result {
        expire(now: timestamp)
        let end = offset + bytes.count
        guard end <= 65_535, !(more && bytes.count % 8 != 0), !(more && bytes.isEmpty) else {
            drop(key)
            return .dropped(.malformedFragment)
        }
        var entry = held[key] ?? Held(firstSeen: timestamp, sequence: sequence)
        if held[key] == nil { sequence += 1 }
        if !more {
            if let total = entry.totalLength, total != end {
                drop(key)
                return .dropped(.fragmentOverlap)
            }
            entry.totalLength = end
        }
        if let total = entry.totalLength, end > total || entry.pieces.contains(where: { $0.end > total }) {
            drop(key)
            return .dropped(.malformedFragment)
        }
        for piece in entry.pieces where piece.offset < end && offset < piece.end {
            if piece.offset == offset && piece.bytes == bytes { return .pending }
            drop(key)
            return .dropped(.fragmentOverlap)
        }
        guard entry.pieces.count < maxPiecesPerDatagram else {
            drop(key)
            return .dropped(.fragmentLimit)
        }
        if offset == 0, let nextProtocol { entry.nextProtocol = nextProtocol }
        entry.pieces.append(Piece(offset: offset, bytes: bytes))
        entry.heldBytes += bytes.count
        if let total = entry.totalLength, entry.heldBytes == total, let next = entry.nextProtocol {
            // No overlaps and the sizes add up, so the pieces tile 0..<total exactly.
            if let previous = held.removeValue(forKey: key) { heldBytes -= previous.heldBytes }
            var payload = [UInt8]()
            payload.reserveCapacity(total)
            for piece in entry.pieces.sorted(by: { $0.offset < $1.offset }) { payload += piece.bytes }
            return .complete(payload: payload, nextProtocol: next)
        }
        if let previous = held[key] { heldBytes -= previous.heldBytes }
        held[key] = entry
        heldBytes += entry.heldBytes
        // Memory bounds: evict the oldest datagrams, but never the one just added.
        while held.count > maxDatagrams || heldBytes > maxHeldBytes {
            guard let oldest = held.filter({ $0.key != key }).min(by: { $0.value.sequence < $1.value.sequence })
            else { break }
            drop(oldest.key)
            evicted += 1
        }
        if heldBytes > maxHeldBytes {
            drop(key)
            evicted += 1
            return .dropped(.fragmentLimit)
        }
        return .pending
    }

    /// Drops datagrams whose first fragment is more than `timeout` away in capture time (either direction:
    /// merged captures jump back and forth).
    mutating func expire(now: Int64) {
        guard !held.isEmpty else { return }
        for (key, entry) in held where (now - entry.firstSeen).magnitude > UInt64(timeout) {
            drop(key)
            expired += 1
        }
    }

    /// Drops everything still held (end of capture) and returns how many datagrams were incomplete.
    mutating func flush() -> Int {
        let count = held.count
        expired += count
        held = [:]
        heldBytes = 0
        return count
    }

    private mutating func drop(_ key: Key) {
        if let entry = held.removeValue(forKey: key) { heldBytes -= entry.heldBytes }
    }
}
