/// The packet indices (RFC 3711 §3.3.1: i = 2^16 × ROC + SEQ) of one stream's authenticated packets: the highest,
/// and which of the 32,768 below it were seen, so that a duplicate is known as one before libsrtp's replay check
/// (SPEC §2.4: a replay is a duplicate, not an error), whichever crypto context authenticated the original.
struct SRTPIndexWindow {
    private(set) var highest: UInt64
    /// Bit k of the window is index `highest - k`.
    private var bits: [UInt64]

    static let size = 32_768

    init(first index: UInt64) {
        highest = index
        bits = [UInt64](repeating: 0, count: Self.size / 64)
        bits[0] = 1
    }

    /// The index of a packet with sequence number `sequence`, guessed from the highest index as RFC 3711 §3.3.1
    /// says (the same guess libsrtp2 makes): the rollover counter one less when the sequence number is far above
    /// the highest one's, one more when far below.
    func estimate(sequence: UInt16) -> UInt64 {
        let rolloverCounter = highest >> 16
        let highestSequence = Int(highest & 0xFFFF)
        let sequence = Int(sequence)
        var guess = rolloverCounter
        if highestSequence < 32_768 {
            if sequence - highestSequence > 32_768, rolloverCounter > 0 { guess -= 1 }
        } else if highestSequence - 32_768 > sequence {
            guess += 1
        }
        return guess << 16 | UInt64(sequence)
    }

    /// The rollover counter `estimate(sequence:)` guesses.
    func estimatedRolloverCounter(sequence: UInt16) -> UInt32 {
        UInt32(truncatingIfNeeded: estimate(sequence: sequence) >> 16)
    }

    /// Whether `index` was recorded (false for indices above the highest or older than the window).
    func contains(_ index: UInt64) -> Bool {
        guard index <= highest, highest - index < UInt64(Self.size) else { return false }
        let offset = Int(highest - index)
        return bits[offset / 64] & (1 << UInt64(offset % 64)) != 0
    }

    /// Records an authenticated index, moving the window up when it is the new highest.
    mutating func insert(_ index: UInt64) {
        if index > highest {
            shift(by: index - highest)
            highest = index
        }
        guard highest - index < UInt64(Self.size) else { return }
        let offset = Int(highest - index)
        bits[offset / 64] |= 1 << UInt64(offset % 64)
    }

    /// Ages every recorded index by `distance` places.
    private mutating func shift(by distance: UInt64) {
        guard distance < UInt64(Self.size) else {
            for word in bits.indices { bits[word] = 0 }
            return
        }
        let words = Int(distance / 64)
        let rest = UInt64(distance % 64)
        for word in stride(from: bits.count - 1, through: 0, by: -1) {
            let source = word - words
            var value: UInt64 = source >= 0 ? bits[source] << rest : 0
            if rest > 0, source - 1 >= 0 { value |= bits[source - 1] >> (64 - rest) }
            bits[word] = value
        }
    }
}
