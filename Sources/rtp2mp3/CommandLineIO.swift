import ArgumentParser
import FoundationEssentials
import HTTPClient
import Logging
import S3
import SigV4
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
            fail(
                error.description,
                status: error.isInvalidInput ? invalidInput : (error.code == .invalidSettings ? usage : ioFailure)
            )
        } catch let error as S3Error {
            fail("\(input): \(error)", status: ioFailure)
        } catch let error as HTTPClientError {
            fail("\(input): \(error)", status: ioFailure)
        } catch let error as S3Configuration.EnvironmentError {
            fail("\(input): S3 needs credentials in the environment: \(error)", status: usage)
        } catch let error as ValidationError {
            throw error
        } catch {
            fail("\(input): \(error)", status: ioFailure)
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

    /// Reads a local file or an S3 object chunk by chunk; returns the S3 ETag when there is one.
    static func read(_ input: String, chunk: (UnsafeRawBufferPointer) throws -> Void) throws -> String? {
        if let location = S3Location(url: input) {
            let metadata = try s3().getObject(bucket: location.bucket, key: location.key) { bytes in try chunk(bytes) }
            return metadata.eTag
        }
        try requireLocalFile(input)
        try LocalFiles.read(input) { (bytes) throws(TranscodeError) in
            do { try chunk(bytes) } catch let error as TranscodeError { throw error } catch {
                throw TranscodeError(.io, input: input, reason: "\(error)")
            }
        }
        return nil
    }

    /// A missing local input is an I/O error naming it.
    static func requireLocalFile(_ input: String) throws(TranscodeError) {
        guard LocalFiles.size(input) != nil else {
            throw TranscodeError(.io, input: input, reason: "no such file")
        }
    }

    /// Transcodes `input` for `target`. The recording is written to its ``outputFile(for:)`` while it is encoded
    /// and returned with the result, for ``finish(_:from:at:contentType:)`` once everything else has succeeded. The
    /// file is created only once a local input is known to exist, so that a missing input is the error reported.
    static func transcode(
        input: String,
        settings: TranscodeSettings,
        target: String,
        progress: ProgressLine?
    ) throws -> (result: Transcoder.Result, outputFile: LocalFiles.OutputFile) {
        let progressHandler = progress.map { line in { (done: Int, total: Int) in line.update(done, total) } }
        guard let location = S3Location(url: input) else {
            try requireLocalFile(input)
            let outputFile = try outputFile(for: target)
            let result = try Transcoder.transcode(
                source: FileSource(path: input),
                settings: settings,
                outputName: target,
                progress: progressHandler,
                outputFile: outputFile
            )
            return (result, outputFile)
        }
        let outputFile = try outputFile(for: target)
        // An S3 capture is spooled to a temporary file as it downloads, pass 1 running on the bytes as they
        // arrive; pass 2 reads the file.
        let spool = try LocalFiles.TemporaryFile(prefix: "rtp2mp3-capture")
        defer { spool.remove() }
        InterruptCleanup.remove(onInterrupt: spool.path)
        var eTag: String?
        var downloadFailure: (any Error)?
        var result = try Transcoder.transcode(
            source: FileSource(path: spool.path, name: input),
            settings: settings,
            outputName: target,
            firstPass: { (ingest) throws(TranscodeError) in
                do {
                    let metadata = try s3().getObject(bucket: location.bucket, key: location.key) { bytes in
                        try spool.write(bytes)
                        try ingest.append(bytes)
                    }
                    eTag = metadata.eTag
                } catch let error as TranscodeError {
                    throw error
                } catch {
                    downloadFailure = error
                    throw TranscodeError(.io, input: input, reason: "\(error)")
                }
            },
            progress: progressHandler,
            outputFile: outputFile
        )
        if let downloadFailure { throw downloadFailure }
        result.report.input.eTag = eTag
        return (result, outputFile)
    }

    /// The file the recording is written to while it is encoded: a temporary file beside a local `target`, or
    /// one in `TMPDIR` for an S3 target. Either way the recording is never held in memory whole.
    static func outputFile(for target: String) throws -> LocalFiles.OutputFile {
        let path = S3Location(url: target) == nil ? target : LocalFiles.uploadStagingPath
        let file = try LocalFiles.OutputFile(path: path)
        InterruptCleanup.remove(onInterrupt: file.temporary)
        return file
    }

    /// Puts the finished `recording` at `target`: its file renamed into place, or uploaded to S3 from the file a
    /// piece at a time (multipart when large; S3 never shows a partial object) and then dropped.
    static func finish(
        _ recording: EncodedRecording,
        from file: LocalFiles.OutputFile,
        at target: String,
        contentType: String
    ) throws {
        guard let location = S3Location(url: target) else {
            try file.commit()
            return
        }
        defer { file.discard() }
        _ = try s3().putObject(
            bucket: location.bucket,
            key: location.key,
            size: file.size,
            sha256: Hex.decode(recording.sha256),
            contentType: contentType
        ) { offset, count in try file.read(at: offset, count: count) }
    }

    /// Stores bytes at a local path (temporary file, then rename) or an S3 key (PutObject, multipart when
    /// large; S3 never shows a partial object).
    static func store(_ bytes: [UInt8], at target: String, contentType: String) throws {
        if let location = S3Location(url: target) {
            _ = try s3().putObject(bucket: location.bucket, key: location.key, body: bytes, contentType: contentType)
            return
        }
        try LocalFiles.writeAtomically(bytes, to: target)
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

/// The line printed after a successful run.
enum Summary {
    static func line(_ result: Transcoder.Result, output: String) -> String {
        let recording = result.recording
        let legs = result.call.legs.map { leg in
            "\(leg.label) \(leg.codecNames.joined(separator: "+"))"
        }
        let seconds = (recording.durationSeconds * 10).rounded() / 10
        let kib = (Double(recording.byteCount) / 1024 * 10).rounded() / 10
        return "\(output): \(seconds) s, \(recording.channels == 2 ? "stereo" : "mono") \(recording.sampleRate) Hz, "
            + "\(recording.encoding), \(kib) KiB; call \(result.call.number) of \(result.contents.timeline.summary.calls.count), "
            + "legs \(legs.joined(separator: ", "))"
    }
}
