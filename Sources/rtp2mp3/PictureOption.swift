import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--picture FILE.svg` (SPEC §4), checked before any work: an `.svg` name, and never the input or another output
/// of the run (the picture would overwrite it), compared as files: the same device and inode where both exist,
/// else the same path once the folder's links are resolved. S3 addresses are compared as written.
enum PictureOption {
    /// Throws a usage error (exit 64) when `picture` is not an `.svg` name or names the same file as one of
    /// `others` (what each is, and its path or address; nil entries are not there).
    static func check(_ picture: String, against others: [(role: String, path: String?)]) throws {
        guard picture.lowercased().hasSuffix(".svg") else {
            throw ValidationError("--picture \(picture): the picture is an SVG file: end its name in .svg")
        }
        for (role, path) in others {
            guard let path, sameFile(picture, path) else { continue }
            throw ValidationError("--picture \(picture) is \(role): the picture must be a file of its own")
        }
    }

    /// Whether two paths (or S3 addresses) name the same file.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        if a.hasPrefix("s3://") || b.hasPrefix("s3://") { return a == b }
        var first = stat()
        var second = stat()
        if stat(a, &first) == 0, stat(b, &second) == 0 {
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
        return resolved(a) == resolved(b)
    }

    /// The absolute path of `path` with its folder's symbolic links resolved (the file itself need not exist).
    private static func resolved(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let real = realpath(folder.isEmpty ? "/" : folder, nil) else { return path }
        defer { free(real) }
        let base = String(cString: real)
        return (base == "/" ? "" : base) + "/" + name
    }
}
