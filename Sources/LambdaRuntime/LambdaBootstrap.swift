public import Logging

/// The start-up sequence of the `bootstrap` executable, so its `main.swift` is a few lines:
///
/// ```swift
/// let environment = ProcessInfo.processInfo.environment
/// let logger = LambdaBootstrap.bootstrapLogging(environment: environment)
/// let client = try HTTPRuntimeAPIClient(endpoint: try RuntimeAPIEndpoint(environment: environment))
/// exit(LambdaBootstrap.serve(environment: environment, client: client, logger: logger) { configuration in
///     try TranscodingHandler(configuration: configuration, caBundlePath: caBundle, logger: logger)
/// })
/// ```
public enum LambdaBootstrap {
    /// Installs `LambdaLogHandler` as the process's log handler (once, before any logger is made), with the
    /// format and level of the environment and its secrets redacted, and returns the function's logger. Invalid
    /// logging variables fall back to text at info here; `serve` then reports them as the init error.
    public static func bootstrapLogging(environment: [String: String], label: String = "rtp2mp3") -> Logger {
        let settings = (try? LogSettings(environment: environment)) ?? LogSettings()
        LoggingSystem.bootstrap(
            LambdaLogHandler.factory(settings: settings, redactor: Redactor(environment: environment))
        )
        return Logger(label: label)
    }

    /// Reads the configuration, builds the handler and serves invocations. An invalid configuration, or a
    /// handler that cannot be built, is posted as the init error. Returns the process's exit status: 0 after
    /// `maxInvocations`, 1 after an init error or when the Runtime API is gone (Lambda then starts a new
    /// process).
    public static func serve(
        environment: [String: String],
        client: any RuntimeAPIClient,
        logger: Logger,
        maxInvocations: Int? = nil,
        makeHandler: (FunctionConfiguration) throws -> any RecordingHandler
    ) -> Int32 {
        let redactor = Redactor(environment: environment)
        let configuration: FunctionConfiguration
        let handler: any RecordingHandler
        do {
            configuration = try FunctionConfiguration(environment: environment)
            handler = try makeHandler(configuration)
        } catch {
            LambdaRuntimeLoop.reportInitError(error, client: client, redactor: redactor, logger: logger)
            return 1
        }
        let loop = LambdaRuntimeLoop(client: client, handler: handler, configuration: configuration, logger: logger)
        do {
            try loop.run(maxInvocations: maxInvocations)
            return 0
        } catch {
            logger.critical(
                "the Runtime API failed; exiting",
                metadata: ["error": "\(redactor.redact(String(describing: error)))"]
            )
            return 1
        }
    }
}
