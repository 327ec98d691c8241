import CallTimeline
import Capture

extension CaptureContents {
    /// The error of a capture whose only audio is encrypted media that no key decrypts (SPEC §2.4: exit 65,
    /// `InvalidCapture`, never a recording of noise): what showed each stream is encrypted, and how keys can be
    /// given. Nil when no stream was skipped as encrypted.
    func encryptedMediaError() -> TranscodeError? {
        let encrypted = timeline.summary.streams.compactMap { stream -> (StreamKey, EncryptedMedia)? in
            guard case .encrypted(let media) = stream.skippedReason else { return nil }
            return (stream.key, media)
        }
        guard !encrypted.isEmpty else { return nil }
        let listed = encrypted.prefix(3).map { "\($0.0): \($0.1)" }
        let more = encrypted.count > 3 ? "; and \(encrypted.count - 3) more encrypted streams" : ""
        return TranscodeError(
            .encryptedMedia,
            input: name,
            reason: "the media is encrypted and no key decrypts it: " + listed.joined(separator: "; ") + more + ". "
                + Self.keyAdvice(encrypted.map(\.1))
        )
    }

    /// How keys can be given, for the streams at hand: keys agreed in-band (DTLS-SRTP, ZRTP) are never in a
    /// capture; keys given and failing are wrong; otherwise the ways to give them.
    static func keyAdvice(_ media: [EncryptedMedia]) -> String {
        let ways =
            "--srtp-key [SOURCE=]SUITE:BASE64 or --srtp-keys FILE.json (the Lambda function reads a key object "
            + "beside the capture: its key + SRTP_KEYS_SUFFIX, default .keys.json)"
        let inBand =
            "DTLS-SRTP and ZRTP keys are agreed on the media path and cannot come from a capture: only an endpoint "
            + "that logged its SRTP master keys can give them"
        if media.contains(where: \.isWrongKey) {
            return "The keys given do not authenticate its packets: check each key's suite, bytes and source; keys go "
                + "in with " + ways + ". " + inBand + "."
        }
        if media.allSatisfy({ $0.keyExchange == .dtls || $0.keyExchange == .zrtp }) {
            return inBand + ", with " + ways + "."
        }
        return "Give the SRTP keys (SDES a=crypto keys in the capture's SDP are used by themselves) with " + ways
            + ". " + inBand + "."
    }
}
