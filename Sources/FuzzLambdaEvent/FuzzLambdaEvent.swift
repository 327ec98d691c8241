import FuzzSupport
import LambdaRuntime

/// Fuzzes the Lambda event decoding (SPEC §6.2): S3 notifications, S3 via SQS and SNS, EventBridge, direct
/// invokes and S3 Batch Operations jobs, keys in every encoding. Any payload must decode or give a typed
/// error, never trap; and the output mapping of every decoded key must stay under the output prefix.
@main
enum FuzzLambdaEvent {
    static func main() {
        let configuration = try! FunctionConfiguration(
            environment: [
                "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDFUZZ", "AWS_SECRET_ACCESS_KEY": "fuzzsecret",
                "INPUT_PREFIX": "captures/",
            ]
        )
        FuzzDriver.run { bytes in
            guard let event = try? LambdaEvent.decode(bytes) else { return }
            var refs: [ObjectRef] = []
            switch event {
            case .objects(_, let contents): refs = contents.refs
            case .sqs(let messages): refs = messages.flatMap { message in (try? message.contents.get())?.refs ?? [] }
            case .batchOperations(let job): refs = job.tasks.compactMap { try? $0.ref.get() }
            }
            for ref in refs {
                _ = configuration.skipReason(for: ref)
                let output = configuration.outputLocation(for: ref)
                precondition(
                    output.recordingKey.utf8.starts(with: configuration.outputPrefix.utf8),
                    "output key escaped the prefix"
                )
                // Anything written under the prefix is never transcoded again (the recursion guard).
                precondition(
                    configuration.skipReason(for: ObjectRef(bucket: ref.bucket, key: output.recordingKey)) != nil,
                    "the recording would trigger another transcode"
                )
            }
        }
    }
}
