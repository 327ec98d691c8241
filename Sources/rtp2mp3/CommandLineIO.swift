import ArgumentParser
import CallTimeline
import FoundationEssentials
import HTTPClient
import Logging
import Recordings
import S3
import SecureRTP
import Transcoder

#if canImport(Glibc)
import Glibc
#endif

/// Where the CLI's bytes come from and go to (local files or S3), and how failures become SPEC §5's one-line
/// errors and exit statuses.
enum CommandLineIO {
    /// EX_USAGE, EX_DATAERR, EX_IOERR from sysexits.h, as SPEC §5 asks.
    static let usage: Int32 = 64
    static let invalidInput: Int32 = 65
    static let ioFailure: Int32 = 74

    /// Runs `body`, printing any failure as `rtp2mp3: error: <input>: <reason>` and exiting with its status.
    static func run(input: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as TranscodeError {
            fail(error.description, status: status(of: error))
        } catch let error as S3Configuration.EnvironmentError {
            fail("\(input): S3 needs credentials in the environment: \(error)", status: usage)
        } catch let error as ValidationError {
            throw error
        } catch {
            fail("\(input): \(error)", status: ioFailure)
        }
    }

    /// A call the capture does not hold (`--call 9` of one) is a usage error, like a bad setting.
    static func status(of error: TranscodeError) -> Int32 {
        switch error.code {
        case .invalidSettings, .noSuchCall: usage
        case .invalidCapture, .noRTP, .noAudio, .encryptedMedia: invalidInput
        case .io, .encoderFailed, .deadlineExceeded: ioFailure
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        diagnose("error", message)
        exit(status)
    }

    /// `rtp2mp3: warning: <message>` on stderr.
    static func warn(_ message: String) {
        diagnose("warning", message)
    }

    /// `rtp2mp3: <kind>: <message>` as one line on stderr (SPEC §5: one line, whatever the message holds).
    private static func diagnose(_ kind: String, _ message: String) {
        let line = "rtp2mp3: \(kind): " + String(message.map { $0 == "\n" ? " " : $0 }) + "\n"
        _ = line.utf8CString.withUnsafeBytes { write(2, $0.baseAddress, $0.count - 1) }
    }

    @discardableResult
    static func writeStandardOutput(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// Transcodes `input` to `target` (and the report to `report`, the picture to `picture`) through the pipeline
    /// both front ends share: spool, ingest, stage, commit (``RecordingJob``). Nothing is written at `target` unless
    /// it all succeeds.
    static func transcode(
        input: String,
        settings: TranscodeSettings,
        target: String,
        report: String?,
        picture: String? = nil,
        progress: ProgressLine?
    ) throws -> RecordingJob.Result {
        var job = RecordingJob(
            input: Location(input),
            settings: settings,
            outputs: OutputPlan(
                recording: Location(target),
                report: report.map(Location.init),
                picture: picture.map(Location.init)
            ),
            temporaryDirectory: temporaryDirectory
        )
        let plan = job.outputs
        if job.input.isS3 || plan.recording.isS3 || plan.report?.isS3 == true || plan.picture?.isS3 == true {
            job.s3 = try s3()
        }
        job.progress = progress.map { line in { done, total in line.update(done, total) } }
        job.onTemporaryFile = { path in InterruptCleanup.remove(onInterrupt: path) }
        return try job.run()
    }

    /// What a capture holds (`inspect`): read as a transcode reads it, each call rendered without encoding
    /// (``RecordingJob/inspect()``); with `picture`, the picture of the call a transcode would record.
    static func inspect(
        input: String,
        settings: TranscodeSettings,
        picture: String?
    ) throws -> RecordingJob.Inspection {
        var job = RecordingJob(
            inspecting: Location(input),
            settings: settings,
            picture: picture.map(Location.init),
            temporaryDirectory: temporaryDirectory
        )
        if job.input.isS3 || job.outputs.picture?.isS3 == true { job.s3 = try s3() }
        job.onTemporaryFile = { path in InterruptCleanup.remove(onInterrupt: path) }
        return try job.inspect()
    }

    /// `TMPDIR`, else /tmp: where an S3 capture is spooled and S3-bound outputs are staged.
    static var temporaryDirectory: String {
        let value = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return value.isEmpty ? "/tmp" : value
    }

    /// One S3 client for the run, configured from the environment.
    nonisolated(unsafe) private static var client: S3Client?

    static func s3() throws -> S3Client {
        if let client { return client }
        let environment = ProcessInfo.processInfo.environment
        let configuration = try S3Configuration(environment: environment)
        let http = try HTTPClient(
            configuration: HTTPClient.Configuration(
                caBundlePath: HTTPClient.Configuration.locateCABundle(sslCertFile: environment["SSL_CERT_FILE"]),
                proxy: .environment,
                userAgent: "rtp2mp3/\(ProductVersion.string)"
            )
        )
        var logger = Logger(label: "rtp2mp3.s3")
        logger.logLevel = .warning
        let made = S3Client(configuration: configuration, httpClient: http, logger: logger)
        client = made
        return made
    }
}

/// Progress on a terminal (SPEC §5): one line on stderr, rewritten at most four times a second.
final class ProgressLine {
    private let enabled = isatty(2) == 1
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant?

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let now = clock.now
        if let last, now - last < .milliseconds(250), done < total { return }
        last = now
        let percent = done * 100 / total
        emit("\rrtp2mp3: encoding \(percent)% ")
    }

    func clear() {
        if enabled, last != nil { emit("\r\u{1B}[K") }
    }

    private func emit(_ text: String) {
        _ = text.utf8CString.withUnsafeBytes { write(2, $0.baseAddress, $0.count - 1) }
    }
}

/// The line printed after a successful run, one per recording.
enum Summary {
    static func line(_ result: RecordingJob.Recorded, contents: CaptureContents) -> String {
        let recording = result.recording
        let output = "\(result.outputs.recording)"
        let legs = result.call.legs.map { leg in
            "\(leg.label) \(leg.codecNames.joined(separator: "+"))"
        }
        let seconds = (recording.durationSeconds * 10).rounded() / 10
        let kib = (Double(recording.byteCount) / 1024 * 10).rounded() / 10
        return "\(output): \(seconds) s, \(recording.channels == 2 ? "stereo" : "mono") \(recording.sampleRate) Hz, "
            + "\(recording.encoding), \(kib) KiB; call \(result.call.number) of \(contents.timeline.summary.calls.count), "
            + "legs \(legs.joined(separator: ", "))"
    }
}
