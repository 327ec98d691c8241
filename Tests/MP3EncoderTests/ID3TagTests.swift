import MP3Encoder
import Testing

@Suite("ID3Tag: ID3v2.4.0 bytes")
struct ID3TagTests {
    /// An empty tag is the bare 10-byte header: "ID3", version 4.0, no flags, size 0.
    @Test("empty tag")
    func empty() {
        #expect(ID3Tag().bytes() == [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0, 0, 0, 0])
    }

    /// Every frame laid out byte by byte: id, synchsafe size, zero flags, encoding $03 (UTF-8), then the text;
    /// TXXX and COMM separate their parts with $00; the header size covers the frames exactly.
    @Test("frame layout")
    func layout() {
        let tag = ID3Tag(
            title: "call-42",
            recordingTime: 1_795_916_245,  // 2026-11-29T01:37:25Z
            encoderSettings: "rtp2mp3",
            userTexts: [.init(description: "channels", value: "L=A")],
            comment: "hi"
        )
        var expected: [UInt8] = []
        func frame(_ id: String, _ body: [UInt8]) {
            expected += Array(id.utf8) + [0, 0, 0, UInt8(body.count), 0, 0] + body
        }
        frame("TIT2", [3] + Array("call-42".utf8))
        frame("TDRC", [3] + Array("2026-11-29T01:37:25".utf8))
        frame("TSSE", [3] + Array("rtp2mp3".utf8))
        frame("TXXX", [3] + Array("channels".utf8) + [0] + Array("L=A".utf8))
        frame("COMM", [3] + Array("eng".utf8) + [0] + Array("hi".utf8))
        let header: [UInt8] = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0, 0, 0, UInt8(expected.count)]
        #expect(tag.bytes() == header + expected)
    }

    /// Sizes of 128 and more use 7 bits per byte (synchsafe), in the tag header and in frame headers.
    @Test("synchsafe sizes")
    func synchsafe() {
        let value = String(repeating: "x", count: 200)
        let bytes = ID3Tag(title: value).bytes()
        // Frame body: 1 + 200 = 201 = 0b1_1001001 -> 00 00 01 49; tag size 10 + 201 = 211 -> 00 00 01 53.
        #expect(Array(bytes[6..<10]) == [0, 0, 0x01, 0x53])
        #expect(Array(bytes[14..<18]) == [0, 0, 0x01, 0x49])
        #expect(bytes.count == 10 + 211)
    }

    /// Texts are UTF-8 as is; NUL (a separator in ID3) is dropped rather than splitting a frame.
    @Test("UTF-8 and NUL")
    func utf8() {
        let bytes = ID3Tag(title: "Zoë\u{0}☎").bytes()
        #expect(Array(bytes[20...]) == [3] + Array("Zoë☎".utf8))
    }

    /// Over-long texts are cut between scalars at the limit, so a tag is always writable.
    @Test("long texts are cut")
    func long() {
        let bytes = ID3Tag(title: String(repeating: "é", count: ID3Tag.maximumTextBytes)).bytes()
        #expect(bytes.count == 10 + 10 + 1 + ID3Tag.maximumTextBytes)
    }

    /// UTC timestamps in the ID3v2.4 format across the epoch, leap days, and far dates.
    @Test(
        "timestamps",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00"),
            (951_782_400, "2000-02-29T00:00:00"),
            (1_795_916_245, "2026-11-29T01:37:25"),
            (-1, "1969-12-31T23:59:59"),
            (4_102_444_799, "2099-12-31T23:59:59"),
        ]
    )
    func timestamp(seconds: Int64, text: String) {
        #expect(ID3Tag.timestamp(seconds) == text)
    }

    /// The same fields give the same bytes, always.
    @Test("deterministic")
    func deterministic() {
        let tag = ID3Tag(title: "a", recordingTime: 5, userTexts: [.init(description: "d", value: "v")])
        #expect(tag.bytes() == tag.bytes())
    }
}
