import FuzzSupport
import S3

/// Fuzzes the S3 XML reader (S3 API reference, "Error responses"; ListObjectsV2, multipart results) and the
/// error mapping built on it: any body an endpoint (or something pretending to be one) sends must give a
/// typed `S3Error` or nil, never a trap, whatever its nesting, entities, CDATA or truncation.
@main
enum FuzzS3XML {
    static func main() {
        FuzzDriver.run { bytes in
            for status in [200, 403, 404, 500, 503] {
                let error = S3Client.error(fromStatus: status, body: bytes, bucket: "b", key: "k")
                _ = error.description
            }
        }
    }
}
