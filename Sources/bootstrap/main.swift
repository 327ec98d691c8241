// The Lambda custom runtime (SPEC §6): reads its configuration from the environment, then serves invocations
// from the Runtime API until the process is stopped. Only this executable reads the environment, picks the log
// handler and knows where credentials come from.
import FoundationEssentials
import HTTPClient
import LambdaRuntime
import Logging

#if canImport(Glibc)
import Glibc
#endif

let environment = ProcessInfo.processInfo.environment
let logger = LambdaBootstrap.bootstrapLogging(environment: environment, label: "rtp2mp3")

let client: HTTPRuntimeAPIClient
do {
    client = try HTTPRuntimeAPIClient(endpoint: try RuntimeAPIEndpoint(environment: environment))
} catch {
    // Without the Runtime API there is nobody to tell but the log.
    logger.critical("cannot reach the Lambda Runtime API", metadata: ["error": "\(error)"])
    exit(1)
}

// Lambda provided.al2023 and Debian keep their CA bundles in different places; the launcher sets
// SSL_CERT_FILE to the host's or to the one shipped in the zip.
let taskRoot = environment["LAMBDA_TASK_ROOT"] ?? "/var/task"
let caBundle = HTTPClient.Configuration.locateCABundle(
    sslCertFile: environment["SSL_CERT_FILE"],
    shipped: taskRoot + "/etc/ca-certificates.crt"
)

let maxInvocations = environment["RTP2MP3_MAX_INVOCATIONS"].flatMap { Int($0) }
exit(
    LambdaBootstrap.serve(environment: environment, client: client, logger: logger, maxInvocations: maxInvocations) {
        configuration in
        try TranscodingHandler(configuration: configuration, caBundlePath: caBundle, logger: logger)
    }
)
