import SigV4
import Testing

@Suite("SigV4 encoding, dates and credentials")
struct SigV4PrimitivesTests {
    // Proves S3's UriEncode: unreserved bytes kept, everything else %XY uppercase, `/` kept only in paths,
    // space as %20 (never +), UTF-8 bytes encoded one by one.
    @Test func uriEncoding() {
        #expect(URIEncoding.encode("AZaz09-_.~", keepSlash: false) == "AZaz09-_.~")
        #expect(URIEncoding.encode("a b+c/d", keepSlash: true) == "a%20b%2Bc/d")
        #expect(URIEncoding.encode("a b+c/d", keepSlash: false) == "a%20b%2Bc%2Fd")
        #expect(URIEncoding.encode("=:,()'!*&$@;%", keepSlash: true) == "%3D%3A%2C%28%29%27%21%2A%26%24%40%3B%25")
        #expect(URIEncoding.encode("é€", keepSlash: true) == "%C3%A9%E2%82%AC")
        #expect(URIEncoding.s3Path(key: "dir//x/../test$file.text") == "/dir//x/../test%24file.text")
    }

    // Proves percent-decoding keeps malformed escapes literally and leaves `+` alone.
    @Test func uriDecoding() {
        #expect(URIEncoding.decode("%E1%88%B4a+b%2") == [0xe1, 0x88, 0xb4, 0x61, 0x2b, 0x62, 0x25, 0x32])
        #expect(URIEncoding.decode("%zz") == Array("%zz".utf8))
    }

    // Proves the civil-date conversion across the epoch, a leap day and the test-suite dates.
    @Test(arguments: [
        (Int64(0), "19700101T000000Z"),
        (Int64(1_440_938_160), "20150830T123600Z"),
        (Int64(1_369_353_600), "20130524T000000Z"),
        (Int64(951_782_400), "20000229T000000Z"),
        (Int64(4_102_444_799), "20991231T235959Z"),
        (Int64(-1), "19691231T235959Z"),
    ])
    func amzDate(seconds: Int64, timestamp: String) {
        let date = AmzDate(secondsSince1970: seconds)
        #expect(date.timestamp == timestamp)
        #expect(date.dateStamp == String(timestamp.prefix(8)))
    }

    // Proves that neither the secret nor the session token can leak through interpolation or dump().
    @Test func credentialsAreRedacted() {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRET123", sessionToken: "TOKEN456")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(text.contains("AKID"))
            #expect(!text.contains("SECRET123"))
            #expect(!text.contains("TOKEN456"))
        }
    }
}
