#if FUZZING
private import FuzzCDriver
#endif
#if canImport(Glibc)
private import Glibc
#endif

/// Runs a fuzz body. Built by `scripts/fuzz` (with `-DFUZZING` and libFuzzer linked), it hands the body to
/// libFuzzer with the command line (`-max_total_time=…`, corpus folders…). Built normally, it is a reproducer:
/// every file named on the command line (a crash artifact, a corpus file) goes through the body once.
///
/// ```swift
/// @main enum FuzzThing { static func main() { FuzzDriver.run { bytes in _ = try? Thing(parsing: bytes) } } }
/// ```
public enum FuzzDriver {
    // libFuzzer calls back through a C function pointer, which cannot capture: the body waits here. Set once
    // before the fuzzing starts, and libFuzzer calls back on the one thread that set it.
    nonisolated(unsafe) private static var body: ([UInt8]) -> Void = { _ in }

    /// Never returns: exits with libFuzzer's status, or 0 when every reproducer file ran through.
    public static func run(_ body: @escaping ([UInt8]) -> Void) -> Never {
        Self.body = body
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzDriver.body(size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
        exit(status)
        #else
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty {
            print("usage: \(CommandLine.arguments[0]) FILE...   (runs each file through the fuzz body once)")
            exit(64)
        }
        for path in paths {
            guard let bytes = readFile(path) else {
                print("cannot read \(path)")
                exit(74)
            }
            body(bytes)
            print("ok \(path) (\(bytes.count) bytes)")
        }
        exit(0)
        #endif
    }

    /// Reads a whole file, or nil.
    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return ferror(file) == 0 ? bytes : nil
    }
}
