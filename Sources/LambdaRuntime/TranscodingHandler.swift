import CallTimeline
import HTTPClient
public import Logging
import Recordings
import S3
import Transcoder

/// The recording handler of the Lambda function: the capture's S3 object through the pipeline the CLI shares
/// (``RecordingJob``: spooled to /tmp as it downloads, pass 1 reading the bytes as they arrive; the recording and
/// the report staged in /tmp; both uploaded once complete, multipart when large, aborted on failure) (SPEC §6).
/// Memory does not grow with the call: neither the capture nor the recording is held whole. Errors become the
/// types of SPEC §6.5. One instance serves every invocation of the process; it keeps nothing from one object to
/// the next but the S3 client's connection.
public final class TranscodingHandler: RecordingHandler {
    private let s3: S3Client
    private let settings: TranscodeSettings
    private let temporaryDirectory: String
    private let srtpKeysSuffix: String

    /// Builds the handler from a configuration already checked (`FunctionConfiguration(environment:)`).
    public init(configuration: FunctionConfiguration, caBundlePath: String?, logger: Logger) throws {
        settings = configuration.settings
        temporaryDirectory = configuration.temporaryDirectory
        srtpKeysSuffix = configuration.srtpKeysSuffix
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
                credentials: configuration.credentials,
                endpoint: configuration.s3.endpointURL
            ),
            httpClient: http,
            logger: logger
        )
    }

    public func handle(ref: ObjectRef, context: InvocationContext) throws -> RecordingOutcome {
        let output = context.output
        var job = RecordingJob(
            input: .s3(S3Location(bucket: ref.bucket, key: ref.key)),
            settings: settings,
            outputs: OutputPlan(
                recording: .s3(S3Location(bucket: output.bucket, key: output.recordingKey)),
                report: output.reportKey.map { .s3(S3Location(bucket: output.bucket, key: $0)) },
                picture: output.pictureKey.map { .s3(S3Location(bucket: output.bucket, key: $0)) }
            ),
            temporaryDirectory: temporaryDirectory
        )
        job.s3 = s3
        job.srtpKeyObjectSuffix = srtpKeysSuffix
        // The work and its S3 calls stop at the deadline less the margin, so an aborted upload and the error post
        // still fit.
        job.deadline = ContinuousClock.now + .milliseconds(context.budgetMilliseconds)
        let result: RecordingJob.Result
        do {
            result = try job.run()
        } catch {
            throw Self.recordingError(error, ref: ref)
        }
        context.logger.info(
            "recording stored",
            metadata: [
                "s3.key": "\(output.recordingKey)",
                "calls": "\(result.recordings.count)",
                "audio.seconds": "\(result.recordings.reduce(0) { $0 + $1.recording.durationSeconds })",
                "output.bytes": "\(result.recordings.reduce(0) { $0 + $1.recording.byteCount })",
            ]
        )
        return Self.outcome(result, output: output)
    }

    /// The answer of a run: with `CALLS=all`, every call's keys (each recording, then its picture and report) and
    /// the sums of their audio, time and bytes; the loss over every leg recorded.
    static func outcome(_ result: RecordingJob.Result, output: OutputLocation) -> RecordingOutcome {
        let streams = result.recordings.flatMap { $0.call.legs.flatMap(\.streamIndices) }
            .map { result.contents.timeline.summary.streams[$0] }
        let expected = streams.reduce(0) { $0 + $1.packets - $1.duplicated + $1.lost }
        let lost = streams.reduce(0) { $0 + $1.lost }
        let keys = result.recordings.flatMap { recorded in
            [recorded.outputs.recording, recorded.outputs.picture, recorded.outputs.report].compactMap { location in
                if case .s3(let object)? = location { object.key } else { nil }
            }
        }
        let encodeMilliseconds = result.recordings.reduce(0) { $0 + $1.report.timings.encodeMilliseconds }
        return RecordingOutcome(
            outputBucket: output.bucket,
            outputKeys: keys,
            audioSeconds: result.recordings.reduce(0) { $0 + $1.recording.durationSeconds },
            transcodeMilliseconds: result.report.timings.readMilliseconds + encodeMilliseconds,
            inputBytes: Int64(result.contents.inputBytes),
            outputBytes: Int64(result.recordings.reduce(0) { $0 + $1.recording.byteCount }),
            packetLossPercent: expected > 0 ? Double(lost) * 100 / Double(expected) : 0,
            lowestLegMOS: result.recordings.compactMap(\.analysis.lowestMOS).min()
        )
    }

    /// The SPEC §6.5 type of a pipeline failure, decided on its code, its side and its cause: the capture's fault
    /// is `InvalidCapture` (permanent); the source's is `SourceUnavailable` (permanent when the key does not exist);
    /// the output's (the encoder, /tmp full, the upload) is `OutputFailed`; a deadline is `DeadlineExceeded`.
    static func recordingError(_ error: TranscodeError, ref: ObjectRef) -> RecordingError {
        if let s3 = error.underlying as? S3Error {
            return storageError(s3, side: error.side, ref: ref)
        }
        switch (error.code, error.side) {
        case (.invalidCapture, _), (.noRTP, _), (.noAudio, _), (.encryptedMedia, _), (.noSuchCall, _):
            return RecordingError(.invalidCapture, error.description, bucket: ref.bucket, key: ref.key)
        case (.deadlineExceeded, _):
            return RecordingError(.deadlineExceeded, error.description, bucket: ref.bucket, key: ref.key)
        case (.io, .input):
            return RecordingError(.sourceUnavailable, error.description, bucket: ref.bucket, key: ref.key)
        case (.io, .output), (.invalidSettings, _), (.encoderFailed, _):
            return RecordingError(.outputFailed, error.description, bucket: ref.bucket, key: ref.key)
        }
    }

    /// S3 failures: of the GET, `SourceUnavailable` (permanent for a missing key); of a PUT, `OutputFailed` naming
    /// the object; of either, `DeadlineExceeded` when the deadline stopped it.
    static func storageError(_ error: S3Error, side: TranscodeError.Side, ref: ObjectRef) -> RecordingError {
        switch side {
        case .input where error.code == .deadlineExceeded:
            return RecordingError(
                .deadlineExceeded,
                "download stopped before the deadline",
                bucket: ref.bucket,
                key: ref.key
            )
        case .input:
            return RecordingError(
                .sourceUnavailable,
                "\(error)",
                bucket: ref.bucket,
                key: ref.key,
                permanent: error.code == .noSuchKey ? true : nil
            )
        case .output where error.code == .deadlineExceeded:
            return RecordingError(
                .deadlineExceeded,
                "upload stopped before the deadline: \(error)",
                bucket: error.bucket,
                key: error.key
            )
        case .output:
            return RecordingError(.outputFailed, "\(error)", bucket: error.bucket, key: error.key)
        }
    }
}
