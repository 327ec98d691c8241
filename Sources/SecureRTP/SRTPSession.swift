private import CSRTP
import Capture

/// One libsrtp2 session holding the crypto context of one SSRC (`ssrc_specific`), so that its rollover counter
/// can be set and read (`srtp_set_stream_roc`, libsrtp ≥ 2.3) and its replay database is its own. Used from one
/// thread at a time (the unprotector's lock); deallocated (libsrtp zeroes its session keys) when released.
final class SRTPSession {
    private let handle: OpaquePointer
    let ssrc: UInt32
    let material: SRTPKeyMaterial

    /// What libsrtp2 said of a packet.
    enum Status: Equatable {
        /// Authenticated (and decrypted, or protected): the packet's new length.
        case ok(length: Int)
        /// Already received (`srtp_err_status_replay_fail`).
        case replay
        /// Older than the replay window, or an index libsrtp will not go back to.
        case tooOld
        /// Authentication failed, the MKI is unknown, or the packet is malformed: the libsrtp2 status.
        case failed(Int32)
    }

    /// The replay window: libsrtp2's largest (RFC 3711 §3.3.2 allows any size ≥ 64), so packets reordered by
    /// up to 32,767 places are still accepted.
    static let replayWindow = 0x7FFF

    /// At most this many master keys per context (`SRTP_MAX_NUM_MASTER_KEYS`).
    static let maximumKeys = 16

    init(material: SRTPKeyMaterial, ssrc: UInt32, source: String) throws(SRTPError) {
        try SRTPLibrary.ready(source: source)
        let suite = material.suite
        guard material.keys.count >= 1, material.keys.count <= Self.maximumKeys else {
            throw SRTPError(.invalidKey, source: source, reason: "\(material.keys.count) master keys: expected 1 to 16")
        }
        for key in material.keys where key.material.count < suite.keyMaterialLength {
            throw SRTPError(
                .invalidKey,
                source: source,
                field: "key",
                reason: "is \(key.material.count) bytes; \(suite) needs \(suite.keyMaterialLength)"
            )
        }
        if suite.isAEAD && !(material.encryptsMedia && material.authenticatesMedia && material.encryptsControl) {
            throw SRTPError(
                .invalidKey,
                source: source,
                reason: "\(suite) cannot leave media unencrypted or unauthenticated (RFC 7714)"
            )
        }
        var policy = srtp_policy_t()
        Self.setCryptoPolicy(&policy.rtp, suite: suite, control: false)
        Self.setCryptoPolicy(&policy.rtcp, suite: suite, control: true)
        if !material.encryptsMedia { policy.rtp.sec_serv = sec_serv_auth }
        if !material.authenticatesMedia {
            Self.setUnauthenticatedPolicy(&policy.rtp, suite: suite, encrypted: material.encryptsMedia)
        }
        if !material.encryptsControl { policy.rtcp.sec_serv = sec_serv_auth }
        policy.ssrc = srtp_ssrc_t(type: ssrc_specific, value: ssrc)
        policy.window_size = UInt(Self.replayWindow)
        policy.allow_repeat_tx = 0
        var created: OpaquePointer?
        let status = Self.withKeys(material, in: &policy) { policy in srtp_create(&created, &policy) }
        guard status == srtp_err_status_ok, let created else {
            throw SRTPError(
                .libraryFailure,
                source: source,
                reason: "libsrtp2 refused a \(suite) context",
                libraryStatus: Int32(bitPattern: status.rawValue)
            )
        }
        handle = created
        self.ssrc = ssrc
        self.material = material
    }

    deinit {
        srtp_dealloc(handle)
    }

    /// The policy setters of srtp.h for a suite; SRTCP keeps the 80-bit tag for the _32 suites (RFC 4568 §6.2.2).
    private static func setCryptoPolicy(_ policy: inout srtp_crypto_policy_t, suite: SRTPSuite, control: Bool) {
        switch suite {
        case .aes128HMACSHA1_80: srtp_crypto_policy_set_rtp_default(&policy)
        case .aes128HMACSHA1_32:
            if control {
                srtp_crypto_policy_set_rtp_default(&policy)
            } else {
                srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy)
            }
        case .aes192HMACSHA1_80: srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(&policy)
        case .aes192HMACSHA1_32:
            if control {
                srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80(&policy)
            } else {
                srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32(&policy)
            }
        case .aes256HMACSHA1_80: srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy)
        case .aes256HMACSHA1_32:
            if control {
                srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy)
            } else {
                srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&policy)
            }
        case .aeadAES128GCM: srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy)
        case .aeadAES256GCM: srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy)
        }
    }

    /// RFC 4568 §6.3.4 UNAUTHENTICATED_SRTP: packets carry no tag at all, so the policy must have none (libsrtp2
    /// strips a tag's length on receipt whenever its policy has an authentication function, used or not).
    private static func setUnauthenticatedPolicy(
        _ policy: inout srtp_crypto_policy_t,
        suite: SRTPSuite,
        encrypted: Bool
    ) {
        guard encrypted else {
            srtp_crypto_policy_set_null_cipher_hmac_null(&policy)
            return
        }
        switch suite.masterKeyLength {
        case 24: srtp_crypto_policy_set_aes_cm_192_null_auth(&policy)
        case 32: srtp_crypto_policy_set_aes_cm_256_null_auth(&policy)
        default: srtp_crypto_policy_set_aes_cm_128_null_auth(&policy)
        }
    }

    /// Runs `body` with the policy's keys pointing at copies of the key bytes (one key, or the master key list
    /// with MKIs), and wipes the copies afterwards. libsrtp2 derives its session keys inside `srtp_create`.
    private static func withKeys(
        _ material: SRTPKeyMaterial,
        in policy: inout srtp_policy_t,
        _ body: (inout srtp_policy_t) -> srtp_err_status_t
    ) -> srtp_err_status_t {
        // SRTP_MAX_KEY_LEN is 64: a buffer of that size holds any suite's key and salt, zero-padded.
        let keyBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * material.keys.count, alignment: 16)
        let mkiBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 * material.keys.count, alignment: 16)
        let masterKeys = UnsafeMutablePointer<srtp_master_key_t>.allocate(capacity: material.keys.count)
        let list = UnsafeMutablePointer<UnsafeMutablePointer<srtp_master_key_t>?>.allocate(
            capacity: material.keys.count
        )
        defer {
            SRTPMasterKey.wipe(keyBytes)
            keyBytes.deallocate()
            mkiBytes.deallocate()
            masterKeys.deallocate()
            list.deallocate()
        }
        keyBytes.initializeMemory(as: UInt8.self, repeating: 0)
        mkiBytes.initializeMemory(as: UInt8.self, repeating: 0)
        for (index, key) in material.keys.enumerated() {
            let slot = UnsafeMutableRawBufferPointer(rebasing: keyBytes[(64 * index)..<(64 * index + 64)])
            key.material.withUnsafeBytes { bytes in
                slot.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(64)))
            }
            let mki = key.mki?.bytes ?? []
            let mkiSlot = UnsafeMutableRawBufferPointer(rebasing: mkiBytes[(128 * index)..<(128 * index + 128)])
            mkiSlot.copyBytes(from: mki.prefix(128))
            (masterKeys + index).initialize(
                to: srtp_master_key_t(
                    key: slot.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    mki_id: mkiSlot.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    mki_size: UInt32(mki.count)
                )
            )
            list[index] = masterKeys + index
        }
        if material.usesMKI {
            policy.keys = list
            policy.num_master_keys = UInt(material.keys.count)
        } else {
            policy.key = keyBytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        }
        let status = body(&policy)
        policy.key = nil
        policy.keys = nil
        return status
    }

    /// Unprotects the SRTP packet in `buffer` (its first `length` bytes) in place.
    func unprotect(_ buffer: UnsafeMutableRawPointer, length: Int) -> Status {
        var octets = Int32(length)
        let status = srtp_unprotect_mki(handle, buffer, &octets, material.usesMKI ? 1 : 0)
        return Self.status(status, length: octets)
    }

    /// Unprotects the SRTCP packet in `buffer` in place (RFC 3711 §3.4: its index travels in the packet).
    func unprotectControl(_ buffer: UnsafeMutableRawPointer, length: Int) -> Status {
        var octets = Int32(length)
        let status = srtp_unprotect_rtcp_mki(handle, buffer, &octets, material.usesMKI ? 1 : 0)
        return Self.status(status, length: octets)
    }

    /// Protects the RTP packet in `buffer` in place; the buffer must have room for the tag and MKI
    /// (`SRTP_MAX_TRAILER_LEN` bytes) after `length`.
    func protect(_ buffer: UnsafeMutableRawPointer, length: Int, keyIndex: Int) -> Status {
        var octets = Int32(length)
        let status = srtp_protect_mki(handle, buffer, &octets, material.usesMKI ? 1 : 0, UInt32(keyIndex))
        return Self.status(status, length: octets)
    }

    /// Protects the RTCP packet in `buffer` in place (room for index, tag and MKI after `length`).
    func protectControl(_ buffer: UnsafeMutableRawPointer, length: Int, keyIndex: Int) -> Status {
        var octets = Int32(length)
        let status = srtp_protect_rtcp_mki(handle, buffer, &octets, material.usesMKI ? 1 : 0, UInt32(keyIndex))
        return Self.status(status, length: octets)
    }

    /// Sets the rollover counter the next packet is read with (RFC 3711 §3.3.1); 0 returns to libsrtp's own
    /// estimate from the packets it has accepted.
    func setRolloverCounter(_ value: UInt32) {
        _ = srtp_set_stream_roc(handle, ssrc, value)
    }

    /// The rollover counter of the highest packet index accepted so far.
    var rolloverCounter: UInt32? {
        var value: UInt32 = 0
        return srtp_get_stream_roc(handle, ssrc, &value) == srtp_err_status_ok ? value : nil
    }

    private static func status(_ status: srtp_err_status_t, length: Int32) -> Status {
        switch status {
        case srtp_err_status_ok: .ok(length: Int(length))
        case srtp_err_status_replay_fail: .replay
        case srtp_err_status_replay_old, srtp_err_status_pkt_idx_old: .tooOld
        default: .failed(Int32(bitPattern: status.rawValue))
        }
    }

    /// Room libsrtp2 may add after a packet when protecting it (`SRTP_MAX_TRAILER_LEN`: tag, MKI, SRTCP index).
    static let trailerRoom = Int(SRTP_MAX_TRAILER_LEN) + 4
}
