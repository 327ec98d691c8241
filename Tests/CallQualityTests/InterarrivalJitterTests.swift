import CallQuality
import Testing

@Suite("Interarrival jitter over time (RFC 3550 §A.8)")
struct InterarrivalJitterTests {
    @Test("Packets arriving exactly as sent have no jitter, across a timestamp wrap")
    func regular() {
        var jitter = InterarrivalJitter(clockRate: 8000)
        var timestamp = UInt32.max - 800
        for index in 0..<100 {
            jitter.add(arrivalNanoseconds: Int64(index) * 20_000_000, timestamp: timestamp)
            timestamp &+= 160
        }
        #expect(jitter.milliseconds == 0)
    }

    @Test("Delays alternating 0 and 10 ms settle where |D| = 10 ms: J → 10 ms")
    func alternating() {
        var jitter = InterarrivalJitter(clockRate: 8000)
        for index in 0..<500 {
            let delay: Int64 = index % 2 == 0 ? 0 : 10_000_000
            jitter.add(arrivalNanoseconds: Int64(index) * 20_000_000 + delay, timestamp: UInt32(index * 160))
        }
        #expect(abs(jitter.milliseconds - 10) < 0.01)
    }

    @Test("A packet 32 ms late moves J twice, by (|D| − J)/16: at its arrival and at the next packet's")
    func spike() {
        var jitter = InterarrivalJitter(clockRate: 8000)
        for index in 0..<10 {
            jitter.add(arrivalNanoseconds: Int64(index) * 20_000_000, timestamp: UInt32(index * 160))
        }
        let peak = jitter.add(arrivalNanoseconds: 10 * 20_000_000 + 32_000_000, timestamp: 1600)
        #expect(abs(peak - 2) < 1e-9)
        let next = jitter.add(arrivalNanoseconds: 11 * 20_000_000, timestamp: 1760)
        #expect(abs(next - (2 + (32 - 2) / 16.0)) < 1e-9)
    }
}
