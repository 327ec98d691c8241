#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Local file input and output for the pipeline: captures read in chunks (never whole), outputs written to a
/// temporary file in the destination's folder and renamed into place only when complete (SPEC §5).
public enum LocalFiles {
    /// Reads `path` in 1 MiB chunks, handing each to `body`.
    public static func read(
        _ path: String,
        chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Void
    ) throws(TranscodeError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ioError(path, "cannot open for reading") }
        defer { close(descriptor) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "read failed")
            }
            if count == 0 { return }
            try chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Writes `bytes` to `path` atomically: a temporary file beside it, flushed to disk, then renamed. On any
    /// failure nothing is left at `path` (and the temporary file is removed).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(TranscodeError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ioError(path, "cannot create \(temporary)") }
        var failure: TranscodeError?
        bytes.withUnsafeBytes { buffer in
            if !writeAll(descriptor, buffer) { failure = ioError(path, "write failed") }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = ioError(path, "fsync failed") }
        if close(descriptor) != 0, failure == nil { failure = ioError(path, "close failed") }
        if failure == nil, rename(temporary, path) != 0 { failure = ioError(path, "rename failed") }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// A temporary file (in `TMPDIR`, else /tmp: Lambda's writable folder) that receives bytes as they come.
    public final class TemporaryFile {
        public let path: String
        private var descriptor: Int32

        public init(prefix: String) throws(TranscodeError) {
            let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            var template = Array("\(directory)/\(prefix).XXXXXX".utf8CString)
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
            guard descriptor >= 0 else { throw LocalFiles.ioError(directory, "cannot create a temporary file") }
        }

        /// Appends bytes.
        public func write(_ bytes: UnsafeRawBufferPointer) throws(TranscodeError) {
            guard LocalFiles.writeAll(descriptor, bytes) else { throw LocalFiles.ioError(path, "write failed") }
        }

        /// Closes and deletes the file.
        public func remove() {
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
            unlink(path)
        }

        deinit { remove() }
    }

    /// Writes all of `bytes` to `descriptor` (short writes continued, EINTR retried); false on an error, with
    /// `errno` set.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// The size of a file, or nil when it cannot be read.
    public static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static func ioError(_ path: String, _ what: String) -> TranscodeError {
        TranscodeError(.io, input: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
