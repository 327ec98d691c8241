import Capture
import SecureRTP
import TestSupport

/// Calls and expectations shared by the SRTP tests.
enum SRTPFixtures {
    static let alice = Endpoint(address: IPAddress(ipv4: 192, 0, 2, 10), port: 40_000)
    static let bob = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 20), port: 50_000)

    /// A two-way call with SIP: PCMA from the caller, PCMU from the callee (with DTMF, whose end packet is sent
    /// three times).
    static func call(
        seconds: Double = 2,
        duplicates: Double = 0,
        reorder: Double = 0,
        firstSequences: (UInt16, UInt16) = (1000, 20_000)
    ) -> CallSynthesizer {
        var caller = SynthLeg(codec: .pcma, source: alice, destination: bob)
        caller.durationSeconds = seconds
        caller.firstSequence = firstSequences.0
        caller.duplicateProbability = duplicates
        caller.reorderProbability = reorder
        var callee = SynthLeg(codec: .pcmu, source: bob, destination: alice)
        callee.durationSeconds = seconds
        callee.ssrc = 0x2222_2222
        callee.firstSequence = firstSequences.1
        callee.seed = 2
        callee.duplicateProbability = duplicates
        callee.reorderProbability = reorder
        callee.dtmf = [(code: 5, startMilliseconds: 400, durationMilliseconds: 100)]
        var synth = CallSynthesizer(legs: [caller, callee])
        synth.withSIP = true
        return synth
    }

    static func writer(
        _ suites: (SRTPSuite, SRTPSuite),
        placement: SRTPCallWriter.KeyPlacement = .sdp,
        call: CallSynthesizer = call()
    ) -> SRTPCallWriter {
        SRTPCallWriter(
            call: call,
            senders: [.init(suite: suites.0, seed: 11), .init(suite: suites.1, seed: 22)],
            placement: placement
        )
    }

    /// What an unprotector must say of each media packet of `writer`'s capture: the clear packet the first time
    /// an index arrives intact, a duplicate after that (a corrupted copy of an index already authenticated is
    /// known as a duplicate before its tag is looked at), an authentication failure for the corrupted one.
    static func expectedVerdicts(_ writer: SRTPCallWriter) -> [SRTPVerdict] {
        let clear = writer.call.packets().filter { $0.leg != nil }
        var seen = Set<[UInt8]>()
        var counts = [Int](repeating: 0, count: writer.senders.count)
        return clear.map { packet in
            let leg = packet.leg!
            defer { counts[leg] += 1 }
            if seen.contains(packet.payload) { return .duplicate }
            if writer.senders[leg].corruptedPacket == counts[leg] { return .authenticationFailed }
            seen.insert(packet.payload)
            return .authenticated(packet.payload)
        }
    }

    /// The first place two verdict lists differ, described (nil when equal), so a failure does not print every
    /// verdict of the call.
    static func firstDifference(_ found: [SRTPVerdict], _ expected: [SRTPVerdict]) -> String? {
        guard found != expected else { return nil }
        guard found.count == expected.count else { return "\(found.count) verdicts, expected \(expected.count)" }
        let index = found.indices.first { found[$0] != expected[$0] } ?? 0
        let wrong = zip(found, expected).filter { $0 != $1 }.count
        return "media packet \(index): \(found[index]), expected \(expected[index]) (\(wrong) differ)"
    }

    /// The verdicts an unprotector gives the media packets of `writer`'s capture, keys from the SDP plus `keys`.
    static func verdicts(
        _ writer: SRTPCallWriter,
        keys: SRTPKeyRing = SRTPKeyRing()
    ) throws -> (
        verdicts: [SRTPVerdict], unprotector: SRTPUnprotector
    ) {
        var receiver = SRTPReceiver(keys: keys)
        try receiver.run(capture: writer.capture())
        return (receiver.mediaVerdicts, receiver.unprotector)
    }
}
