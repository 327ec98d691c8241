extension CallSynthesizer {
    /// Two parties taking turns, as in a conversation: turns of 2 to 12 s, alternating, with pauses of 0.2 to
    /// 0.8 s between them, so each party talks about half the time. A party's speech is taken in order from its
    /// own material (`a`, `b`: mono speech at `sampleRate`, looped when the call is longer); while the other
    /// talks it sends the noise of a quiet room (about −60 dBFS), as a G.711 phone without voice activity
    /// detection does. Returns each party's `count` samples.
    public static func conversation(
        _ a: [Int16],
        _ b: [Int16],
        count: Int,
        sampleRate: Int,
        seed: UInt64 = 7
    ) -> (a: [Int16], b: [Int16]) {
        var random = SplitMix64(seed: seed)
        var parties = [[Int16](), [Int16]()]
        let material = [a.isEmpty ? [0] : a, b.isEmpty ? [0] : b]
        var next = [0, 0]
        for index in 0..<2 { parties[index].reserveCapacity(count) }
        var talker = 0
        func roomNoise(_ random: inout SplitMix64) -> Int16 {
            // Triangular noise of standard deviation ≈ 33 (−60 dBFS): the sum of two uniforms in ±40.
            Int16(Int(random.next() % 81) + Int(random.next() % 81) - 80)
        }
        while parties[0].count < count {
            let turn = min(count - parties[0].count, Int((2 + random.unit() * 10) * Double(sampleRate)))
            let pause = Int((0.2 + random.unit() * 0.6) * Double(sampleRate))
            for _ in 0..<turn {
                parties[talker].append(material[talker][next[talker]])
                next[talker] = (next[talker] + 1) % material[talker].count
                parties[1 - talker].append(roomNoise(&random))
            }
            for _ in 0..<min(pause, count - parties[0].count) {
                parties[0].append(roomNoise(&random))
                parties[1].append(roomNoise(&random))
            }
            talker = 1 - talker
        }
        return (parties[0], parties[1])
    }
}
