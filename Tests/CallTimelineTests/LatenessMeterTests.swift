import Testing

@testable import CallTimeline

/// `late` (SPEC §4, README "How it works"): packets a 60 ms jitter buffer would have waited for in vain, judged
/// against the least-delayed packets of the two seconds on each side.
@Suite("LatenessMeter")
struct LatenessMeterTests {
    static let threshold: Int64 = 60_000_000
    static let packet: Int64 = 20_000_000

    /// Packets every 20 ms with the given extra delay per packet index; the late count.
    static func late(count: Int, delay: (Int) -> Int64) -> Int {
        var meter = LatenessMeter(threshold: threshold)
        for index in 0..<count {
            let extra = delay(index)
            meter.add(arrival: Int64(index) * packet + extra, delay: extra)
        }
        return meter.finalLate
    }

    // Proves a steady stream has no late packet.
    @Test func steady() {
        #expect(Self.late(count: 500) { _ in 0 } == 0)
    }

    // Proves a single packet held 100 ms is late, and one held 50 ms (under the 60 ms buffer) is not.
    @Test func onePacketHeld() {
        #expect(Self.late(count: 500) { $0 == 250 ? 100_000_000 : 0 } == 1)
        #expect(Self.late(count: 500) { $0 == 250 ? 50_000_000 : 0 } == 0)
    }

    // Proves a burst of five packets held 80 ms counts five.
    @Test func burst() {
        #expect(Self.late(count: 500) { (250..<255).contains($0) ? 80_000_000 : 0 } == 5)
    }

    // Proves a sender pause that does not advance the RTP clock (every later packet's delay up by 9.9 s, as in
    // projectrtp's ivr_dtmf capture) counts nothing: the delay lasts, so it is not the network's.
    @Test func senderPause() {
        #expect(Self.late(count: 1500) { $0 >= 300 ? 9_900_000_000 : 0 } == 0)
    }

    // Proves the first and last packets are judged against one side only, and a late last packet still counts.
    @Test func edges() {
        #expect(Self.late(count: 200) { $0 == 199 ? 100_000_000 : 0 } == 1)
    }

    // Proves memory stays bounded under a flood (every packet at once): at most `capacity` are held, and the
    // count stays sane.
    @Test func flood() {
        var meter = LatenessMeter(threshold: Self.threshold)
        for index in 0..<100_000 { meter.add(arrival: 0, delay: Int64(index % 7)) }
        #expect(meter.finalLate == 0)
    }
}
