import FoundationEssentials
public import Logging

#if canImport(Glibc)
private import Glibc
#elseif canImport(Darwin)
private import Darwin
#endif

/// The custom runtime's loop (SPEC §6.1): `next` → decode the event → one `RecordingHandler` call per object →
/// answer. One process serves many invocations; the loop keeps no state between them (each gets a fresh
/// logger, context and trace id).
///
/// How failures are answered:
/// - plain events (S3, SNS, EventBridge, direct): every object is tried; if any failed, the invocation posts an
///   error whose type is the first failure's (`InvalidCapture`, `SourceUnavailable`, `OutputFailed`,
///   `DeadlineExceeded`, `Unhandled`), so Lambda's async retries and on-failure destination see it. An event
///   that cannot be decoded is `InvalidEvent`.
/// - SQS: `batchItemFailures` lists every message with a failed object, an undecodable body, or not reached
///   before the deadline; permanent failures too, so they end in the dead-letter queue rather than vanish.
/// - S3 Batch Operations: per task, `Succeeded` (also for objects skipped by the recursion guard, with the reason
///   as result string); `PermanentFailure` for `InvalidCapture`, `InvalidEvent` and errors the handler marks
///   permanent (e.g. NoSuchKey); `TemporaryFailure` for `SourceUnavailable`, `OutputFailed`, `DeadlineExceeded`
///   and `Unhandled`, which Batch Operations retries.
public struct LambdaRuntimeLoop {
    public let client: any RuntimeAPIClient
    public let handler: any RecordingHandler
    public let configuration: FunctionConfiguration
    public let logger: Logger
    public let clock: any EpochClock
    /// Objects are not started, and handlers are told to stop, this long before the deadline (default 500 ms).
    public let safetyMarginMilliseconds: Int64
    let metricsSink: @Sendable (String) -> Void
    let traceIDSink: @Sendable (String?) -> Void
    let redactor: Redactor

    /// - Parameters:
    ///   - metricsSink: where EMF records go (stdout, one line each).
    ///   - traceIDSink: publishes each invocation's trace id; by default it sets `_X_AMZN_TRACE_ID` in the
    ///     process environment (or unsets it), as the X-Ray SDKs expect.
    public init(
        client: any RuntimeAPIClient,
        handler: any RecordingHandler,
        configuration: FunctionConfiguration,
        logger: Logger,
        clock: any EpochClock = SystemEpochClock(),
        safetyMarginMilliseconds: Int64 = 500,
        metricsSink: @escaping @Sendable (String) -> Void = StandardOutput.writeLine,
        traceIDSink: @escaping @Sendable (String?) -> Void = LambdaRuntimeLoop.exportTraceID
    ) {
        self.client = client
        self.handler = handler
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.safetyMarginMilliseconds = safetyMarginMilliseconds
        self.metricsSink = metricsSink
        self.traceIDSink = traceIDSink
        self.redactor = Redactor(credentials: configuration.credentials)
    }

    /// Serves invocations until `maxInvocations` have been answered (nil: forever). Throws only when `next`
    /// fails: the Runtime API is gone, and the process should exit so Lambda replaces it.
    public func run(maxInvocations: Int? = nil) throws {
        var served = 0
        while maxInvocations.map({ served < $0 }) ?? true {
            try serveOne()
            served += 1
        }
    }

    /// Fetches one invocation, handles it and posts the answer. A failed post is logged, not thrown: the next
    /// `next` tells whether the Runtime API is still there.
    public func serveOne() throws {
        let invocation = try client.next()
        traceIDSink(invocation.traceID)
        var logger = self.logger
        logger[metadataKey: LambdaLogHandler.requestIDKey] = "\(invocation.requestID)"
        switch answer(invocation, logger: logger) {
        case .response(let body):
            do {
                try client.respond(id: invocation.requestID, body: body)
            } catch {
                logger.error(
                    "posting the response failed",
                    metadata: ["error": "\(redactor.redact(String(describing: error)))"]
                )
                // Tell Lambda the invocation failed (a response it refused, e.g. too large) rather than leave it
                // to time out.
                let body = LambdaErrorBody(
                    RecordingError(.runtimeAPI, "the response was refused: \(error)"),
                    redactor: redactor
                )
                try? client.fail(id: invocation.requestID, error: body)
            }
        case .error(let body):
            do {
                try client.fail(id: invocation.requestID, error: body)
            } catch {
                logger.error(
                    "posting the error failed",
                    metadata: ["error": "\(redactor.redact(String(describing: error)))"]
                )
            }
        }
    }

    /// Decides the answer to one invocation, calling the handler for each object (the whole loop but the
    /// Runtime API calls).
    public func answer(_ invocation: Invocation, logger: Logger? = nil) -> InvocationAnswer {
        var logger = logger ?? self.logger
        if logger[metadataKey: LambdaLogHandler.requestIDKey] == nil {
            logger[metadataKey: LambdaLogHandler.requestIDKey] = "\(invocation.requestID)"
        }
        let event: LambdaEvent
        do throws(RecordingError) {
            event = try LambdaEvent.decode(invocation.body)
        } catch {
            logger.error("event not understood", metadata: ["error": "\(error.message)"])
            return .error(LambdaErrorBody(error, redactor: redactor))
        }
        switch event {
        case .objects(let source, let contents):
            logger.debug("event received", metadata: ["event.source": "\(source.rawValue)"])
            return answerObjects(contents, invocation: invocation, logger: logger)
        case .sqs(let messages):
            logger.debug("event received", metadata: ["event.source": "aws:sqs", "sqs.messages": "\(messages.count)"])
            return answerSQS(messages, invocation: invocation, logger: logger)
        case .batchOperations(let job):
            logger.debug(
                "event received",
                metadata: ["event.source": "s3:batch", "batch.tasks": "\(job.tasks.count)"]
            )
            return answerBatch(job, invocation: invocation, logger: logger)
        }
    }

    /// Reports an invalid configuration (or any start-up failure: a `RecordingError` keeps its type, anything
    /// else is `Unhandled`) with `POST /runtime/init/error`. The caller exits afterwards.
    public static func reportInitError(
        _ error: any Error,
        client: any RuntimeAPIClient,
        redactor: Redactor,
        logger: Logger
    ) {
        let recordingError = error as? RecordingError ?? RecordingError(.unhandled, String(describing: error))
        let body = LambdaErrorBody(recordingError, redactor: redactor)
        logger.critical(
            "initialization failed",
            metadata: ["error.type": "\(body.errorType)", "error": "\(body.errorMessage)"]
        )
        do {
            try client.initError(error: body)
        } catch {
            logger.error(
                "posting the init error failed",
                metadata: ["error": "\(redactor.redact(String(describing: error)))"]
            )
        }
    }

    /// Sets `_X_AMZN_TRACE_ID` to the invocation's trace id, or removes it when the invocation has none, so no
    /// trace id leaks from one invocation into the next.
    @Sendable public static func exportTraceID(_ traceID: String?) {
        if let traceID {
            setenv("_X_AMZN_TRACE_ID", traceID, 1)
        } else {
            unsetenv("_X_AMZN_TRACE_ID")
        }
    }
}

// MARK: - One object

extension LambdaRuntimeLoop {
    enum ObjectResult {
        case recorded(RecordingOutcome)
        case skipped(String)
        case failed(RecordingError)
    }

    func process(_ ref: ObjectRef, invocation: Invocation, logger invocationLogger: Logger) -> ObjectResult {
        var logger = invocationLogger
        logger[metadataKey: "s3.bucket"] = "\(ref.bucket)"
        logger[metadataKey: "s3.key"] = "\(ref.key)"
        if let reason = configuration.skipReason(for: ref) {
            logger.info("object skipped: not a capture for this function", metadata: ["reason": "\(reason)"])
            return .skipped(reason)
        }
        let output = configuration.outputLocation(for: ref)
        let context = InvocationContext(
            requestID: invocation.requestID,
            deadlineMilliseconds: invocation.deadlineMilliseconds,
            invokedFunctionARN: invocation.invokedFunctionARN,
            traceID: invocation.traceID,
            output: output,
            configuration: configuration,
            logger: logger,
            clock: clock,
            safetyMarginMilliseconds: safetyMarginMilliseconds
        )
        do {
            try context.checkDeadline("starting the object")
            let outcome = try handler.handle(ref: ref, context: context)
            logger.info(
                "recording written",
                metadata: [
                    "output.bucket": "\(outcome.outputBucket)",
                    "output.keys": .array(outcome.outputKeys.map { .string($0) }),
                    "audio.seconds": "\(outcome.audioSeconds)",
                    "transcode.ms": "\(outcome.transcodeMilliseconds)",
                ]
            )
            metricsSink(
                MetricsRecord.line(
                    outcome: outcome,
                    ref: ref,
                    functionName: configuration.functionName,
                    requestID: invocation.requestID,
                    timestampMilliseconds: clock.nowMilliseconds()
                )
            )
            return .recorded(outcome)
        } catch {
            var failure =
                error as? RecordingError
                ?? RecordingError(.unhandled, redactor.redact(String(describing: error)))
            if failure.bucket == nil && failure.key == nil {
                failure.bucket = ref.bucket
                failure.key = ref.key
            }
            failure.message = redactor.redact(failure.message)
            logger.error(
                "recording failed",
                metadata: [
                    "error.type": "\(failure.errorType)", "error": "\(failure.message)",
                    "error.permanent": "\(failure.isPermanent)",
                ]
            )
            return .failed(failure)
        }
    }

    func logIgnored(_ ignored: [IgnoredRecord], logger: Logger) {
        for record in ignored {
            var metadata: Logger.Metadata = ["event.name": "\(record.event)"]
            if let bucket = record.bucket { metadata["s3.bucket"] = "\(bucket)" }
            if let key = record.key { metadata["s3.key"] = "\(key)" }
            logger.info("record ignored: not an object creation", metadata: metadata)
        }
    }
}

// MARK: - Answers per event shape

extension LambdaRuntimeLoop {
    func answerObjects(_ contents: EventContents, invocation: Invocation, logger: Logger) -> InvocationAnswer {
        logIgnored(contents.ignored, logger: logger)
        var summary = InvocationSummary(
            recordings: [],
            skipped: [],
            ignored: contents.ignored.map { .init(event: $0.event, bucket: $0.bucket, key: $0.key) }
        )
        var failures = [RecordingError]()
        for ref in contents.refs {
            switch process(ref, invocation: invocation, logger: logger) {
            case .recorded(let outcome):
                summary.recordings.append(
                    .init(
                        bucket: ref.bucket,
                        key: ref.key,
                        outputBucket: outcome.outputBucket,
                        outputKeys: outcome.outputKeys,
                        audioSeconds: outcome.audioSeconds,
                        transcodeMs: outcome.transcodeMilliseconds
                    )
                )
            case .skipped(let reason):
                summary.skipped.append(.init(bucket: ref.bucket, key: ref.key, reason: reason))
            case .failed(let error):
                failures.append(error)
            }
        }
        guard let first = failures.first else {
            return .response(Self.encode(summary))
        }
        var body = LambdaErrorBody(first, redactor: redactor)
        if failures.count > 1 {
            body.errorMessage =
                "\(failures.count) of \(contents.refs.count) objects failed; first: " + body.errorMessage
        }
        return .error(body)
    }

    func answerSQS(_ messages: [SQSMessage], invocation: Invocation, logger: Logger) -> InvocationAnswer {
        var failed = [SQSBatchResponse.ItemFailure]()
        for message in messages {
            var messageLogger = logger
            messageLogger[metadataKey: "sqs.message_id"] = "\(message.messageId)"
            switch message.contents {
            case .failure(let error):
                messageLogger.error("SQS message not understood", metadata: ["error": "\(error.message)"])
                failed.append(.init(itemIdentifier: message.messageId))
            case .success(let contents):
                logIgnored(contents.ignored, logger: messageLogger)
                var messageFailed = false
                for ref in contents.refs {
                    if case .failed = process(ref, invocation: invocation, logger: messageLogger) {
                        messageFailed = true
                    }
                }
                if messageFailed {
                    failed.append(.init(itemIdentifier: message.messageId))
                }
            }
        }
        return .response(Self.encode(SQSBatchResponse(batchItemFailures: failed)))
    }

    func answerBatch(_ job: BatchOperationsJob, invocation: Invocation, logger: Logger) -> InvocationAnswer {
        var results = [BatchOperationsResponse.Result]()
        for task in job.tasks {
            var taskLogger = logger
            taskLogger[metadataKey: "batch.task_id"] = "\(task.taskId)"
            let result: BatchOperationsResponse.Result
            switch task.ref {
            case .failure(let error):
                taskLogger.error("batch task not understood", metadata: ["error": "\(error.message)"])
                result = .init(taskId: task.taskId, resultCode: .permanentFailure, resultString: error.description)
            case .success(let ref):
                switch process(ref, invocation: invocation, logger: taskLogger) {
                case .recorded(let outcome):
                    let written = outcome.outputKeys.first.map { "s3://\(outcome.outputBucket)/\($0)" } ?? ""
                    result = .init(taskId: task.taskId, resultCode: .succeeded, resultString: written)
                case .skipped(let reason):
                    result = .init(taskId: task.taskId, resultCode: .succeeded, resultString: "skipped: \(reason)")
                case .failed(let error):
                    result = .init(
                        taskId: task.taskId,
                        resultCode: error.isPermanent ? .permanentFailure : .temporaryFailure,
                        resultString: error.description
                    )
                }
            }
            results.append(Self.limited(result))
        }
        let response = BatchOperationsResponse(
            invocationSchemaVersion: job.invocationSchemaVersion,
            treatMissingKeysAs: .permanentFailure,
            invocationId: job.invocationId,
            results: results
        )
        return .response(Self.encode(response))
    }

    /// Keeps result strings short: they land in the job's CSV completion report.
    static func limited(_ result: BatchOperationsResponse.Result) -> BatchOperationsResponse.Result {
        var result = result
        if result.resultString.utf8.count > 1024 {
            result.resultString = String(result.resultString.prefix(1000)) + "…"
        }
        return result
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }
}
