import CallQuality
import Testing

@Suite("Codec impairments (ITU-T G.113 Appendix I)")
struct CodecImpairmentTests {
    /// name, bit rate, Ie, Bpl, whether a figure is assumed. The G.113 rows: Table I.1 (Ie) and Table I.3 (Bpl).
    static let table: [(String, Int?, Double, Double, Bool)] = [
        ("PCMU", nil, 0, 25.1, false),  // G.711 with Appendix I concealment
        ("pcma", nil, 0, 25.1, false),
        ("G722", nil, 0, 25.1, true),  // narrowband scale, same concealer
        ("G726-40", nil, 2, 25.1, true),
        ("G726-32", nil, 7, 25.1, true),
        ("AAL2-G726-24", nil, 25, 25.1, true),
        ("G726-16", nil, 50, 25.1, true),
        ("G726", 24000, 25, 25.1, true),
        ("G729", nil, 11, 19.0, false),  // G.729A+VAD row
        ("G729A", nil, 11, 19.0, false),
        ("G723", 5300, 19, 16.1, false),
        ("GSM", nil, 20, 10.0, true),  // Bpl of GSM-EFR's row
        ("GSM-EFR", nil, 5, 10.0, false),
        ("AMR", 12200, 5, 10.0, true),  // 12.2 kbit/s is GSM-EFR
        ("AMR", 7400, 10, 10.0, true),  // 7.4 kbit/s is IS-641
        ("AMR", 5900, 19, 10.0, true),
        ("AMR-WB", 12650, 0, 10.0, true),
        ("AMR-WB", 6600, 28, 10.0, true),
        ("AMR-WB", 8850, 13, 10.0, true),
        ("opus", 32000, 0, 25.1, true),
        ("opus", 10000, 10, 25.1, true),
        ("speex", 8000, 10, 19.0, true),
        ("L16", nil, 0, 25.1, true),
        ("x-unknown", nil, 0, 25.1, true),
    ]

    @Test("Ie and Bpl per codec, with their sources", arguments: table)
    func figures(name: String, bitrate: Int?, ie: Double, bpl: Double, assumed: Bool) {
        let figures = CodecImpairment.of(CodecIdentity(name: name, bitrate: bitrate))
        #expect(figures.equipmentImpairment == ie)
        #expect(figures.packetLossRobustness == bpl)
        #expect(figures.isAssumed == assumed)
    }

    @Test("G.711 without concealment takes G.113's Bpl 4.3, and loses far more to the same loss")
    func g711WithoutConcealment() {
        let bare = CodecImpairment.of(CodecIdentity(name: "PCMU"), concealed: false)
        #expect(bare.packetLossRobustness == 4.3)
        #expect(bare.robustnessSource == .g113TableI3)
        let concealed = EModel.effectiveEquipmentImpairment(ie: 0, bpl: 25.1, lossPercent: 2, burstRatio: 1)
        let notConcealed = EModel.effectiveEquipmentImpairment(ie: 0, bpl: 4.3, lossPercent: 2, burstRatio: 1)
        #expect(notConcealed > 2.5 * concealed)
    }

    @Test(
        "Codec names print with their rate",
        arguments: [(12650, "AMR-WB 12.65 kbit/s"), (64000, "AMR-WB 64 kbit/s")]
    )
    func description(bitrate: Int, text: String) {
        #expect(CodecIdentity(name: "AMR-WB", bitrate: bitrate).description == text)
    }
}
