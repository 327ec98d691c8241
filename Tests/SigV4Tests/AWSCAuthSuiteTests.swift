import Foundation
import SigV4
import TestSupport
import Testing

/// The aws-c-auth SigV4 suite (`sigv4/aws-c-auth/v4`, 38 cases): each case is checked for header signing and
/// for query signing, at every step (canonical request, string to sign, signature, signed request).
@Suite("SigV4 against the aws-c-auth suite", .enabled(if: TestData.shouldRun))
struct AWSCAuthSuiteTests {
    static let folder = "sigv4/aws-c-auth/v4"

    static var caseNames: [String] {
        let url = TestData.directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".txt") }.sorted()
    }

    struct Case {
        var signer: SigV4Signer
        var raw: RawHTTPRequest
        var date: AmzDate
        var expires: Int

        init(_ name: String) throws {
            let context = try #require(
                try JSONSerialization.jsonObject(with: Data(TestData.bytes("\(folder)/\(name)/context.json")))
                    as? [String: Any]
            )
            let credentials = try #require(context["credentials"] as? [String: Any])
            let timestamp = try #require(context["timestamp"] as? String)
            let seconds = try #require(ISO8601DateFormatter().date(from: timestamp)).timeIntervalSince1970
            date = AmzDate(secondsSince1970: Int64(seconds))
            expires = context["expiration_in_seconds"] as? Int ?? 3600
            signer = SigV4Signer(
                credentials: AWSCredentials(
                    accessKeyID: try #require(credentials["access_key_id"] as? String),
                    secretAccessKey: try #require(credentials["secret_access_key"] as? String),
                    sessionToken: credentials["token"] as? String
                ),
                region: try #require(context["region"] as? String),
                service: try #require(context["service"] as? String),
                flavor: .generic(
                    normalizesPath: context["normalize"] as? Bool ?? true,
                    signsBodyHeader: context["sign_body"] as? Bool ?? false
                ),
                signsSessionToken: !(context["omit_session_token"] as? Bool ?? false)
            )
            raw = RawHTTPRequest(try TestData.bytes("\(folder)/\(name)/request.txt"))
        }
    }

    static func expected(_ name: String, _ file: String) throws -> String {
        String(decoding: try TestData.bytes("\(folder)/\(name)/\(file)"), as: UTF8.self)
    }

    static func trimmed(_ text: String) -> String {
        var text = text
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    // Proves the suite is all there, so "every case passes" below means 38 cases.
    @Test func suiteIsComplete() {
        #expect(Self.caseNames.count == 38)
    }

    // Proves header signing (Authorization header) step by step.
    @Test(arguments: caseNames)
    func headerSigning(name: String) throws {
        let testCase = try Case(name)
        var request = testCase.raw.request
        let result = testCase.signer.sign(
            &request,
            payloadHash: Hex.encode(SHA256.hash(testCase.raw.body)),
            date: testCase.date
        )
        #expect(result.canonicalRequest == (try Self.expected(name, "header-canonical-request.txt")))
        #expect(result.stringToSign == (try Self.expected(name, "header-string-to-sign.txt")))
        #expect(result.signature == Self.trimmed(try Self.expected(name, "header-signature.txt")))
        let signed = RawHTTPRequest.render(request, body: testCase.raw.body)
        #expect(Self.trimmed(signed) == Self.trimmed(try Self.expected(name, "header-signed-request.txt")))
    }

    // Proves query signing (presigned request) step by step.
    @Test(arguments: caseNames)
    func querySigning(name: String) throws {
        let testCase = try Case(name)
        var request = testCase.raw.request
        let result = testCase.signer.presign(
            &request,
            payloadHash: Hex.encode(SHA256.hash(testCase.raw.body)),
            date: testCase.date,
            expiresInSeconds: testCase.expires
        )
        #expect(result.canonicalRequest == (try Self.expected(name, "query-canonical-request.txt")))
        #expect(result.stringToSign == (try Self.expected(name, "query-string-to-sign.txt")))
        #expect(result.signature == Self.trimmed(try Self.expected(name, "query-signature.txt")))
        let signed = RawHTTPRequest.render(request, body: testCase.raw.body)
        #expect(Self.trimmed(signed) == Self.trimmed(try Self.expected(name, "query-signed-request.txt")))
    }
}
