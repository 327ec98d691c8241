import ArgumentParser
import Recordings
import SecureRTP
import Transcoder

/// `--srtp-key [SOURCE=]SUITE:BASE64` and `--srtp-keys FILE.json` (SPEC §2.4, §5), shared by `transcode` and
/// `inspect`. Errors name the option or the file and what is wrong, never the key.
struct SRTPKeyOptions: ParsableArguments {
    @Option(
        name: .customLong("srtp-key"),
        help: ArgumentHelp(
            "An SRTP master key ‖ salt for the media from SOURCE (ip:port or 0xSSRC; default every stream), e.g. "
                + "AES_CM_128_HMAC_SHA1_80:<base64>. Repeatable. SDES keys in the capture's SDP are used by themselves.",
            valueName: "[SOURCE=]SUITE:BASE64"
        )
    )
    var keys: [String] = []

    @Option(
        name: .customLong("srtp-keys"),
        help: ArgumentHelp(
            "A JSON key file: [{\"source\": \"ip:port\", \"ssrc\": \"0x…\", \"suite\": \"…\", \"key\": \"<base64>\"}]. "
                + "Repeatable.",
            valueName: "FILE.json"
        )
    )
    var keyFiles: [String] = []

    /// The keys the options give, in order: every `--srtp-key`, then every file's entries.
    func ring() throws -> SRTPKeyRing {
        var ring = SRTPKeyRing()
        for (index, text) in keys.enumerated() {
            do {
                ring.add(try SRTPKeyOption.parse(text, index: index + 1))
            } catch {
                throw ValidationError("\(error)")
            }
        }
        for path in keyFiles {
            do {
                for entry in try SRTPKeyFiles.read(path: path, code: .invalidSettings) { ring.add(entry) }
            } catch {
                throw ValidationError("--srtp-keys \(error)")
            }
        }
        return ring
    }
}
