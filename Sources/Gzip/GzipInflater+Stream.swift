private import CZlib

extension GzipInflater {
    /// zlib's inflate state, the compressed bytes it has not read yet, and a buffer for its output. A class for the
    /// C state's lifetime (`inflateEnd` on release); `GzipInflater` copies it before a shared one would change.
    final class Stream: @unchecked Sendable {
        /// What one call of `step` did: the bytes it appended, whether a member ended, and a warning when one was
        /// found.
        struct Step {
            var produced = 0
            var memberEnded = false
            var warning: GzipError?
        }

        private enum Position {
            /// Inside a member (zlib reads its header, deflate data and trailer).
            case member
            /// After a member: another may follow.
            case between
            /// After the last member: the rest of the input is ignored (a warning said so).
            case trailing
        }

        private let zlib: UnsafeMutablePointer<z_stream>
        /// Where zlib writes, before the bytes are appended to the caller's array.
        private let scratch: UnsafeMutableRawBufferPointer
        private var setUpFailure: Int32 = Z_OK
        private var input: [UInt8] = []
        /// Bytes of `input` zlib has read.
        private var inputStart = 0
        /// Bytes dropped from the front of `input` once read.
        private var dropped = 0
        private var position = Position.member
        private var reportedTruncation = false
        var inputEnded = false

        init() {
            zlib = .allocate(capacity: 1)
            zlib.initialize(to: z_stream())
            scratch = .allocate(byteCount: 1 << 18, alignment: 16)
            // 15 + 32: the largest window (RFC 1951 allows 32 KiB distances), and zlib's automatic detection of
            // the gzip header (zlib manual, inflateInit2).
            setUpFailure = czlib_inflate_init2(zlib, 15 + 32)
        }

        deinit {
            if setUpFailure == Z_OK { inflateEnd(zlib) }
            zlib.deallocate()
            scratch.deallocate()
        }

        /// Compressed bytes read so far.
        var consumedTotal: Int { dropped + inputStart }

        func append(_ chunk: UnsafeRawBufferPointer) {
            // Read bytes are dropped once they are most of the buffer (amortised O(1) per byte).
            if inputStart > 65_536, inputStart * 2 > input.count {
                input.removeFirst(inputStart)
                dropped += inputStart
                inputStart = 0
            }
            input.append(contentsOf: chunk)
        }

        /// A stream that carries on from this one independently.
        func copy() -> Stream {
            let other = Stream()
            if setUpFailure == Z_OK, other.setUpFailure == Z_OK {
                inflateEnd(other.zlib)
                other.setUpFailure = inflateCopy(other.zlib, zlib)
            }
            other.input = input
            other.inputStart = inputStart
            other.dropped = dropped
            other.position = position
            other.reportedTruncation = reportedTruncation
            other.inputEnded = inputEnded
            return other
        }

        /// One call of zlib's `inflate` appending at most `maxOutput` bytes to `output`, or the decision what
        /// follows a member.
        func step(into output: inout [UInt8], maxOutput: Int, name: String) throws(GzipError) -> Step {
            guard setUpFailure == Z_OK else { throw failure(setUpFailure, name: name) }
            switch position {
            case .trailing:
                return Step()
            case .between:
                guard let next = nextMember(name: name) else { return Step() }
                if !next { return Step(warning: trailingWarning(name: name)) }
                guard inflateReset(zlib) == Z_OK else { throw failure(Z_STREAM_ERROR, name: name) }
                position = .member
                return try inflate(into: &output, maxOutput: maxOutput, name: name)
            case .member:
                return try inflate(into: &output, maxOutput: maxOutput, name: name)
            }
        }

        /// After a member: true when another starts, false when other bytes follow (trailing data), nil when it
        /// cannot be told yet (or the input ended cleanly).
        private func nextMember(name: String) -> Bool? {
            let available = input.count - inputStart
            guard available > 0 else { return nil }
            if input[inputStart] != 0x1F { return false }
            guard available >= 2 else { return inputEnded ? false : nil }
            return input[inputStart + 1] == 0x8B
        }

        private func trailingWarning(name: String) -> GzipError {
            position = .trailing
            return GzipError(
                .trailingData,
                input: name,
                reason: "expected another gzip member or the end, found \(input.count - inputStart) other bytes",
                byteOffset: consumedTotal
            )
        }

        private func inflate(into output: inout [UInt8], maxOutput: Int, name: String) throws(GzipError) -> Step {
            let available = input.count - inputStart
            // Nothing to read until more arrives: zlib is not called (the feed asks after every datagram).
            guard available > 0 || inputEnded else { return Step() }
            let room = min(maxOutput, scratch.count)
            let status = input.withUnsafeMutableBytes { bytes in
                zlib.pointee.next_in = bytes.baseAddress.map { ($0 + inputStart).assumingMemoryBound(to: Bytef.self) }
                zlib.pointee.avail_in = uInt(available)
                zlib.pointee.next_out = scratch.baseAddress?.assumingMemoryBound(to: Bytef.self)
                zlib.pointee.avail_out = uInt(room)
                defer { zlib.pointee.next_in = nil }
                return CZlib.inflate(zlib, Z_NO_FLUSH)
            }
            inputStart += available - Int(zlib.pointee.avail_in)
            let produced = room - Int(zlib.pointee.avail_out)
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<produced]))
            switch status {
            case Z_STREAM_END:
                position = .between
                return Step(produced: produced, memberEnded: true)
            case Z_OK, Z_BUF_ERROR:
                // No output and no input left: more is needed, or, at the end of the input, the member is cut off.
                guard produced == 0, inputEnded, inputStart == input.count, !reportedTruncation else {
                    return Step(produced: produced)
                }
                reportedTruncation = true
                return Step(warning: truncation(name: name))
            default:
                throw failure(status, name: name)
            }
        }

        private func truncation(name: String) -> GzipError {
            GzipError(
                .truncated,
                input: name,
                reason: "expected the rest of the member, found the end of the input",
                byteOffset: consumedTotal
            )
        }

        private func failure(_ status: Int32, name: String) -> GzipError {
            let message = zlib.pointee.msg.map { String(cString: $0) }
            switch status {
            case Z_DATA_ERROR, Z_NEED_DICT:
                return GzipError(
                    .data,
                    input: name,
                    reason: message ?? "zlib error \(status)",
                    byteOffset: consumedTotal
                )
            default:
                return GzipError(
                    .resources,
                    input: name,
                    reason: message ?? "zlib status \(status)",
                    byteOffset: consumedTotal
                )
            }
        }
    }
}
