// `read` and `write` are named through their module because `LocalFiles.read` hides the C function inside the type.
#if canImport(Glibc)
import Glibc

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    Glibc.read(descriptor, buffer, count)
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    Glibc.write(descriptor, buffer, count)
}
#elseif canImport(Darwin)
import Darwin

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    Darwin.read(descriptor, buffer, count)
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    Darwin.write(descriptor, buffer, count)
}
#endif

/// Local file input and output for the pipeline: captures read in chunks (never whole), outputs written to a
/// temporary file in the destination's folder and renamed into place only when complete (SPEC §5). Where
/// temporary files go is the caller's to say: only the executables read the environment (`TMPDIR`).
public enum LocalFiles {
    /// Reads `path` in 1 MiB chunks, handing each to `body`.
    public static func read(
        _ path: String,
        chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Void
    ) throws(TranscodeError) {
        try readAsNeeded(path, from: 0) { (bytes) throws(TranscodeError) in
            try chunk(bytes)
            return true
        }
    }

    /// Reads the file at `path` from byte `offset` on, chunk by chunk, until `chunk` returns false or the file
    /// ends.
    public static func readAsNeeded(
        _ path: String,
        from offset: Int,
        _ chunk: (UnsafeRawBufferPointer) throws(TranscodeError) -> Bool
    ) throws(TranscodeError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ioError(path, "cannot open for reading", side: .input) }
        defer { close(descriptor) }
        if offset > 0, lseek(descriptor, off_t(offset), SEEK_SET) < 0 {
            throw ioError(path, "cannot seek to byte \(offset)", side: .input)
        }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "read failed", side: .input)
            }
            if count == 0 { return }
            guard try chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) else { return }
        }
    }

    /// An output file written while it is produced, so that it is never held in memory whole: the bytes go to a
    /// temporary file beside `path` (appended, and patched at an offset where a header is only known at the end),
    /// and only ``commit()`` puts the file in place, flushed to disk and then renamed. Dropped without a commit,
    /// or when the commit fails, it leaves nothing at `path` and removes the temporary file. Errors are the
    /// output side's.
    public final class OutputFile: RecordingSink, @unchecked Sendable {
        /// Where the file goes on ``commit()``.
        public let path: String
        /// Where it is written until then.
        public let temporary: String
        private var descriptor: Int32
        private var synced = false
        /// Closed by ``park()`` until it is needed again.
        private var parked = false
        /// Bytes appended so far: the file's size.
        public private(set) var size = 0
        /// How many bytes a writer collects before it appends them (fewer, larger writes).
        public let bufferBytes: Int

        public init(path: String, bufferBytes: Int = 1 << 18) throws(TranscodeError) {
            self.path = path
            self.bufferBytes = max(1, bufferBytes)
            temporary = Self.temporaryPath(for: path)
            // Never through a link: the name is predictable, and a link planted there would have the file written
            // wherever it points.
            descriptor = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard descriptor >= 0 else { throw LocalFiles.cannotCreate(path) }
        }

        /// Where the file for `path` is written until its commit, known before it is made (so that a handler that
        /// removes it on an interrupt can be told first).
        package static func temporaryPath(for path: String) -> String { path + ".tmp-\(getpid())" }

        /// Appends bytes at the end.
        public func append(_ bytes: [UInt8]) throws(TranscodeError) {
            try checkOpen()
            guard bytes.withUnsafeBytes({ writeAll(descriptor, $0) }) else { throw failed("write failed") }
            size += bytes.count
            synced = false
        }

        /// Replaces bytes already written, from `offset` on.
        public func overwrite(_ bytes: [UInt8], at offset: Int) throws(TranscodeError) {
            try checkOpen()
            guard offset >= 0, offset + bytes.count <= size else {
                throw TranscodeError(
                    .io,
                    input: path,
                    reason: "cannot overwrite \(bytes.count) bytes at offset \(offset) of \(size)",
                    side: .output
                )
            }
            try transfer(bytes.count, "write") { done in
                bytes.withUnsafeBytes { buffer in
                    pwrite(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset + done))
                }
            }
            synced = false
        }

        /// Reads `count` bytes written from `offset` on (fewer at the end of the file).
        public func read(at offset: Int, count: Int) throws(TranscodeError) -> [UInt8] {
            try checkOpen()
            var bytes = [UInt8](repeating: 0, count: max(0, min(count, size - offset)))
            try transfer(bytes.count, "read") { done in
                bytes.withUnsafeMutableBytes { buffer in
                    pread(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset + done))
                }
            }
            return bytes
        }

        /// Replaces the whole file with `bytes` (a small output staged again before it is committed).
        package func rewrite(_ bytes: [UInt8]) throws(TranscodeError) {
            try checkOpen()
            guard ftruncate(descriptor, 0) == 0 else { throw failed("truncate failed") }
            size = 0
            synced = false
            try transfer(bytes.count, "write") { done in
                bytes.withUnsafeBytes { buffer in
                    pwrite(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(done))
                }
            }
            size = bytes.count
            // Later appends go after the new end (`write` uses the descriptor's offset, `pwrite` does not move it).
            guard lseek(descriptor, off_t(size), SEEK_SET) >= 0 else { throw failed("seek failed") }
        }

        /// Calls `step` with the bytes moved so far (one `pread` or `pwrite` of the rest) until `count` have moved;
        /// EINTR is retried, and a call that moves nothing is an error (the file is shorter than written).
        private func transfer(_ count: Int, _ what: String, _ step: (Int) -> Int) throws(TranscodeError) {
            var done = 0
            while done < count {
                let moved = step(done)
                if moved < 0 {
                    if errno == EINTR { continue }
                    throw failed("\(what) failed")
                }
                if moved == 0 {
                    throw TranscodeError(.io, input: path, reason: "shorter than the bytes written", side: .output)
                }
                done += moved
            }
        }

        /// Flushes the file to disk, so that a set of files can all be made durable before any is renamed into
        /// place (`commit` does it when it was not done). A parked file stays parked.
        package func sync() throws(TranscodeError) {
            guard !synced else { return }
            if parked {
                let reopened = open(temporary, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
                guard reopened >= 0 else { throw failed("cannot open again") }
                defer { close(reopened) }
                guard fsync(reopened) == 0 else { throw failed("fsync failed") }
            } else {
                try checkOpen()
                guard fsync(descriptor) == 0 else { throw failed("fsync failed") }
            }
            synced = true
        }

        /// Closes the file's descriptor until the file is written, read or committed again (each reopens it): a
        /// run that stages many outputs (every call of a capture, each with its report and picture) keeps none of
        /// them open while it works on the others, since a process has few descriptors (1,024 on Lambda).
        package func park() throws(TranscodeError) {
            guard descriptor >= 0 else { return }
            let closed = close(descriptor) == 0
            descriptor = -1
            parked = true
            guard closed else { throw failed("close failed") }
        }

        /// Flushes the file to disk and renames it into place.
        public func commit() throws(TranscodeError) {
            var failure: TranscodeError?
            do { try sync() } catch { failure = error }
            if descriptor >= 0, close(descriptor) != 0, failure == nil { failure = failed("close failed") }
            descriptor = -1
            parked = false
            if failure == nil, rename(temporary, path) != 0 { failure = failed("cannot put the file in place") }
            if let failure {
                unlink(temporary)
                throw failure
            }
        }

        /// Drops the file: nothing is left at `path`. Nothing happens after a commit.
        public func discard() {
            if parked {
                parked = false
                unlink(temporary)
                return
            }
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
            unlink(temporary)
        }

        deinit { discard() }

        private func checkOpen() throws(TranscodeError) {
            if parked {
                // Never through a link, and never made anew: it must be the file this run wrote.
                let reopened = open(temporary, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
                guard reopened >= 0 else { throw failed("cannot open again") }
                // Appends go after what was written (`write` uses the descriptor's offset).
                guard lseek(reopened, off_t(size), SEEK_SET) >= 0 else {
                    close(reopened)
                    throw failed("seek failed")
                }
                descriptor = reopened
                parked = false
            }
            guard descriptor >= 0 else {
                throw TranscodeError(.io, input: path, reason: "output already closed", side: .output)
            }
        }

        private func failed(_ what: String) -> TranscodeError { ioError(path, what, side: .output) }
    }

    /// A temporary file in `directory` that receives bytes as they come (an S3 capture's spool). Its name is
    /// chosen before the file is made (`<prefix>-<pid>-<n>`), so that `register` can be told it first and an
    /// interrupt at any moment finds it registered; it is made with `O_EXCL | O_NOFOLLOW`, as `mkstemp` would, so
    /// that nothing planted at a predictable name in a shared folder is ever written through.
    final class TemporaryFile {
        let path: String
        private var descriptor: Int32 = -1
        nonisolated(unsafe) private static var made = 0

        init(prefix: String, directory: String, register: ((String) -> Void)? = nil) throws(TranscodeError) {
            var candidate = ""
            for _ in 0..<100 {
                Self.made += 1
                candidate = "\(directory)/\(prefix)-\(getpid())-\(Self.made)"
                register?(candidate)
                descriptor = open(candidate, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
                if descriptor >= 0 || errno != EEXIST { break }
            }
            path = candidate
            guard descriptor >= 0 else {
                throw LocalFiles.ioError(directory, "cannot create a temporary file", side: .input)
            }
        }

        /// Appends bytes.
        func write(_ bytes: UnsafeRawBufferPointer) throws(TranscodeError) {
            guard LocalFiles.writeAll(descriptor, bytes) else {
                throw LocalFiles.ioError(path, "write failed", side: .input)
            }
        }

        /// Closes and deletes the file.
        func remove() {
            if descriptor >= 0 { close(descriptor) }
            descriptor = -1
            unlink(path)
        }

        deinit { remove() }
    }

    /// Writes all of `bytes` to `descriptor` (short writes continued, EINTR retried); false on an error, with
    /// `errno` set.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// What `path` names, as a key equal for two paths of the same file: its device and inode when it exists (links,
    /// hard links and `..` resolved by the kernel), else its folder's and its name, else the path itself.
    package static func identity(of path: String) -> String {
        if let file = deviceAndInode(path) { return file }
        let (folder, name) = split(path)
        if let folder = deviceAndInode(folder) { return folder + "/" + name }
        return path
    }

    private static func deviceAndInode(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino)"
    }

    /// The folder (`.` for a bare name) and the last component of `path`.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// Whether `path` names an existing folder.
    package static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Proves an output can be made at `path` before any work is done (SPEC §5): not a folder, and its temporary
    /// file can be created beside it (then removed). `register` is told the temporary file's path first.
    package static func checkCreatable(_ path: String, register: ((String) -> Void)?) throws(TranscodeError) {
        if isFolder(path) {
            throw TranscodeError(.io, input: path, reason: "is a folder: expected a file name", side: .output)
        }
        register?(OutputFile.temporaryPath(for: path))
        try OutputFile(path: path, bufferBytes: 1).discard()
    }

    /// The error of an output that cannot be created, saying why in the user's terms (the path is the output's,
    /// never the temporary file's).
    static func cannotCreate(_ path: String) -> TranscodeError {
        let code = errno
        let folder = split(path).folder
        let reason: String
        switch code {
        case ENOENT: reason = "cannot create: no such folder \(folder)"
        case ENOTDIR: reason = "cannot create: \(folder) is not a folder"
        default: reason = "cannot create: \(String(cString: strerror(code)))"
        }
        return TranscodeError(.io, input: path, reason: reason, side: .output)
    }

    /// The size of a file, or nil when it cannot be read.
    package static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static func ioError(_ path: String, _ what: String, side: TranscodeError.Side) -> TranscodeError {
        TranscodeError(.io, input: path, reason: "\(what): \(String(cString: strerror(errno)))", side: side)
    }
}
