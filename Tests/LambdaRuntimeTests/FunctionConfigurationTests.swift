import CallTimeline
import Foundation
import LambdaRuntime
import SigV4
import Testing
import Transcoder

@Suite("FunctionConfiguration")
struct FunctionConfigurationTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
    static let base = [
        "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_SESSION_TOKEN": token,
    ]

    static func configuration(_ extra: [String: String]) throws(RecordingError) -> FunctionConfiguration {
        try FunctionConfiguration(environment: base.merging(extra) { _, new in new })
    }

    /// Proves the defaults of SPEC §6.3 when only the Lambda-provided variables are set.
    @Test func defaults() throws {
        let configuration = try Self.configuration([:])
        #expect(configuration.outputBucket == nil)
        #expect(configuration.outputPrefix == "recordings/")
        #expect(configuration.inputPrefix == "")
        #expect(configuration.settings.format == .mp3)
        #expect(configuration.settings.channels == .stereo)
        #expect(configuration.settings.bitrate == nil && configuration.settings.vbrQuality == nil)
        #expect(configuration.settings.timeline.left == .automatic)
        #expect(configuration.settings.encoderThread, "the Lambda function is billed by wall time")
        #expect(configuration.writeReport)
        #expect(configuration.temporaryDirectory == "/tmp")
        #expect(configuration.srtpKeysSuffix == ".keys.json")
        #expect(configuration.s3 == .init(endpointURL: nil, region: "eu-west-1"))
        #expect(!configuration.s3.usePathStyle)
        #expect(
            configuration.credentials
                == AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        )
        #expect(configuration.logging == LogSettings(format: .text, level: .info))
    }

    /// Proves every variable is read, case-insensitively where it is a choice.
    @Test func everyVariable() throws {
        let configuration = try Self.configuration([
            "OUTPUT_BUCKET": "call-recordings", "OUTPUT_PREFIX": "mp3", "INPUT_PREFIX": "captures/",
            "OUTPUT_FORMAT": "WAV", "CHANNELS": "Mono", "MP3_VBR_QUALITY": "4", "LEFT_CHANNEL": "10.0.0.0/8",
            "WRITE_REPORT": "false", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_LAMBDA_LOG_FORMAT": "JSON",
            "LOG_LEVEL": "debug", "AWS_LAMBDA_FUNCTION_NAME": "rtp2mp3-prod", "TMPDIR": "/scratch",
            "SRTP_KEYS_SUFFIX": ".srtp.json",
        ])
        #expect(configuration.srtpKeysSuffix == ".srtp.json")
        #expect(configuration.outputBucket == "call-recordings")
        #expect(configuration.outputPrefix == "mp3/")
        #expect(configuration.settings.format == .wav)
        #expect(configuration.settings.channels == .mono)
        #expect(configuration.settings.vbrQuality == 4)
        #expect(configuration.settings.timeline.left == LeftChannelRule("10.0.0.0/8"))
        #expect(configuration.temporaryDirectory == "/scratch")
        #expect(!configuration.writeReport)
        #expect(configuration.s3.endpointURL == "http://127.0.0.1:5000")
        #expect(configuration.s3.usePathStyle)
        #expect(configuration.logging == LogSettings(format: .json, level: .debug))
        #expect(configuration.functionName == "rtp2mp3-prod")
    }

    /// Proves `AWS_ENDPOINT_URL_S3` wins over `AWS_ENDPOINT_URL`, `AWS_LAMBDA_LOG_LEVEL` over `LOG_LEVEL`, and
    /// `AWS_DEFAULT_REGION` is the fallback region.
    @Test func precedence() throws {
        var environment = Self.base
        environment["AWS_REGION"] = nil
        environment["AWS_DEFAULT_REGION"] = "ap-south-1"
        environment["AWS_ENDPOINT_URL"] = "http://generic:1"
        environment["AWS_ENDPOINT_URL_S3"] = "https://s3.example:9000"
        environment["AWS_LAMBDA_LOG_LEVEL"] = "WARN"
        environment["LOG_LEVEL"] = "trace"
        let configuration = try FunctionConfiguration(environment: environment)
        #expect(configuration.s3 == .init(endpointURL: "https://s3.example:9000", region: "ap-south-1"))
        #expect(configuration.logging.level == .warning)
    }

    /// Proves each invalid value is a `ConfigInvalid` error naming the variable and the bad value.
    @Test(arguments: [
        ("OUTPUT_FORMAT", "flac"), ("CHANNELS", "quad"), ("MP3_BITRATE", "33"), ("MP3_BITRATE", "fast"),
        ("MP3_VBR_QUALITY", "10"), ("LEFT_CHANNEL", "10.0.0.300"), ("LEFT_CHANNEL", "10.0.0.0/33"),
        ("LEFT_CHANNEL", "fe80::1/129"), ("LEFT_CHANNEL", "10.0.0.0/"), ("WRITE_REPORT", "maybe"),
        ("WRITE_PICTURE", "maybe"),
        ("AWS_ENDPOINT_URL_S3", "minio:9000"),
        ("AWS_ENDPOINT_URL", "ftp://host"), ("AWS_REGION", "EU_WEST"), ("AWS_LAMBDA_LOG_FORMAT", "yaml"),
        ("AWS_LAMBDA_LOG_LEVEL", "loud"), ("LOG_LEVEL", "verbose"), ("OUTPUT_BUCKET", "my bucket"),
        ("OUTPUT_PREFIX", "rec\nordings"), ("SRTP_KEYS_SUFFIX", "keys/x.json"), ("MP3_BITRATE", "192"),
        ("MP3_BITRATE", "320"), ("CALLS", "every"),
    ])
    func invalidValue(variable: String, value: String) {
        #expect {
            try Self.configuration([variable: value])
        } throws: { error in
            guard let error = error as? RecordingError else { return false }
            let quotedValue = value.replacingOccurrences(of: "\n", with: "\\n")
            return error.code == .configInvalid && error.errorType == "ConfigInvalid" && error.variable == variable
                && error.message.contains(variable) && error.message.contains(quotedValue)
                && !error.message.contains(Self.secret)
        }
    }

    /// Proves a missing credential is named, and the message never shows a secret's value.
    @Test func missingSecretIsNamedNotShown() {
        var environment = Self.base
        environment["AWS_SECRET_ACCESS_KEY"] = nil
        environment["OUTPUT_FORMAT"] = "ogg"
        #expect {
            try FunctionConfiguration(environment: environment)
        } throws: { error in
            guard let error = error as? RecordingError else { return false }
            return error.message.contains("AWS_SECRET_ACCESS_KEY") && error.message.contains("OUTPUT_FORMAT")
                && !error.message.contains(Self.token) && error.variable == "OUTPUT_FORMAT"
        }
    }

    /// Proves a region is required on AWS but defaults to us-east-1 with a custom endpoint.
    @Test func regionRequiredWithoutEndpoint() throws {
        var environment = Self.base
        environment["AWS_REGION"] = nil
        #expect(throws: RecordingError.self) { try FunctionConfiguration(environment: environment) }
        environment["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000"
        #expect(try FunctionConfiguration(environment: environment).s3.region == "us-east-1")
    }

    /// Proves CBR and VBR together are refused, naming both.
    /// Proves `MP3_BITRATE` takes exactly the bitrates LAME offers at 8 and 16 kHz (MPEG-2/2.5: 8–160), the
    /// template's `AllowedValues` list the same, and `CALLS` picks the longest call or every one.
    @Test func bitratesAndCalls() throws {
        #expect(FunctionConfiguration.mp3Bitrates == [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160])
        for bitrate in FunctionConfiguration.mp3Bitrates {
            #expect(try Self.configuration(["MP3_BITRATE": "\(bitrate)"]).settings.bitrate == bitrate)
        }
        #expect(try Self.configuration([:]).settings.allCalls == false)
        #expect(try Self.configuration(["CALLS": "longest"]).settings.allCalls == false)
        #expect(try Self.configuration(["CALLS": "all"]).settings.allCalls == true)
        let template = try String(contentsOfFile: TemplateFile.path, encoding: .utf8)
        let allowed = FunctionConfiguration.mp3Bitrates.map { "\"\($0)\"" }.joined(separator: ", ")
        #expect(template.contains("AllowedValues: [\"\", \(allowed)]"))
        #expect(template.contains("CALLS: !Ref Calls"))
    }

    @Test func bitrateAndVBRTogether() {
        #expect {
            try Self.configuration(["MP3_BITRATE": "32", "MP3_VBR_QUALITY": "2"])
        } throws: { error in
            let message = (error as? RecordingError)?.message ?? ""
            return message.contains("MP3_BITRATE") && message.contains("MP3_VBR_QUALITY")
        }
    }

    /// Proves the credentials' description hides the secret and the token.
    @Test func credentialsDescriptionIsRedacted() throws {
        let text = "\(try Self.configuration([:]).credentials)"
        #expect(text.contains("AKIDEXAMPLE"))
        #expect(!text.contains(Self.secret) && !text.contains(Self.token))
    }

    /// Proves the output key mapping of SPEC §6.3 (prefix stripped, `.gz` and one capture extension removed,
    /// other dots kept).
    @Test(arguments: [
        ("captures/2026/11/29/call-42.pcap", "recordings/2026/11/29/call-42"),
        ("captures/2026/11/29/call-42.pcapng.gz", "recordings/2026/11/29/call-42"),
        ("captures/call.v2.PCAP", "recordings/call.v2"),
        ("captures/a.cap", "recordings/a"),
        ("captures/a.rtpdump", "recordings/a"),
        ("captures/a.rtp", "recordings/a"),
        ("captures/a.gz", "recordings/a"),
        ("captures/b21b84d653bb07b05b1e6b33684dc11b", "recordings/b21b84d653bb07b05b1e6b33684dc11b"),
        ("captures/notes.txt", "recordings/notes.txt"),
        ("elsewhere/x.pcap", "recordings/elsewhere/x"),
    ])
    func outputKeys(source: String, stem: String) throws {
        let configuration = try Self.configuration(["INPUT_PREFIX": "captures"])
        let location = configuration.outputLocation(for: ObjectRef(bucket: "calls", key: source))
        #expect(location == OutputLocation(bucket: "calls", recordingKey: stem + ".mp3", reportKey: stem + ".json"))
    }

    /// Proves prefixes are bytes, not Swift Characters (found by FuzzLambdaEvent): a key whose part after the
    /// prefix starts with a combining mark maps under the output prefix, and its recording is never transcoded.
    @Test func combiningMarkAfterPrefix() throws {
        let configuration = try Self.configuration(["INPUT_PREFIX": "captures"])
        let location = configuration.outputLocation(for: ObjectRef(bucket: "calls", key: "captures/\u{32B}x.pcap"))
        #expect(location.recordingKey.utf8.elementsEqual("recordings/\u{32B}x.mp3".utf8))
        #expect(configuration.skipReason(for: ObjectRef(bucket: "calls", key: "recordings/\u{32B}x.pcap")) != nil)
    }

    /// Proves WAV output, an explicit output bucket and WRITE_REPORT=false shape the location.
    @Test func outputLocationOptions() throws {
        let configuration = try Self.configuration([
            "OUTPUT_BUCKET": "out", "OUTPUT_FORMAT": "wav", "WRITE_REPORT": "0", "OUTPUT_PREFIX": "",
        ])
        let location = configuration.outputLocation(for: ObjectRef(bucket: "in", key: "c/call.pcap"))
        #expect(location == OutputLocation(bucket: "out", recordingKey: "c/call.wav", reportKey: nil))
        #expect(location.keys == ["c/call.wav"])
    }

    /// Proves WRITE_PICTURE=true adds `<stem>.svg`, put in place after the recording and before the report, and
    /// that the picture is off by default.
    @Test func outputLocationPicture() throws {
        let configuration = try Self.configuration(["WRITE_PICTURE": "true", "INPUT_PREFIX": "captures"])
        #expect(configuration.writePicture)
        let location = configuration.outputLocation(for: ObjectRef(bucket: "in", key: "captures/call.pcap.gz"))
        #expect(location.pictureKey == "recordings/call.svg")
        #expect(location.keys == ["recordings/call.mp3", "recordings/call.svg", "recordings/call.json"])
        let plain = try Self.configuration([:])
        #expect(!plain.writePicture)
        #expect(plain.outputLocation(for: ObjectRef(bucket: "in", key: "call.pcap")).pictureKey == nil)
        #expect(plain.skipReason(for: ObjectRef(bucket: "in", key: "elsewhere/call.svg")) != nil)
    }

    /// Proves the recursion guard: objects under OUTPUT_PREFIX in the output bucket, with an output extension,
    /// or folder markers are skipped; the same prefix in another bucket is not.
    @Test(arguments: [
        ("calls", "recordings/2026/call-42.pcap", nil as String?, true),
        ("calls", "recordings/2026/call-42.pcap", "other", false),
        ("calls", "captures/call-42.MP3", nil, true),
        ("calls", "captures/call-42.wav", "other", true),
        ("calls", "captures/call-42.json", nil, true),
        ("calls", "captures/", nil, true),
        ("calls", "captures/call-42.pcap", nil, false),
    ])
    func recursionGuard(bucket: String, key: String, outputBucket: String?, skipped: Bool) throws {
        let configuration = try Self.configuration(outputBucket.map { ["OUTPUT_BUCKET": $0] } ?? [:])
        #expect((configuration.skipReason(for: ObjectRef(bucket: bucket, key: key)) != nil) == skipped)
    }

    /// Proves the logging variables can be read on their own (before the rest is checked).
    @Test func logSettingsAlone() throws {
        #expect(
            try LogSettings(environment: ["AWS_LAMBDA_LOG_FORMAT": "json", "AWS_LAMBDA_LOG_LEVEL": "FATAL"])
                == LogSettings(format: .json, level: .critical)
        )
        #expect(throws: RecordingError.self) { try LogSettings(environment: ["LOG_LEVEL": "chatty"]) }
    }
}

/// The SAM template at the package root.
enum TemplateFile {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("template.yaml").path
}
