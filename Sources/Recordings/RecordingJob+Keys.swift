import Capture
import S3
public import SecureRTP
public import Transcoder

/// SRTP key files (SPEC §2.4): `--srtp-keys FILE.json` on the command line and, in the Lambda function, the key
/// object beside the capture. Their bytes are wiped once parsed; errors name the file, the entry and the field,
/// never a key.
public enum SRTPKeyFiles {
    /// The entries of the local key file at `path`; `code` is the error's (the CLI: `invalidSettings`).
    public static func read(path: String, code: TranscodeError.Code) throws(TranscodeError) -> [SRTPKeyEntry] {
        var bytes: [UInt8] = []
        defer { SRTPMasterKey.wipe(&bytes) }
        guard let size = LocalFiles.size(path) else {
            throw TranscodeError(code, input: path, reason: "no such SRTP key file", side: .input)
        }
        bytes.reserveCapacity(min(size, SRTPKeyFile.maximumSize) + 1)
        try LocalFiles.read(path) { (chunk) throws(TranscodeError) in
            guard bytes.count + chunk.count <= SRTPKeyFile.maximumSize else {
                throw TranscodeError(code, input: path, reason: "an SRTP key file is at most 1 MiB", side: .input)
            }
            bytes += chunk
        }
        return try parse(bytes, name: path, code: code)
    }

    /// The entries of a key file's bytes (the caller wipes them).
    public static func parse(
        _ bytes: [UInt8],
        name: String,
        code: TranscodeError.Code
    ) throws(TranscodeError)
        -> [SRTPKeyEntry]
    {
        do {
            return try SRTPKeyFile.parse(bytes, name: name)
        } catch {
            throw TranscodeError(code, input: name, reason: "not an SRTP key file: \(error)", side: .input)
        }
    }
}

extension RecordingJob {
    /// Step 1 for keys: the SRTP keys of the settings, and those of the key object `<capture key><suffix>` beside
    /// an S3 capture when `srtpKeyObjectSuffix` is set (the Lambda function's `SRTP_KEYS_SUFFIX`). A missing key
    /// object is no error (the capture may be clear, or keyed in its SDP; 404, or 403 where the role may not
    /// list the bucket); a malformed one is `invalidCapture` naming it.
    func srtpKeys() throws(TranscodeError) -> SRTPKeyRing {
        var keys = settings.srtpKeys
        guard let suffix = srtpKeyObjectSuffix, !suffix.isEmpty, case .s3(let capture) = input else { return keys }
        guard let s3 else { throw Self.noS3Client(for: input) }
        let object = S3Location(bucket: capture.bucket, key: capture.key + suffix)
        var bytes: [UInt8] = []
        defer { SRTPMasterKey.wipe(&bytes) }
        do {
            bytes.reserveCapacity(4096)
            try s3.getObject(bucket: object.bucket, key: object.key, deadline: deadline) { piece in
                guard bytes.count + piece.count <= SRTPKeyFile.maximumSize else {
                    throw TranscodeError(
                        .invalidCapture,
                        input: "\(object)",
                        reason: "an SRTP key object is at most 1 MiB",
                        side: .input
                    )
                }
                if bytes.count + piece.count > bytes.capacity {
                    // Grown by hand, so the old buffer is wiped rather than left to the allocator with a key in it.
                    var larger: [UInt8] = []
                    larger.reserveCapacity(min(SRTPKeyFile.maximumSize, 2 * (bytes.count + piece.count)))
                    larger += bytes
                    SRTPMasterKey.wipe(&bytes)
                    bytes = larger
                }
                bytes += piece
            }
        } catch let error as S3Error where error.code == .noSuchKey || error.code == .accessDenied {
            // Without s3:ListBucket (the deployment grants none) S3 answers a missing object with 403.
            return keys
        } catch let error as TranscodeError {
            throw error
        } catch {
            throw TranscodeError(
                .io,
                input: "\(object)",
                reason: "cannot read the SRTP key object: \(error)",
                side: .input,
                underlying: error
            )
        }
        for entry in try SRTPKeyFiles.parse(bytes, name: "\(object)", code: .invalidCapture) { keys.add(entry) }
        return keys
    }
}
