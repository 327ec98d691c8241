import Capture
import FuzzSupport
import SecureRTP

/// Fuzzes the SRTP path (SPEC §2.4): the input is read as an `a=crypto` value, an SDP body, a `--srtp-key` value
/// and a key file; then as a suite (first byte), key material (the next bytes) and datagrams (2-byte length
/// prefixes) for an unprotector keyed with that key and with the SDP's keys. Nothing may trap, and what libsrtp2
/// protects with a key must come back unchanged through the unprotector with that key.
@main
enum FuzzSRTP {
    static func main() {
        FuzzDriver.run { bytes in
            parsers(bytes)
            guard bytes.count >= 2 else { return }
            unprotect(bytes)
        }
    }

    static func parsers(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if case .success(let crypto) = SDPCrypto.parse(text) {
            guard crypto.keys.allSatisfy({ $0.material.count == crypto.suite.keyMaterialLength }) else {
                fatalError("a=crypto accepted a key of the wrong length")
            }
        }
        _ = try? SRTPKeyOption.parse(text, index: 1)
        _ = try? SRTPKeyFile.parse(bytes, name: "fuzz.keys.json")
        let sdp = SDPSession(parsing: "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/SAVP 0\r\na=crypto:" + text)
        var ring = SRTPKeyRing()
        ring.add(sdp: sdp, packetNumber: 1)
        _ = sdp.media.first?.security?.description
    }

    static func unprotect(_ bytes: [UInt8]) {
        let suite = SRTPSuite.allCases[Int(bytes[0]) % SRTPSuite.allCases.count]
        var material = Array(bytes.dropFirst().prefix(suite.keyMaterialLength))
        material += [UInt8](repeating: 0, count: suite.keyMaterialLength - material.count)
        let key = SRTPMasterKey(bytes: material)
        let entry = SRTPKeyEntry(
            material: SRTPKeyMaterial(suite: suite, keys: [SRTPKeyParameter(material: key)]),
            scope: .any,
            origin: .option(index: 1)
        )
        let unprotector = SRTPUnprotector(keys: SRTPKeyRing([entry]))
        let datagrams = chunks(Array(bytes.dropFirst(1 + suite.keyMaterialLength)))
        roundTrip(datagrams.first ?? [], suite: suite, key: key, unprotector: unprotector, flags: bytes[0])
        for (index, payload) in datagrams.enumerated() {
            let datagram = UDPDatagram(
                timestamp: Int64(index),
                packetNumber: index + 2,
                source: Endpoint(address: IPAddress(ipv4: 192, 0, 2, 1), port: 4000 + UInt16(bytes[0] & 1)),
                destination: Endpoint(address: IPAddress(ipv4: 192, 0, 2, 2), port: 4000),
                payload: payload
            )
            _ = unprotector.unprotect(datagram)
            _ = unprotector.unprotectControl(datagram)
        }
        _ = unprotector.statistics
    }

    /// A clear RTP packet made from `payload` is protected by libsrtp2 and must unprotect to itself, then be a
    /// duplicate; with one byte of the tag changed it must fail authentication.
    static func roundTrip(
        _ payload: [UInt8],
        suite: SRTPSuite,
        key: SRTPMasterKey,
        unprotector: SRTPUnprotector,
        flags: UInt8
    ) {
        let ssrc: UInt32 = 0xF00D_0000 | UInt32(flags)
        let sequence = UInt16(payload.count) &* 7919
        let clear: [UInt8] =
            [0x80, 8, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 1, 0] + [
                UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF),
            ] + payload.prefix(1200)
        let material = SRTPKeyMaterial(suite: suite, keys: [SRTPKeyParameter(material: key)])
        guard let protector = try? SRTPProtector(material: material, ssrc: ssrc, rolloverCounter: UInt32(flags >> 6)),
            let protected = try? protector.protect(clear)
        else {
            fatalError("libsrtp2 refused to protect a well-formed packet with a \(suite) key")
        }
        func datagram(_ bytes: [UInt8], _ number: Int) -> UDPDatagram {
            UDPDatagram(
                timestamp: 0,
                packetNumber: number,
                source: Endpoint(address: IPAddress(ipv4: 198, 51, 100, 1), port: 5000),
                destination: Endpoint(address: IPAddress(ipv4: 198, 51, 100, 2), port: 5000),
                payload: bytes
            )
        }
        var tampered = protected
        tampered[tampered.count - 1] ^= 0x01
        guard unprotector.unprotect(datagram(tampered, 1)) == .authenticationFailed,
            unprotector.unprotect(datagram(protected, 1)) == .authenticated(clear),
            unprotector.unprotect(datagram(protected, 1)) == .duplicate
        else {
            fatalError("a \(suite) packet protected by libsrtp2 did not come back through the unprotector")
        }
    }

    /// Datagrams prefixed by a 2-byte length (at most 32, at most 1,500 bytes each).
    static func chunks(_ bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var offset = 0
        while offset + 2 <= bytes.count, result.count < 32 {
            let length = min(1500, Int(bytes[offset]) << 8 | Int(bytes[offset + 1]))
            offset += 2
            let end = min(bytes.count, offset + length)
            result.append(Array(bytes[offset..<end]))
            offset = end
        }
        return result
    }
}
