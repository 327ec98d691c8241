import CallTimeline
import Capture
import Foundation

/// The `extract` section: each RTP stream's raw payloads, in RTP sequence order, as one file per stream, for the
/// tools a user would script instead of rtp2mp3 (ffmpeg reads `.ul`, `.al` and `.g722` raw streams).
///
/// `rtp2mp3-bench extract CAPTURE DIR` writes `DIR/stream-N.EXT` (N by first arrival, from 1) and prints one
/// `stream=N file=… payload_type=… packets=… bytes=…` line per file. Only G.711 (PT 0, 8) and G.722 (PT 9)
/// payloads are written; other payload types (CN, events) are counted as skipped. No gap handling: this is
/// the naive pipeline rtp2mp3 is compared with, not a second implementation of it.
enum StreamExtract {
    /// One stream's packets, kept until the end so they can be put in sequence order.
    struct Collected {
        var firstArrival: Int64
        var payloadType: UInt8?
        /// (extended sequence number, payload) per packet.
        var packets: [(sequence: Int64, payload: ArraySlice<UInt8>)] = []
        var lastSequence: Int64?
        var skipped = 0
    }

    static func run(_ arguments: [String]) {
        guard arguments.count == 2 else {
            print("usage: rtp2mp3-bench extract CAPTURE DIR")
            exit(64)
        }
        let bytes = BenchFiles.read(arguments[0])
        var reader = DatagramReader(name: arguments[0])
        var streams: [StreamKey: Collected] = [:]

        func take(_ datagram: UDPDatagram) {
            guard case .rtp(let packet) = PayloadClassifier.classify(datagram) else { return }
            let key = StreamKey(source: datagram.source, destination: datagram.destination, ssrc: packet.ssrc)
            var stream = streams[key] ?? Collected(firstArrival: datagram.timestamp)
            streams[key] = nil
            guard [0, 8, 9].contains(packet.payloadType), stream.payloadType ?? packet.payloadType == packet.payloadType
            else {
                stream.skipped += 1
                streams[key] = stream
                return
            }
            stream.payloadType = packet.payloadType
            // RFC 3550 §A.1: the sequence number wraps at 65536; unwrap it next to the previous one.
            let sequence: Int64
            if let last = stream.lastSequence {
                let delta = Int64(Int16(truncatingIfNeeded: Int64(packet.sequenceNumber) - last))
                sequence = last + delta
            } else {
                sequence = Int64(packet.sequenceNumber)
            }
            stream.lastSequence = sequence
            stream.packets.append((sequence, packet.payload))
            streams[key] = stream
        }

        do {
            try bytes.withUnsafeBytes { buffer in
                var start = 0
                while start < buffer.count {
                    let end = min(start + BenchFiles.chunkBytes, buffer.count)
                    try reader.append(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
                    while let datagram = try reader.next() { take(datagram) }
                    start = end
                }
            }
            try reader.finish()
            while let datagram = try reader.next() { take(datagram) }
        } catch {
            print("rtp2mp3-bench: error: \(arguments[0]): \(error)")
            exit(65)
        }

        let ordered = streams.sorted { $0.value.firstArrival < $1.value.firstArrival }
        for (number, (key, stream)) in zip(1..., ordered) {
            guard let payloadType = stream.payloadType else {
                print("stream=\(number) file=none packets=0 skipped=\(stream.skipped) key=\"\(key)\"")
                continue
            }
            let ext = payloadType == 0 ? "ul" : payloadType == 8 ? "al" : "g722"
            let path = "\(arguments[1])/stream-\(number).\(ext)"
            // Stable sort: a duplicate keeps its first copy first; duplicates are written twice, as a naive
            // script would.
            let packets = stream.packets.enumerated().sorted {
                ($0.element.sequence, $0.offset) < ($1.element.sequence, $1.offset)
            }
            var output: [UInt8] = []
            output.reserveCapacity(packets.reduce(0) { $0 + $1.element.payload.count })
            for packet in packets { output.append(contentsOf: packet.element.payload) }
            BenchFiles.write(output, to: path)
            print(
                "stream=\(number) file=\(path) payload_type=\(payloadType) packets=\(packets.count)"
                    + " bytes=\(output.count) skipped=\(stream.skipped) key=\"\(key)\""
            )
        }
    }
}
