import Capture

/// The sending side of one SRTP stream, for tests and fuzzing (TestSupport writes SRTP captures with it): protects
/// RTP and RTCP packets of one SSRC with libsrtp2 itself.
package final class SRTPProtector {
    private let session: SRTPSession
    private let buffer: UnsafeMutableRawBufferPointer
    /// Which master key (by position) protects the packets, when the material has several (MKI).
    package var keyIndex: Int

    /// A sender whose packet index starts at `2^16 × rolloverCounter + firstSequence`: a non-zero rollover counter
    /// stands for a sender whose sequence number wrapped before the capture started. libsrtp2 has no way to set a
    /// sender's counter for every suite (its AEAD path ignores `srtp_set_stream_roc`), so the context is walked
    /// there with a few throwaway packets, each less than 2^15 indices on.
    package init(
        material: SRTPKeyMaterial,
        ssrc: UInt32,
        rolloverCounter: UInt32 = 0,
        firstSequence: UInt16 = 0,
        keyIndex: Int = 0
    ) throws(SRTPError) {
        session = try SRTPSession(material: material, ssrc: ssrc, source: "protector")
        buffer = .allocate(byteCount: 65_536 + SRTPSession.trailerRoom, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        self.keyIndex = keyIndex
        guard rolloverCounter > 0 else { return }
        let target = UInt64(rolloverCounter) << 16 | UInt64(firstSequence)
        var index: UInt64 = 0
        repeat {
            _ = try protect(Self.header(sequence: UInt16(truncatingIfNeeded: index), ssrc: ssrc) + [0])
            index = min(index + 30_000, target - 1)
        } while index < target - 1
        _ = try protect(Self.header(sequence: UInt16(truncatingIfNeeded: target - 1), ssrc: ssrc) + [0])
    }

    deinit {
        buffer.deallocate()
    }

    /// The SRTP packet of a clear RTP packet.
    package func protect(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try run(packet, control: false)
    }

    /// The SRTCP packet of a clear RTCP packet.
    package func protectControl(_ packet: [UInt8]) throws(SRTPError) -> [UInt8] {
        try run(packet, control: true)
    }

    private func run(_ packet: [UInt8], control: Bool) throws(SRTPError) -> [UInt8] {
        guard packet.count <= 65_536, let base = buffer.baseAddress else {
            throw SRTPError(.protectFailed, source: "protector", reason: "a \(packet.count)-byte packet")
        }
        UnsafeMutableRawBufferPointer(rebasing: buffer[0..<packet.count]).copyBytes(from: packet)
        let status =
            control
            ? session.protectControl(base, length: packet.count, keyIndex: keyIndex)
            : session.protect(base, length: packet.count, keyIndex: keyIndex)
        guard case .ok(let length) = status, length <= buffer.count else {
            throw SRTPError(.protectFailed, source: "protector", reason: "libsrtp2 refused the packet: \(status)")
        }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
    }

    /// A 12-byte RFC 3550 header (PT 0) for the throwaway packets.
    private static func header(sequence: UInt16, ssrc: UInt32) -> [UInt8] {
        [
            0x80, 0, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0, 0, UInt8(ssrc >> 24),
            UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF),
        ]
    }
}
