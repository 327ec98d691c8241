import SigV4

// Multipart upload (S3 API reference: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
// AbortMultipartUpload, ListMultipartUploads), with SHA-256 checksums on every part.
extension S3Client {
    /// One uploaded part, as CompleteMultipartUpload wants it back.
    public struct UploadedPart: Sendable, Hashable {
        public var number: Int
        public var eTag: String
        /// Base64 SHA-256 of the part.
        public var checksumSHA256: String
    }

    /// An upload in progress (ListMultipartUploads).
    public struct MultipartUpload: Sendable, Hashable {
        public var key: String
        public var uploadID: String
    }

    /// CreateMultipartUpload with `x-amz-checksum-algorithm: SHA256`; returns the upload id.
    public func createMultipartUpload(
        bucket: String,
        key: String,
        contentType: String? = nil,
        metadata: [String: String] = [:],
        deadline: ContinuousClock.Instant? = nil
    ) throws -> String {
        var headers = Self.objectHeaders(contentType: contentType, metadata: metadata)
        headers.append(("x-amz-checksum-algorithm", "SHA256"))
        let operation = Operation(
            name: "CreateMultipartUpload",
            method: "POST",
            bucket: bucket,
            key: key,
            query: [("uploads", "")],
            headers: headers
        )
        let response = try send(operation, deadline: deadline)
        guard let uploadID = S3XML.parse(response.body)?.value("UploadId"), !uploadID.isEmpty else {
            throw Self.invalidResponse(operation, "CreateMultipartUpload answer holds no UploadId")
        }
        return uploadID
    }

    /// UploadPart (numbers 1…10000) with the part's real payload hash and `x-amz-checksum-sha256`.
    public func uploadPart(
        bucket: String,
        key: String,
        uploadID: String,
        number: Int,
        body: [UInt8],
        deadline: ContinuousClock.Instant? = nil
    ) throws -> UploadedPart {
        try uploadPart(
            bucket: bucket,
            key: key,
            uploadID: uploadID,
            number: number,
            source: Self.source(body),
            deadline: deadline
        )
    }

    /// UploadPart of a body read piece by piece (see ``BodySource``).
    public func uploadPart(
        bucket: String,
        key: String,
        uploadID: String,
        number: Int,
        source: BodySource,
        deadline: ContinuousClock.Instant? = nil
    ) throws -> UploadedPart {
        let digest = try source.sha256()
        let checksum = Base64.encode(digest)
        let operation = Operation(
            name: "UploadPart",
            method: "PUT",
            bucket: bucket,
            key: key,
            query: [("partNumber", String(number)), ("uploadId", uploadID)],
            headers: [("x-amz-checksum-sha256", checksum)],
            source: source,
            payloadHash: Hex.encode(digest)
        )
        let response = try send(operation, deadline: deadline)
        guard let eTag = response.headers["etag"] else {
            throw Self.invalidResponse(operation, "UploadPart answer has no ETag")
        }
        return UploadedPart(number: number, eTag: eTag, checksumSHA256: checksum)
    }

    /// CompleteMultipartUpload with the XML list of parts.
    public func completeMultipartUpload(
        bucket: String,
        key: String,
        uploadID: String,
        parts: [UploadedPart],
        deadline: ContinuousClock.Instant? = nil
    ) throws -> S3PutResult {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(Self.escapeXML(part.eTag))</ETag>"
            xml += "<ChecksumSHA256>\(part.checksumSHA256)</ChecksumSHA256></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let operation = Operation(
            name: "CompleteMultipartUpload",
            method: "POST",
            bucket: bucket,
            key: key,
            query: [("uploadId", uploadID)],
            headers: [("Content-Type", "application/xml")],
            body: Array(xml.utf8)
        )
        let response = try send(operation, deadline: deadline)
        let document = S3XML.parse(response.body)
        return S3PutResult(
            eTag: document?.value("ETag") ?? response.headers["etag"],
            checksumSHA256: document?.value("ChecksumSHA256"),
            parts: parts.count
        )
    }

    /// AbortMultipartUpload: S3 discards the parts.
    public func abortMultipartUpload(
        bucket: String,
        key: String,
        uploadID: String,
        deadline: ContinuousClock.Instant? = nil
    ) throws {
        _ = try send(
            Operation(
                name: "AbortMultipartUpload",
                method: "DELETE",
                bucket: bucket,
                key: key,
                query: [("uploadId", uploadID)]
            ),
            deadline: deadline
        )
    }

    /// The uploads in progress in a bucket (first page).
    public func listMultipartUploads(bucket: String, prefix: String? = nil) throws -> [MultipartUpload] {
        var query: [(String, String)] = [("uploads", "")]
        if let prefix { query.append(("prefix", prefix)) }
        let operation = Operation(name: "ListMultipartUploads", method: "GET", bucket: bucket, query: query)
        let response = try send(operation, deadline: nil)
        guard let document = S3XML.parse(response.body) else {
            throw Self.invalidResponse(operation, "ListMultipartUploads answer is not XML")
        }
        return document.children("Upload").compactMap { upload in
            guard let key = upload.value("Key"), let id = upload.value("UploadId") else { return nil }
            return MultipartUpload(key: key, uploadID: id)
        }
    }

    static func escapeXML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
