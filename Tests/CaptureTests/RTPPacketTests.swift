import Capture
import TestSupport
import Testing

@Suite("RTPPacket")
struct RTPPacketTests {
    /// Proves every RFC 3550 header field round-trips through the builder and the parser.
    @Test("header fields, CSRCs, marker")
    func headerFields() throws {
        let bytes = RTPPacketBuilder(
            payloadType: 96,
            sequenceNumber: 65_535,
            timestamp: 0xFFFF_FFF0,
            ssrc: 0xDEAD_BEEF,
            marker: true,
            csrcs: [1, 2, 3],
            payload: [0xAA, 0xBB]
        ).bytes()
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.version == 2)
        #expect(packet.marker)
        #expect(packet.payloadType == 96)
        #expect(packet.sequenceNumber == 65_535)
        #expect(packet.timestamp == 0xFFFF_FFF0)
        #expect(packet.ssrc == 0xDEAD_BEEF)
        #expect(packet.csrcs == [1, 2, 3])
        #expect(Array(packet.payload) == [0xAA, 0xBB])
        #expect(packet.payloadRange == 24..<26)
        #expect(packet.headerExtension == nil)
    }

    /// Proves RFC 8285 one-byte elements are parsed (padding bytes skipped) and the payload follows the extension.
    @Test("one-byte header extension")
    func oneByteExtension() throws {
        var builder = RTPPacketBuilder(payload: [1, 2, 3])
        builder.oneByteExtension([(id: 1, data: [0x80]), (id: 3, data: [1, 2, 3, 4])])
        let packet = try RTPPacket(parsing: builder.bytes())
        let header = try #require(packet.headerExtension)
        #expect(header.isOneByte)
        #expect(header.elements.map(\.id) == [1, 3])
        #expect(header.elements.map { Array($0.data) } == [[0x80], [1, 2, 3, 4]])
        #expect(Array(packet.payload) == [1, 2, 3])
    }

    /// Proves RFC 8285 two-byte elements, including a zero-length one, are parsed.
    @Test("two-byte header extension")
    func twoByteExtension() throws {
        var builder = RTPPacketBuilder(payload: [9])
        builder.twoByteExtension([(id: 200, data: []), (id: 5, data: [7, 7, 7])], appBits: 3)
        let packet = try RTPPacket(parsing: builder.bytes())
        let header = try #require(packet.headerExtension)
        #expect(header.isTwoByte)
        #expect(header.profile == 0x1003)
        #expect(header.elements.map(\.id) == [200, 5])
        #expect(header.elements.map { Array($0.data) } == [[], [7, 7, 7]])
    }

    /// Proves a profile-specific extension is kept raw.
    @Test("other extension profiles stay raw")
    func rawExtension() throws {
        var builder = RTPPacketBuilder(payload: [1])
        builder.headerExtension = (profile: 0xABCD, data: [1, 2, 3, 4, 5, 6, 7, 8])
        let header = try #require(try RTPPacket(parsing: builder.bytes()).headerExtension)
        #expect(header.elements.isEmpty)
        #expect(Array(header.data) == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    /// Proves padding is removed from the payload and a padding count beyond the packet is refused.
    @Test("padding")
    func padding() throws {
        let bytes = RTPPacketBuilder(paddingLength: 4, payload: [1, 2, 3]).bytes()
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.paddingLength == 4)
        #expect(Array(packet.payload) == [1, 2, 3])
        var bad = bytes
        bad[bad.count - 1] = 200
        #expect(throws: CaptureError.self) { try RTPPacket(parsing: bad) }
        bad[bad.count - 1] = 0
        #expect(throws: CaptureError.self) { try RTPPacket(parsing: bad) }
        // A truncated datagram's last byte is not the padding count: no check, payload to the end.
        #expect(try RTPPacket(parsing: bad, isTruncated: true).payload.count == 7)
    }

    /// Proves malformed headers are errors with a reason: short, wrong version, CSRCs or extension past the end.
    @Test(
        "malformed headers",
        arguments: [
            [UInt8](repeating: 0x80, count: 11),
            [0x40] + [UInt8](repeating: 0, count: 11),
            [0x8F] + [UInt8](repeating: 0, count: 20),
            [0x90] + [UInt8](repeating: 0, count: 11) + [0xBE, 0xDE, 0, 9],
        ]
    )
    func malformed(bytes: [UInt8]) {
        #expect(throws: CaptureError.self) { try RTPPacket(parsing: bytes) }
        do {
            _ = try RTPPacket(parsing: bytes)
        } catch {
            #expect(error.code == .malformedRTP)
            #expect(error.description.contains("expected"))
        }
    }
}

@Suite("RTP payload formats")
struct RTPPayloadFormatTests {
    /// Proves the RFC 4733 §2.3 fields: event, E bit, volume, duration, and the DTMF symbols.
    @Test("telephone-event")
    func telephoneEvent() throws {
        let event = try TelephoneEvent(parsing: [11, 0x80 | 10, 0x03, 0x20])
        #expect(event.event == 11)
        #expect(event.isEnd)
        #expect(event.volume == 10)
        #expect(event.duration == 800)
        #expect(event.symbol == "#")
        #expect(try TelephoneEvent(parsing: [14, 0, 0, 0]).symbol == "C")
        #expect(try TelephoneEvent(parsing: [7, 0, 0, 0]).symbol == "7")
        #expect(throws: CaptureError.self) { try TelephoneEvent(parsing: [1, 2]) }
    }

    /// Proves the payload-shape test accepts event reports and refuses audio frames.
    @Test("telephone-event shape")
    func telephoneEventShape() {
        #expect(TelephoneEvent.isPlausible([5, 0x8A, 0x03, 0x20]))
        #expect(TelephoneEvent.isPlausible([5, 0x0A, 0x00, 0xA0, 5, 0x0A, 0x01, 0x40]))
        #expect(!TelephoneEvent.isPlausible([UInt8](repeating: 0xFF, count: 160)))
        #expect(!TelephoneEvent.isPlausible([200, 0, 0, 0]))
        #expect(!TelephoneEvent.isPlausible([5, 0x40, 0, 0]))  // reserved bit set
        #expect(!TelephoneEvent.isPlausible([]))
    }

    /// Proves RFC 3389 comfort noise: level only, level with reflection coefficients, and an invalid level.
    @Test("comfort noise")
    func comfortNoise() throws {
        #expect(try ComfortNoise(parsing: [60]) == ComfortNoise(level: 60))
        let spectral = try ComfortNoise(parsing: [40, 1, 2, 3])
        #expect(spectral.reflectionCoefficients == [1, 2, 3])
        #expect(spectral.levelDBov == -40)
        #expect(throws: CaptureError.self) { try ComfortNoise(parsing: [0x80]) }
        #expect(throws: CaptureError.self) { try ComfortNoise(parsing: []) }
    }
}
