extension FunctionConfiguration {
    /// Capture extensions removed from the source name (SPEC §2.1), after a `.gz`.
    public static let captureExtensions = [".pcap", ".pcapng", ".cap", ".rtpdump", ".rtp"]
    /// Extensions of what this function writes: objects with them are never transcoded.
    public static let outputExtensions = [".mp3", ".wav", ".json", ".svg"]

    /// The output bucket for a source object: `OUTPUT_BUCKET`, else the source bucket.
    public func outputBucket(for ref: ObjectRef) -> String {
        outputBucket ?? ref.bucket
    }

    /// Maps a source key to its outputs (SPEC §6.3): `captures/2026/11/29/call-42.pcap.gz` with
    /// `INPUT_PREFIX=captures/` gives `recordings/2026/11/29/call-42.mp3`, `….json` and `….svg` (with
    /// `WRITE_PICTURE`). `.gz`, then one capture
    /// extension, are removed (case-insensitively); other dots are kept (`call.v2.pcap` → `call.v2.mp3`). A key
    /// outside `INPUT_PREFIX` keeps its whole path under `OUTPUT_PREFIX`.
    public func outputLocation(for ref: ObjectRef) -> OutputLocation {
        // Prefixes are compared and removed as UTF-8 bytes, as S3 compares keys: comparing Swift Characters
        // would let a key starting with a combining mark merge it into the prefix's last `/` (found by fuzzing).
        var relative = Substring(ref.key)
        if !inputPrefix.isEmpty, relative.utf8.starts(with: inputPrefix.utf8) {
            relative = Substring(decoding: relative.utf8.dropFirst(inputPrefix.utf8.count), as: UTF8.self)
        }
        while relative.utf8.first == UInt8(ascii: "/") {
            relative = Substring(decoding: relative.utf8.dropFirst(), as: UTF8.self)
        }
        relative = Self.droppingSuffix(".gz", from: relative)
        for captureExtension in Self.captureExtensions {
            let stripped = Self.droppingSuffix(captureExtension, from: relative)
            if stripped.count != relative.count {
                relative = stripped
                break
            }
        }
        let stem = outputPrefix + relative
        return OutputLocation(
            bucket: outputBucket(for: ref),
            recordingKey: stem + "." + settings.format.fileExtension,
            reportKey: writeReport ? stem + ".json" : nil,
            pictureKey: writePicture ? stem + ".svg" : nil
        )
    }

    /// Why an object must not be transcoded, or nil when it may (the recursion guard, SPEC §6.3): a function
    /// that writes into its own trigger bucket must not loop. Skipped: anything under `OUTPUT_PREFIX` in the
    /// output bucket, anything with an output extension, and folder markers (keys ending in `/`).
    public func skipReason(for ref: ObjectRef) -> String? {
        if ref.key.utf8.last == UInt8(ascii: "/") {
            return "folder marker"
        }
        if !outputPrefix.isEmpty, ref.bucket == outputBucket(for: ref), ref.key.utf8.starts(with: outputPrefix.utf8) {
            return "under OUTPUT_PREFIX \(outputPrefix) in the output bucket"
        }
        let lowered = ref.key.lowercased()
        if let outputExtension = Self.outputExtensions.first(where: { lowered.hasSuffix($0) }) {
            return "has the output extension \(outputExtension)"
        }
        return nil
    }

    static func droppingSuffix(_ suffix: String, from text: Substring) -> Substring {
        guard text.utf8.count > suffix.utf8.count else { return text }
        let tail = text.utf8.suffix(suffix.utf8.count)
        let matches = zip(tail, suffix.utf8).allSatisfy { lowercasedASCII($0) == $1 }
        return matches ? Substring(decoding: text.utf8.dropLast(suffix.utf8.count), as: UTF8.self) : text
    }

    private static func lowercasedASCII(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
