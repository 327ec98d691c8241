extension LambdaEvent {
    /// Decodes an invocation payload. Throws `InvalidEvent` when it is not JSON or not a shape this function
    /// knows; never traps.
    ///
    /// Recognised, in this order:
    /// - S3 Batch Operations: `invocationSchemaVersion` and `tasks`.
    /// - `Records[]`: SQS (`eventSource` `aws:sqs`), SNS (`EventSource` `aws:sns`), S3 (`eventSource` `aws:s3`).
    /// - EventBridge: `source` `aws.s3` with `detail-type`.
    /// - `s3:TestEvent` (sent when a notification configuration is saved).
    /// - Direct invoke: `{"bucket": "...", "key": "..."}` (key raw, optional `versionId`).
    public static func decode(_ payload: [UInt8]) throws(RecordingError) -> LambdaEvent {
        guard let json = JSONValue.parse(payload), json.isObject else {
            throw RecordingError(.invalidEvent, "expected a JSON object, found \(payloadSummary(payload))")
        }
        if json["invocationSchemaVersion"] != nil, json["tasks"] != nil {
            return .batchOperations(try decodeBatchOperations(json))
        }
        if let records = json["Records"]?.array {
            if records.contains(where: isSQSRecord) {
                return .sqs(records.enumerated().map { decodeSQSRecord($0.element, index: $0.offset) })
            }
            if records.contains(where: isSNSRecord) {
                var contents = EventContents()
                for record in records {
                    contents.append(try decodeSNSRecord(record))
                }
                return .objects(.sns, contents)
            }
            return .objects(.s3, try decodeS3Records(records))
        }
        if json["source"]?.string == "aws.s3", json["detail-type"] != nil {
            return .objects(.eventBridge, try decodeEventBridge(json))
        }
        if json["Event"]?.string == "s3:TestEvent" {
            return .objects(.s3TestEvent, EventContents(ignored: [testEvent(json)]))
        }
        if let bucket = json["bucket"]?.string, let key = json["key"]?.string {
            guard !bucket.isEmpty, !key.isEmpty else {
                throw RecordingError(.invalidEvent, "direct invoke: expected a non-empty bucket and key")
            }
            // A direct invoke is written by a person or a script: the key is the object's name, not encoded.
            let ref = ObjectRef(bucket: bucket, key: key, versionId: json["versionId"]?.string)
            return .objects(.direct, EventContents(refs: [ref]))
        }
        throw RecordingError(
            .invalidEvent,
            "expected an S3, SQS, SNS, EventBridge, S3 Batch Operations or {\"bucket\",\"key\"} event, found an object "
                + "with fields \(fieldList(json))"
        )
    }

    /// Decodes what an SQS body or SNS message holds: an S3 notification, an `s3:TestEvent`, an SNS envelope
    /// (S3 → SNS → SQS without raw delivery) or an EventBridge event (EventBridge → SQS).
    static func decodeEmbedded(_ text: String, depth: Int = 0) throws(RecordingError) -> EventContents {
        guard depth < 3, let json = JSONValue.parse(text), json.isObject else {
            throw RecordingError(.invalidEvent, "expected an S3 event in the message, found \(textSummary(text))")
        }
        if let records = json["Records"]?.array {
            return try decodeS3Records(records)
        }
        if json["Event"]?.string == "s3:TestEvent" {
            return EventContents(ignored: [testEvent(json)])
        }
        if json["Type"]?.string == "Notification", let message = json["Message"]?.string {
            return try decodeEmbedded(message, depth: depth + 1)
        }
        if json["source"]?.string == "aws.s3", json["detail-type"] != nil {
            return try decodeEventBridge(json)
        }
        throw RecordingError(
            .invalidEvent,
            "expected an S3 event in the message, found an object with fields \(fieldList(json))"
        )
    }

    // MARK: S3 notification records (S3 User Guide, "Event message structure")

    static func decodeS3Records(_ records: [JSONValue]) throws(RecordingError) -> EventContents {
        var contents = EventContents()
        for (index, record) in records.enumerated() {
            guard let s3 = record["s3"], let bucket = s3["bucket"]?["name"]?.string,
                let encodedKey = s3["object"]?["key"]?.string
            else {
                throw RecordingError(.invalidEvent, "Records[\(index)]: expected s3.bucket.name and s3.object.key")
            }
            guard let key = KeyDecoding.formURLDecoded(encodedKey) else {
                throw RecordingError(
                    .invalidEvent,
                    "Records[\(index)]: object key \(encodedKey) does not decode to UTF-8",
                    bucket: bucket
                )
            }
            let eventName = record["eventName"]?.string ?? ""
            // Event names are `ObjectCreated:Put` in notifications, `s3:ObjectCreated:Put` in some samples.
            let bareName = eventName.hasPrefix("s3:") ? String(eventName.dropFirst(3)) : eventName
            guard bareName.hasPrefix("ObjectCreated:") else {
                contents.ignored.append(IgnoredRecord(event: eventName, bucket: bucket, key: key))
                continue
            }
            let object = s3["object"]
            contents.refs.append(
                ObjectRef(
                    bucket: bucket,
                    key: key,
                    size: object?["size"]?.int64,
                    eTag: object?["eTag"]?.string,
                    versionId: object?["versionId"]?.string
                )
            )
        }
        return contents
    }

    // MARK: SNS (Lambda Developer Guide, "Invoking Lambda functions with Amazon SNS notifications")

    static func isSNSRecord(_ record: JSONValue) -> Bool {
        record["EventSource"]?.string == "aws:sns" || record["Sns"] != nil
    }

    static func decodeSNSRecord(_ record: JSONValue) throws(RecordingError) -> EventContents {
        guard let message = record["Sns"]?["Message"]?.string else {
            throw RecordingError(.invalidEvent, "SNS record: expected Sns.Message")
        }
        return try decodeEmbedded(message)
    }

    // MARK: SQS (Lambda Developer Guide, "Using Lambda with Amazon SQS")

    static func isSQSRecord(_ record: JSONValue) -> Bool {
        record["eventSource"]?.string == "aws:sqs" || (record["messageId"] != nil && record["body"] != nil)
    }

    static func decodeSQSRecord(_ record: JSONValue, index: Int) -> SQSMessage {
        let messageId = record["messageId"]?.string ?? ""
        guard let body = record["body"]?.string else {
            return SQSMessage(
                messageId: messageId,
                contents: .failure(RecordingError(.invalidEvent, "SQS Records[\(index)]: expected a string body"))
            )
        }
        do throws(RecordingError) {
            return SQSMessage(messageId: messageId, contents: .success(try decodeEmbedded(body)))
        } catch {
            return SQSMessage(messageId: messageId, contents: .failure(error))
        }
    }

    // MARK: EventBridge (S3 User Guide, "EventBridge message structure"): keys are not encoded.

    static func decodeEventBridge(_ json: JSONValue) throws(RecordingError) -> EventContents {
        let detailType = json["detail-type"]?.string ?? ""
        let detail = json["detail"]
        guard let bucket = detail?["bucket"]?["name"]?.string, let key = detail?["object"]?["key"]?.string else {
            if detailType == "Object Created" {
                throw RecordingError(.invalidEvent, "EventBridge Object Created: expected detail.bucket.name and key")
            }
            return EventContents(ignored: [IgnoredRecord(event: detailType)])
        }
        guard detailType == "Object Created" else {
            return EventContents(ignored: [IgnoredRecord(event: detailType, bucket: bucket, key: key)])
        }
        let object = detail?["object"]
        let ref = ObjectRef(
            bucket: bucket,
            key: key,
            size: object?["size"]?.int64,
            eTag: object?["etag"]?.string,
            versionId: object?["version-id"]?.string
        )
        return EventContents(refs: [ref])
    }

    // MARK: S3 Batch Operations (S3 User Guide, "Invoke AWS Lambda function")

    static func decodeBatchOperations(_ json: JSONValue) throws(RecordingError) -> BatchOperationsJob {
        guard let version = json["invocationSchemaVersion"]?.string, let invocationId = json["invocationId"]?.string,
            let tasks = json["tasks"]?.array
        else {
            throw RecordingError(
                .invalidEvent,
                "S3 Batch Operations: expected invocationSchemaVersion, invocationId and tasks"
            )
        }
        let decodedTasks = tasks.enumerated().map { index, task in
            BatchOperationsTask(taskId: task["taskId"]?.string ?? "", ref: decodeBatchTask(task, index: index))
        }
        return BatchOperationsJob(
            invocationSchemaVersion: version,
            invocationId: invocationId,
            jobId: json["job"]?["id"]?.string,
            tasks: decodedTasks
        )
    }

    static func decodeBatchTask(_ task: JSONValue, index: Int) -> Result<ObjectRef, RecordingError> {
        // Schema 2.0 names the bucket (`s3Bucket`, needed for directory buckets); 1.0 gives its ARN
        // (`arn:aws:s3:::bucket`, and bucket names never hold a colon).
        let bucket: String?
        if let name = task["s3Bucket"]?.string, !name.isEmpty {
            bucket = name
        } else if let arn = task["s3BucketArn"]?.string, let colon = arn.lastIndex(of: ":") {
            bucket = String(arn[arn.index(after: colon)...])
        } else {
            bucket = nil
        }
        guard let bucket, !bucket.isEmpty, let encodedKey = task["s3Key"]?.string, !encodedKey.isEmpty else {
            return .failure(
                RecordingError(.invalidEvent, "tasks[\(index)]: expected s3Bucket or s3BucketArn, and s3Key")
            )
        }
        // Manifest keys are URL-encoded (the manifest format requires it), and Batch Operations passes them on
        // as they are; AWS's example functions decode them with `unquote_plus`, so `+` is a space here too. A
        // literal `+` is always `%2B` in an encoded key, whichever encoder wrote the manifest.
        guard let key = KeyDecoding.formURLDecoded(encodedKey) else {
            return .failure(
                RecordingError(.invalidEvent, "tasks[\(index)]: s3Key does not decode to UTF-8", bucket: bucket)
            )
        }
        return .success(ObjectRef(bucket: bucket, key: key, versionId: task["s3VersionId"]?.string))
    }

    // MARK: Helpers

    static func testEvent(_ json: JSONValue) -> IgnoredRecord {
        IgnoredRecord(event: "s3:TestEvent", bucket: json["Bucket"]?.string)
    }

    static func fieldList(_ json: JSONValue) -> String {
        guard case .object(let fields) = json else { return "none" }
        let names = fields.keys.sorted().prefix(8)
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    static func payloadSummary(_ payload: [UInt8]) -> String {
        if payload.isEmpty { return "an empty payload" }
        return textSummary(String(decoding: payload.prefix(64), as: UTF8.self))
    }

    static func textSummary(_ text: String) -> String {
        let head = text.prefix(64).map { $0.isASCII && !$0.isNewline ? String($0) : "?" }.joined()
        return "\"\(head)\"\(text.count > 64 ? "…" : "")"
    }
}
