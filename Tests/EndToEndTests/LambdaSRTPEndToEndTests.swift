import Foundation
import S3
import TestSupport
import Testing

/// The built `bootstrap` with an SRTP capture (SPEC §2.4, §6.3): the key object `<capture key>.keys.json` beside
/// it in the strict S3 gives a recording; without it, `InvalidCapture`; nothing of the key in any log line, JSON
/// or text, at the most verbose level.
@Suite("bootstrap end to end: SRTP key object", .serialized, .enabled(if: S3TestServer.shouldRun && TestData.shouldRun))
struct LambdaSRTPEndToEndTests {
    static let capture = "gteissier-srtp/marseillaise-srtp.pcap"
    /// The capture's master key ‖ salt (its README gives it out of band).
    static let key = "aSBrbm93IGFsbCB5b3VyIGxpdHRsZSBzZWNyZXRz"
    static var keyObject: [UInt8] {
        Array(#"[{"source": "10.1.1.1:10000", "suite": "AES_CM_128_HMAC_SHA1_80", "key": "\#(key)"}]"#.utf8)
    }

    let base: LambdaEndToEndTests

    init() throws {
        base = try LambdaEndToEndTests()
    }

    /// Invokes the function on `captures/<name>.pcap` with the log format given, returning the response and the log.
    func invoke(_ name: String, logFormat: String) throws -> (LoopbackHTTPResponse, String) {
        let log = try Subprocess.temporaryDirectory().appendingPathComponent("function.log")
        var environment = base.environment()
        environment["AWS_LAMBDA_LOG_FORMAT"] = logFormat
        environment["AWS_LAMBDA_LOG_LEVEL"] = "TRACE"
        let emulator = try base.emulator(environment, log: log)
        let response = try emulator.invoke(#"{"bucket": "\#(base.bucket)", "key": "captures/srtp/\#(name).pcap"}"#)
        emulator.stop()
        return (response, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    @Test("capture plus key object: the decrypted recording; the key in no log line", arguments: ["JSON", "Text"])
    func withKeyObject(logFormat: String) throws {
        let name = "keyed-\(logFormat.lowercased())"
        try base.upload(Self.capture, as: "captures/srtp/\(name).pcap")
        let keyObject = "captures/srtp/\(name).pcap.keys.json"
        _ = try base.s3.putObject(bucket: base.bucket, key: keyObject, body: Self.keyObject)
        let (response, logged) = try invoke(name, logFormat: logFormat)
        #expect(response.functionError == nil, "\(response.text)")
        try base.checkRecording("recordings/srtp/\(name).mp3", seconds: 237.76)
        let report = try base.s3.getObjectBytes(bucket: base.bucket, key: "recordings/srtp/\(name).json").bytes
        let text = String(decoding: report, as: UTF8.self)
        #expect(text.contains(#""keySource" : "key file""#))
        #expect(!logged.isEmpty)
        for place in [logged, response.text, text] {
            #expect(!place.contains(Self.key) && !place.contains(Self.key.prefix(16)))
        }
    }

    @Test("capture without key object: InvalidCapture saying the media is encrypted, no output")
    func withoutKeyObject() throws {
        try base.upload(Self.capture, as: "captures/srtp/bare.pcap")
        let (response, _) = try invoke("bare", logFormat: "JSON")
        let error = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(error?["errorType"] as? String == "InvalidCapture")
        #expect((error?["errorMessage"] as? String)?.contains("encrypted") == true)
        #expect(try !base.exists("recordings/srtp/bare.mp3"))
    }

    @Test("a malformed key object: InvalidCapture naming it, never the key")
    func malformedKeyObject() throws {
        try base.upload(Self.capture, as: "captures/srtp/broken.pcap")
        var bytes = Self.keyObject
        bytes.removeLast(2)
        _ = try base.s3.putObject(bucket: base.bucket, key: "captures/srtp/broken.pcap.keys.json", body: bytes)
        let (response, logged) = try invoke("broken", logFormat: "JSON")
        let error = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        #expect(error?["errorType"] as? String == "InvalidCapture")
        #expect((error?["errorMessage"] as? String)?.contains("broken.pcap.keys.json") == true)
        #expect(!logged.contains(Self.key) && !response.text.contains(Self.key))
    }
}
