import CallTimeline
import HTTPClient
public import Logging
import S3
import SigV4
import Transcoder

/// The recording handler of the Lambda function: S3 GET (spooled to /tmp, pass 1 running on the bytes as they
/// arrive) → the pipeline, the recording written to /tmp as it is encoded → S3 PUT of the recording from there
/// (multipart when large, aborted on failure) and of the JSON report (SPEC §6). Memory does not grow with the
/// call: neither the capture nor the recording is held whole. Errors become the types of SPEC §6.5. One instance
/// serves every invocation of the process; it keeps nothing from one object to the next but the S3 client's
/// connection.
public final class TranscodingHandler: RecordingHandler {
    private let s3: S3Client
    private let settings: TranscodeSettings

    /// Builds the handler; an unusable setting is a `ConfigInvalid` init error naming its variable.
    public init(configuration: FunctionConfiguration, caBundlePath: String?, logger: Logger) throws {
        var settings = TranscodeSettings()
        settings.format = configuration.outputFormat == .wav ? .wav : .mp3
        settings.channels = configuration.channels == .mono ? .mono : .stereo
        settings.bitrate = configuration.mp3Bitrate
        settings.vbrQuality = configuration.mp3VBRQuality
        if let left = configuration.leftChannel {
            guard let rule = LeftChannelRule(left) else {
                throw RecordingError(
                    .configInvalid,
                    "LEFT_CHANNEL: expected caller, callee, an IP address or a CIDR, found \"\(left)\"",
                    variable: "LEFT_CHANNEL"
                )
            }
            settings.timeline.left = rule
        }
        self.settings = settings
        let credentials = configuration.credentials
        let http = try HTTPClient(
            configuration: HTTPClient.Configuration(
                caBundlePath: caBundlePath,
                proxy: .environment,
                userAgent: "rtp2mp3/\(ProductVersion.string)"
            )
        )
        s3 = S3Client(
            configuration: S3Configuration(
                region: configuration.s3.region,
                credentials: credentials,
                endpoint: configuration.s3.endpointURL
            ),
            httpClient: http,
            logger: logger
        )
    }

    public func handle(ref: ObjectRef, context: InvocationContext) throws -> RecordingOutcome {
        let logger = context.logger
        let clock = ContinuousClock()
        // S3 calls stop at the deadline less the margin, so an aborted upload and the error post still fit.
        let deadline = clock.now + .milliseconds(context.budgetMilliseconds)
        let name = "s3://\(ref.bucket)/\(ref.key)"
        let output = context.output
        let spool: LocalFiles.TemporaryFile
        let recordingFile: LocalFiles.OutputFile
        do {
            spool = try LocalFiles.TemporaryFile(prefix: "rtp2mp3-capture")
            // Never committed: it is read back for the upload and dropped.
            recordingFile = try LocalFiles.OutputFile(path: LocalFiles.uploadStagingPath)
        } catch {
            throw RecordingError(.unhandled, "\(error)", bucket: ref.bucket, key: ref.key)
        }
        defer {
            spool.remove()
            recordingFile.discard()
        }

        var eTag: String?
        var inputBytes: Int64 = 0
        var downloadError: RecordingError?
        var downloadMilliseconds = 0.0
        let started = clock.now
        let result: Transcoder.Result
        do {
            result = try Transcoder.transcode(
                source: FileSource(path: spool.path, name: name),
                settings: settings,
                outputName: "s3://\(output.bucket)/\(output.recordingKey)",
                title: nil,
                firstPass: { (ingest) throws(TranscodeError) in
                    do {
                        let metadata = try self.s3.getObject(bucket: ref.bucket, key: ref.key, deadline: deadline) {
                            bytes in
                            guard clock.now < deadline else {
                                throw TranscodeError(
                                    .deadlineExceeded,
                                    input: name,
                                    reason: "deadline near while reading"
                                )
                            }
                            try spool.write(bytes)
                            try ingest.append(bytes)
                        }
                        eTag = metadata.eTag
                        inputBytes = metadata.size
                        downloadMilliseconds = Transcoder.milliseconds(clock.now - started)
                    } catch let error as TranscodeError {
                        throw error
                    } catch let error as S3Error {
                        downloadError = Self.sourceError(error, ref: ref)
                        throw TranscodeError(.io, input: name, reason: "\(error)")
                    } catch {
                        downloadError = RecordingError(.sourceUnavailable, "\(error)", bucket: ref.bucket, key: ref.key)
                        throw TranscodeError(.io, input: name, reason: "\(error)")
                    }
                },
                shouldContinue: { clock.now < deadline },
                outputFile: recordingFile
            )
        } catch {
            if let downloadError { throw downloadError }
            throw Self.pipelineError(error, ref: ref, recordingPath: recordingFile.path)
        }
        try context.checkDeadline("upload")

        var report = result.report
        report.input.eTag = eTag
        report.timings.downloadMilliseconds = downloadMilliseconds
        let uploadStarted = clock.now
        do {
            // From the file, a piece at a time (multipart above 16 MiB, about 70 minutes at 32 kbit/s).
            _ = try s3.putObject(
                bucket: output.bucket,
                key: output.recordingKey,
                size: recordingFile.size,
                sha256: Hex.decode(result.recording.sha256),
                contentType: settings.format.contentType,
                deadline: deadline
            ) { offset, count in try recordingFile.read(at: offset, count: count) }
            report.timings.uploadMilliseconds = Transcoder.milliseconds(clock.now - uploadStarted)
            if let reportKey = output.reportKey {
                _ = try s3.putObject(
                    bucket: output.bucket,
                    key: reportKey,
                    body: report.json(),
                    contentType: "application/json",
                    deadline: deadline
                )
            }
        } catch let error as S3Error {
            if error.code == .deadlineExceeded {
                throw RecordingError(
                    .deadlineExceeded,
                    "upload stopped before the deadline: \(error)",
                    bucket: output.bucket,
                    key: output.recordingKey
                )
            }
            throw RecordingError(.outputFailed, "\(error)", bucket: output.bucket, key: output.recordingKey)
        } catch {
            throw RecordingError(.outputFailed, "\(error)", bucket: output.bucket, key: output.recordingKey)
        }
        logger.info(
            "recording stored",
            metadata: [
                "s3.key": "\(output.recordingKey)",
                "audio.seconds": "\(result.recording.durationSeconds)",
                "output.bytes": "\(result.recording.byteCount)",
            ]
        )
        let streams = result.call.legs.flatMap(\.streamIndices).map { result.contents.timeline.summary.streams[$0] }
        let expected = streams.reduce(0) { $0 + $1.packets - $1.duplicated + $1.lost }
        let lost = streams.reduce(0) { $0 + $1.lost }
        return RecordingOutcome(
            outputBucket: output.bucket,
            outputKeys: output.keys,
            audioSeconds: result.recording.durationSeconds,
            transcodeMilliseconds: report.timings.readMilliseconds + report.timings.encodeMilliseconds,
            inputBytes: inputBytes,
            outputBytes: Int64(result.recording.byteCount),
            packetLossPercent: expected > 0 ? Double(lost) * 100 / Double(expected) : 0
        )
    }

    /// S3 GET failures: missing or forbidden is `SourceUnavailable` (permanent when the key does not exist).
    static func sourceError(_ error: S3Error, ref: ObjectRef) -> RecordingError {
        if error.code == .deadlineExceeded {
            return RecordingError(
                .deadlineExceeded,
                "download stopped before the deadline",
                bucket: ref.bucket,
                key: ref.key
            )
        }
        return RecordingError(
            .sourceUnavailable,
            "\(error)",
            bucket: ref.bucket,
            key: ref.key,
            permanent: error.code == .noSuchKey ? true : nil
        )
    }

    /// Pipeline failures: bad input is `InvalidCapture` (permanent), the deadline is `DeadlineExceeded`, an I/O
    /// error of the recording's own file (`recordingPath`: `/tmp` full, say) is `OutputFailed`, not the source's.
    static func pipelineError(_ error: any Error, ref: ObjectRef, recordingPath: String) -> RecordingError {
        guard let error = error as? TranscodeError else {
            return RecordingError(.unhandled, "\(error)", bucket: ref.bucket, key: ref.key)
        }
        if error.code == .io, error.input == recordingPath {
            return RecordingError(.outputFailed, error.description, bucket: ref.bucket, key: ref.key)
        }
        switch error.code {
        case .invalidCapture, .noRTP, .noAudio, .noSuchCall:
            return RecordingError(.invalidCapture, error.description, bucket: ref.bucket, key: ref.key)
        case .deadlineExceeded:
            return RecordingError(.deadlineExceeded, error.description, bucket: ref.bucket, key: ref.key)
        case .io:
            return RecordingError(.sourceUnavailable, error.description, bucket: ref.bucket, key: ref.key)
        case .invalidSettings, .encoderFailed:
            return RecordingError(.outputFailed, error.description, bucket: ref.bucket, key: ref.key)
        }
    }
}
