import CallTimeline
public import SigV4
public import Transcoder

/// The function's settings, read from an environment dictionary (SPEC §6.3). Only the executable reads the
/// process environment; it passes it here. Invalid values are a `ConfigInvalid` init error naming the variable
/// and the bad value (never the value of a secret).
public struct FunctionConfiguration: Sendable {

    /// `OUTPUT_BUCKET`; nil means "the source object's bucket".
    public var outputBucket: String?
    /// `OUTPUT_PREFIX`, default `recordings/`; a trailing `/` is added when missing (prefixes are folders).
    public var outputPrefix: String
    /// `INPUT_PREFIX`, default empty; stripped from the source key before `outputPrefix` is added.
    public var inputPrefix: String
    /// What decides the recording's bytes, in the pipeline's own terms: `OUTPUT_FORMAT` (default mp3),
    /// `CHANNELS` (default stereo), `MP3_BITRATE` in kbit/s or `MP3_VBR_QUALITY` 0 (best) … 9 (nil: the
    /// transcoder's defaults), `LEFT_CHANNEL` (`caller`, `callee`, an IP address or a CIDR block).
    public var settings: TranscodeSettings
    /// `WRITE_REPORT`, default true: write the JSON report beside the recording.
    public var writeReport: Bool
    /// `WRITE_PICTURE`, default false: write the picture of the call (`<stem>.svg`) beside the recording.
    public var writePicture: Bool
    /// The S3 endpoint and region.
    public var s3: S3Settings
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`.
    public var credentials: AWSCredentials
    /// `AWS_LAMBDA_LOG_FORMAT`, `AWS_LAMBDA_LOG_LEVEL` / `LOG_LEVEL`.
    public var logging: LogSettings
    /// `AWS_LAMBDA_FUNCTION_NAME` (the metrics dimension), default `rtp2mp3`.
    public var functionName: String
    /// `TMPDIR`, default `/tmp` (Lambda's writable folder): where captures are spooled and outputs staged.
    public var temporaryDirectory: String
    /// `SRTP_KEYS_SUFFIX`, default `.keys.json`: the SRTP key object of a capture is `<capture key><suffix>`
    /// (SPEC §2.4, §6.3), read with the capture when it exists.
    public var srtpKeysSuffix = Self.defaultSRTPKeysSuffix

    public static let defaultSRTPKeysSuffix = ".keys.json"

    /// Where S3 is.
    public struct S3Settings: Sendable, Equatable {
        /// `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`: a custom endpoint (MinIO, moto, LocalStack).
        public var endpointURL: String?
        /// `AWS_REGION`, else `AWS_DEFAULT_REGION`; `us-east-1` when only a custom endpoint is given.
        public var region: String
        /// Path-style addressing, used with custom endpoints (SPEC §6.4).
        public var usePathStyle: Bool { endpointURL != nil }

        public init(endpointURL: String?, region: String) {
            self.endpointURL = endpointURL
            self.region = region
        }
    }

    public init(
        outputBucket: String? = nil,
        outputPrefix: String = "recordings/",
        inputPrefix: String = "",
        settings: TranscodeSettings = TranscodeSettings(),
        writeReport: Bool = true,
        writePicture: Bool = false,
        s3: S3Settings = S3Settings(endpointURL: nil, region: "us-east-1"),
        credentials: AWSCredentials = AWSCredentials(accessKeyID: "", secretAccessKey: "", sessionToken: nil),
        logging: LogSettings = LogSettings(),
        functionName: String = "rtp2mp3",
        temporaryDirectory: String = "/tmp"
    ) {
        self.outputBucket = outputBucket
        self.outputPrefix = Self.folderPrefix(outputPrefix)
        self.inputPrefix = Self.folderPrefix(inputPrefix)
        self.settings = settings
        self.writeReport = writeReport
        self.writePicture = writePicture
        self.s3 = s3
        self.credentials = credentials
        self.logging = logging
        self.functionName = functionName
        self.temporaryDirectory = temporaryDirectory
    }

    /// Reads and checks every variable; throws `ConfigInvalid` listing each problem (the first one's variable is
    /// in `RecordingError.variable`).
    public init(environment: [String: String]) throws(RecordingError) {
        var reader = EnvironmentReader(environment)
        let outputBucket = reader.bucketName("OUTPUT_BUCKET")
        let outputPrefix = reader.prefix("OUTPUT_PREFIX") ?? "recordings/"
        let inputPrefix = reader.prefix("INPUT_PREFIX") ?? ""
        var settings = TranscodeSettings()
        settings.format = reader.choice("OUTPUT_FORMAT", OutputFormat.self) ?? .mp3
        settings.channels = reader.choice("CHANNELS", ChannelLayout.self) ?? .stereo
        let bitrateList = Self.mp3Bitrates.map(String.init).joined(separator: ", ")
        let bitrate = reader.integer(
            "MP3_BITRATE",
            allowed: Self.mp3Bitrates,
            describe: "an MP3 bitrate in kbit/s that LAME offers at 8000 and 16000 Hz (\(bitrateList))"
        )
        let vbr = reader.integer("MP3_VBR_QUALITY", allowed: Array(0...9), describe: "a VBR quality from 0 to 9")
        if bitrate != nil, vbr != nil {
            reader.problem("MP3_BITRATE", "MP3_BITRATE and MP3_VBR_QUALITY are both set: choose CBR or VBR")
        }
        settings.bitrate = bitrate
        settings.vbrQuality = vbr
        settings.timeline.left = reader.leftChannel("LEFT_CHANNEL") ?? .automatic
        settings.allCalls = (reader.choice("CALLS", Calls.self) ?? .longest) == .all
        let writeReport = reader.boolean("WRITE_REPORT") ?? true
        let writePicture = reader.boolean("WRITE_PICTURE") ?? false
        let endpoint = reader.endpoint("AWS_ENDPOINT_URL_S3") ?? reader.endpoint("AWS_ENDPOINT_URL")
        let region = reader.region(["AWS_REGION", "AWS_DEFAULT_REGION"], required: endpoint == nil) ?? "us-east-1"
        let credentials = reader.credentials()
        let logging = reader.logSettings()
        let functionName = reader.value("AWS_LAMBDA_FUNCTION_NAME") ?? "rtp2mp3"
        let temporaryDirectory = reader.value("TMPDIR") ?? "/tmp"
        let srtpKeysSuffix = reader.value("SRTP_KEYS_SUFFIX") ?? Self.defaultSRTPKeysSuffix
        if srtpKeysSuffix.contains("/") {
            reader.problem(
                "SRTP_KEYS_SUFFIX",
                "SRTP_KEYS_SUFFIX is \(EnvironmentReader.quoted(srtpKeysSuffix)): it must not contain \"/\" (it ends "
                    + "the capture's own key)"
            )
        }
        if let error = reader.error {
            throw error
        }
        self.init(
            outputBucket: outputBucket,
            outputPrefix: outputPrefix,
            inputPrefix: inputPrefix,
            settings: settings,
            writeReport: writeReport,
            writePicture: writePicture,
            s3: S3Settings(endpointURL: endpoint, region: region),
            credentials: credentials,
            logging: logging,
            functionName: functionName,
            temporaryDirectory: temporaryDirectory
        )
        self.srtpKeysSuffix = srtpKeysSuffix
    }

    /// The bitrates `MP3_BITRATE` may be: those LAME offers at every rate the function records at (8000 Hz, or
    /// 16000 Hz when a leg is wideband; SPEC §3.8), that is the MPEG-2/2.5 layer III table of ISO/IEC 13818-3
    /// §2.4.2.3, 8–160 kbit/s. MPEG-1's 192–320 would be refused by LAME at those rates, failing every invocation,
    /// so they are refused at start-up (template.yaml lists the same values).
    public static let mp3Bitrates = TranscodeSettings.mp3Bitrates(atEvery: TranscodeSettings().possibleSampleRates)

    /// `CALLS`: record the longest call (default) or every call, each to `<stem>-callN.<ext>` (SPEC §6.3).
    public enum Calls: String, Sendable {
        case longest
        case all
    }

    /// A prefix used as a folder: no leading `/`, a trailing `/` when not empty.
    static func folderPrefix(_ prefix: String) -> String {
        var prefix = Substring(prefix)
        while prefix.hasPrefix("/") { prefix = prefix.dropFirst() }
        if prefix.isEmpty { return "" }
        return prefix.hasSuffix("/") ? String(prefix) : prefix + "/"
    }
}
