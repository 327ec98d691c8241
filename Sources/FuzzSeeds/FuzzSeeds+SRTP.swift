import Capture
import TestSupport

extension FuzzSeeds {
    /// Seeds of FuzzSRTP: `a=crypto` values, `--srtp-key` values and key files as text; and, in its binary
    /// layout (suite byte, key material, length-prefixed datagrams), SRTP calls written with libsrtp2 in every
    /// suite, their first packets with the right key.
    static func srtp(_ seeds: inout Seeds) {
        let key = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
        let texts = [
            "1 AES_CM_128_HMAC_SHA1_80 inline:\(key)|2^20|1:4",
            "2 AES_CM_128_HMAC_SHA1_32 inline:\(key)|1:2;inline:\(key)|2:2 UNENCRYPTED_SRTCP KDR=0 FEC_KEY=inline:\(key)",
            "3 AEAD_AES_256_GCM inline:\(key)\(key)", "AES_CM_128_HMAC_SHA1_80:\(key)",
            "[2001:db8::1]:4000=AES_CM_128_HMAC_SHA1_80:\(key)", "0x1234abcd=AES_256_CM_HMAC_SHA1_32:\(key)",
            "[{\"source\": \"192.0.2.1:4000\", \"ssrc\": \"0x1\", \"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"key\": \"\(key)\"}]",
            "[{\"ssrc\": 17, \"suite\": \"AEAD_AES_128_GCM\", \"key\": \"\\u0050S1uQCVeeCFCanVmcjkpPywj\\/NWhcYD0m\"}]",
        ]
        for (index, text) in texts.enumerated() { seeds.add("srtp", "text-\(index)", Array(text.utf8)) }
        for (index, suite) in SRTPSuite.allCases.enumerated() {
            var leg = SynthLeg(
                codec: index % 2 == 0 ? .pcma : .g722,
                source: Endpoint(address: IPAddress(ipv4: 192, 0, 2, 1), port: 4000),
                destination: Endpoint(address: IPAddress(ipv4: 192, 0, 2, 2), port: 4000)
            )
            leg.durationSeconds = 0.2
            let writer = SRTPCallWriter(call: CallSynthesizer(legs: [leg]), senders: [.init(suite: suite, seed: 9)])
            var bytes: [UInt8] = [UInt8(index)]
            bytes += writer.senders[0].keys[0].withUnsafeBytes { Array($0) }
            for packet in writer.packets().prefix(6) {
                bytes += [UInt8(packet.payload.count >> 8), UInt8(packet.payload.count & 0xFF)] + packet.payload
            }
            seeds.add("srtp", "call-\(suite.rawValue)", bytes)
        }
    }
}
