import Testing

@testable import CallPicture

@Suite("SVG writer")
struct SVGWriterTests {
    @Test(
        "Numbers with at most one decimal, from integers",
        arguments: [(12.0, "12"), (12.25, "12.3"), (-0.04, "0"), (-0.06, "-0.1"), (1071.95, "1072"), (.nan, "0")]
    )
    func numbers(value: Double, text: String) {
        #expect(SVGWriter.format(value) == text)
    }

    @Test(
        "Labels with fixed decimals",
        arguments: [(4.372, 2, "4.37"), (0.5, 2, "0.50"), (93.2, 1, "93.2"), (7, 0, "7")]
    )
    func fixed(value: Double, decimals: Int, text: String) {
        #expect(SVGWriter.fixed(value, decimals: decimals) == text)
    }

    @Test("Text is escaped, control characters dropped, long text cut")
    func escaping() {
        #expect(SVGWriter.escaped("a<b>&\"c'\u{1}\u{7F}d") == "a&lt;b&gt;&amp;&quot;c&apos;d")
        #expect(SVGWriter.escaped(String(repeating: "x", count: 10), limit: 4) == "xxxx…")
    }
}
