import Capture
import Testing

@Suite("SIP and SDP")
struct SIPMessageTests {
    static let invite = """
        INVITE sip:bob@example.com SIP/2.0\r
        Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r
        f: "Alice" <sip:alice@example.com>;tag=1928301774\r
        t: <sip:bob@example.com>\r
        i: a84b4c76e66710@pc33.example.com\r
        CSeq: 314159 INVITE\r
        Subject: a long\r
         folded subject\r
        c: application/sdp\r
        l: 219\r
        \r
        v=0\r
        o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r
        s=-\r
        c=IN IP4 192.0.2.10\r
        t=0 0\r
        m=audio 49170 RTP/AVP 0 8 101 13\r
        a=rtpmap:101 telephone-event/8000\r
        a=fmtp:101 0-16\r
        a=ptime:20\r
        a=sendrecv\r
        m=video 0 RTP/AVP 31\r

        """

    /// Proves a request with compact headers (f, t, i, c, l), a folded header and an SDP body is parsed:
    /// Call-ID, tags, CSeq, Content-Length bounding the body, and the SDP's address, port, PTs and attributes.
    @Test("INVITE with compact headers and SDP")
    func invite() throws {
        // Bytes after Content-Length (another message glued on by a broken stack) are not body.
        let message = try SIPMessage(parsing: Array(Self.invite.utf8) + Array("XXXX".utf8))
        #expect(message.method == "INVITE")
        #expect(message.callID == "a84b4c76e66710@pc33.example.com")
        #expect(message.fromTag == "1928301774")
        #expect(message.toTag == nil)
        #expect(message.fromURI == "sip:alice@example.com")
        #expect(message.cseq?.number == 314_159)
        #expect(message.cseq?.method == "INVITE")
        #expect(message.header("subject") == "a long folded subject")
        #expect(message.contentLength == 219)
        #expect(message.body.count == 219)
        let sdp = try #require(message.sdp)
        let audio = try #require(sdp.audio.first)
        #expect(audio.port == 49_170)
        #expect(audio.formats == [0, 8, 101, 13])
        #expect(audio.connectionAddress == IPAddress("192.0.2.10"))
        #expect(audio.rtpMap(for: 101) == RTPMap(payloadType: 101, encodingName: "telephone-event", clockRate: 8000))
        #expect(audio.rtpMap(for: 0)?.encodingName == "PCMU")
        #expect(audio.rtpMap(for: 9)?.clockRate == 8000)
        #expect(audio.formatParameters[101] == "0-16")
        #expect(audio.packetTime == 20)
        #expect(audio.direction == .sendrecv)
        #expect(sdp.media.count == 2)
    }

    /// Proves a response (LF-only line ends, long header names) with a To tag and an IPv6 SDP is parsed.
    @Test("200 OK with IPv6 SDP")
    func response() throws {
        let text = """
            SIP/2.0 200 OK
            From: <sip:alice@example.com>;tag=abc
            To: Bob <sip:bob@example.com>;tag=xyz
            Call-ID: call-1
            CSeq: 1 INVITE
            Content-Type: application/sdp

            v=0
            c=IN IP6 2001:db8::b
            m=audio 50002 RTP/AVP 9 96
            a=rtpmap:9 G722/8000
            a=rtpmap:96 opus/48000/2
            a=recvonly
            a=rtcp-mux

            """
        let message = try SIPMessage(parsing: Array(text.utf8))
        #expect(message.statusCode == 200)
        #expect(message.toTag == "xyz")
        #expect(message.fromTag == "abc")
        let audio = try #require(message.sdp?.audio.first)
        #expect(audio.connectionAddress == IPAddress("2001:db8::b"))
        #expect(audio.rtpMaps[96]?.channels == 2)
        #expect(audio.rtpMaps[9]?.clockRate == 8000)
        #expect(audio.direction == .recvonly)
        #expect(audio.rtcpMux)
    }

    /// Proves what is not SIP is refused with a reason.
    @Test("not SIP")
    func notSIP() {
        #expect(throws: CaptureError.self) { try SIPMessage(parsing: Array("HTTP/1.1 200 OK\r\n\r\n".utf8)) }
        #expect(throws: CaptureError.self) { try SIPMessage(parsing: []) }
        #expect(!SIPMessage.looksLikeSIP(Array("GET / HTTP/1.1\r\n".utf8)))
        #expect(SIPMessage.looksLikeSIP(Array("BYE sip:a@b SIP/2.0\r\n".utf8)))
    }

    /// Proves a malformed SDP is tolerated: bad lines are skipped, good ones kept.
    @Test("tolerant SDP")
    func tolerantSDP() {
        let sdp = SDPSession(
            parsing:
                "v=0\nc=IN IP4 nonsense\nm=audio x RTP/AVP 0\na=rtpmap:0 PCMU/8000\nm=audio 4000 RTP/AVP 8\nbogus\na=ptime:30\n"
        )
        #expect(sdp.audio.count == 1)
        #expect(sdp.audio.first?.port == 4000)
        #expect(sdp.audio.first?.packetTime == 30)
        #expect(sdp.connectionAddress == nil)
    }

    /// Proves the SDP part of a multipart body (SIP-I: SDP plus ISUP) is found.
    @Test("multipart body with SDP")
    func multipart() throws {
        let text =
            "INVITE sip:b@example.com SIP/2.0\r\nCall-ID: m\r\n"
            + "Content-Type: multipart/mixed;boundary=\"unique-1\"\r\n\r\n"
            + "--unique-1\r\nContent-Type: application/sdp\r\n\r\nv=0\r\nc=IN IP4 192.0.2.1\r\n"
            + "m=audio 7078 RTP/AVP 8\r\n\r\n--unique-1\r\nContent-Type: application/isup\r\n\r\nxx\r\n"
            + "--unique-1--\r\n"
        let audio = try #require(try SIPMessage(parsing: Array(text.utf8)).sdp?.audio.first)
        #expect(audio.port == 7078)
        #expect(audio.formats == [8])
    }
}
