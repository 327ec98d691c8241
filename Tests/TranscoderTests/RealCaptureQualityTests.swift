import CallTimeline
import TestSupport
import Testing
import Transcoder

/// The quality estimate, talk time and double talk of the real captures (SPEC §4), measured by pass 2 as it
/// renders them: plausible for what each capture is known to hold (../shared/testdata/README.md), and stable.
@Suite("Real captures: quality and talk time", .enabled(if: TestData.shouldRun))
struct RealCaptureQualityTests {
    struct LegFigures: Sendable {
        /// The MOS range expected (G.711 without loss: 4.36 with 20 ms packets, the ceiling of the estimate).
        var mos: ClosedRange<Double>
        /// Sequence numbers missing for good, and packets a 60 ms jitter buffer would have dropped.
        var lost: Int
        var late: Int
        /// Talk seconds, ± 0.3 s.
        var talk: Double
    }

    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var legs: [LegFigures]
        var doubleTalk: Double
        var description: String { file }
    }

    static let expectations: [Expectation] = [
        // Clean PCMU both ways, a conversation: both legs at the G.711 ceiling, a second of double talk.
        Expectation(
            file: "wireshark-samples/MagicJack_short_call.pcap",
            legs: [
                LegFigures(mos: 4.3...4.4, lost: 0, late: 0, talk: 2.7),
                LegFigures(mos: 4.3...4.4, lost: 0, late: 0, talk: 4.26),
            ],
            doubleTalk: 1.04
        ),
        // PCMA at 30 ms, 2 packets lost on A (concealed): A a little below B.
        Expectation(
            file: "wireshark-samples/SIP_DTMF2.pcap",
            legs: [
                LegFigures(mos: 4.25...4.35, lost: 2, late: 0, talk: 1.95),
                LegFigures(mos: 4.3...4.4, lost: 0, late: 0, talk: 9.24),
            ],
            doubleTalk: 1.12
        ),
        // 14 of 814 packets lost in two runs (12 and 2): 1.7 % bursty loss.
        Expectation(
            file: "asterisk-testsuite/CARRIER_G711U.pcap",
            legs: [LegFigures(mos: 4.1...4.25, lost: 14, late: 0, talk: 4.65)],
            doubleTalk: 0
        ),
        // Leg A's sender pauses without advancing its timestamps (steps of ≈ 200 ms): a 60 ms buffer runs dry and
        // drops the packets of each step until it re-synchronises; nothing is lost on the wire.
        Expectation(
            file: "projectrtp/ivr_dtmf_issue_9_1_9_9_3.pcap",
            legs: [
                LegFigures(mos: 4.15...4.3, lost: 0, late: 21, talk: 21.07),
                LegFigures(mos: 4.3...4.4, lost: 0, late: 0, talk: 2.08),
            ],
            doubleTalk: 0.23
        ),
        // PCMA at 40 ms: one packet per 40 ms costs a little delay (T), no loss.
        Expectation(
            file: "asterisk-testsuite/40msalaw.pcap",
            legs: [LegFigures(mos: 4.3...4.4, lost: 0, late: 0, talk: 2.32)],
            doubleTalk: 0
        ),
    ]

    static func rendered(_ file: String) throws -> TwoSteps.Result {
        var settings = TranscodeSettings()
        settings.format = .wav
        return try TwoSteps.transcode(
            FileSource(path: try TestData.url("captures/" + file).path, name: file),
            settings: settings
        )
    }

    /// Each leg's MOS, loss, late packets and talk time, and the call's double talk, are those the capture holds.
    @Test("figures per leg", arguments: expectations)
    func figures(_ expectation: Expectation) throws {
        let analysis = try Self.rendered(expectation.file).rendering.analysis
        try #require(analysis.legs.count == expectation.legs.count)
        for (leg, expected) in zip(analysis.legs, expectation.legs) {
            let pattern = leg.lossPattern
            print("\(expectation.file) \(leg.side): MOS \(leg.quality.mos), R \(leg.quality.rFactor)")
            #expect(expected.mos.contains(leg.quality.mos), "MOS \(leg.quality.mos)")
            #expect(pattern.missing - pattern.late == expected.lost)
            #expect(pattern.late == expected.late)
            #expect(abs(leg.talkSeconds - expected.talk) <= 0.3, "talk \(leg.talkSeconds) s")
        }
        #expect(abs(analysis.doubleTalkSeconds - expectation.doubleTalk) <= 0.3)
    }

    /// Loss lowers the score: CARRIER_G711U's bursty 1.7 % is below a clean PCMU leg, and its burst ratio is far
    /// above 1 (12 of 14 losses in one run).
    @Test("CARRIER_G711U: bursty loss scores below clean")
    func carrierBursts() throws {
        let carrier = try Self.rendered("asterisk-testsuite/CARRIER_G711U.pcap").rendering.analysis.legs[0]
        let clean = try Self.rendered("wireshark-samples/MagicJack_short_call.pcap").rendering.analysis.legs[0]
        #expect(carrier.lossPattern.bursts == 2)
        #expect(carrier.lossPattern.burstRatio > 5)
        #expect(carrier.quality.mos < clean.quality.mos - 0.1)
    }

    /// Rendering the same capture twice gives the same figures and the same recording, with or without a picture
    /// drawn alongside.
    @Test("the same capture gives the same figures and recording, picture or not")
    func stable() throws {
        let file = "wireshark-samples/SIP_DTMF2.pcap"
        let plain = try Self.rendered(file)
        let first = plain.rendering.analysis
        var settings = TranscodeSettings()
        settings.format = .wav
        let second = try TwoSteps.transcode(
            FileSource(path: try TestData.url("captures/" + file).path, name: file),
            settings: settings,
            picture: true
        )
        #expect(second.recording.sha256 == plain.recording.sha256)
        #expect(second.rendering.picture != nil)
        #expect(plain.rendering.picture == nil)
        #expect(first.legs.map(\.quality) == second.rendering.analysis.legs.map(\.quality))
        #expect(first.legs.map(\.talkSeconds) == second.rendering.analysis.legs.map(\.talkSeconds))
    }
}
