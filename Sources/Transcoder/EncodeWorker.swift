import CallTimeline
import Dispatch
import PayloadFormats
import Synchronization

/// Runs the encoder on its own thread, fed blocks through a small bounded queue, so that on a machine with more
/// than one core (Lambda gives two vCPUs from 1,769 MB) reading, decoding and rendering overlap with LAME.
/// Blocks are encoded in the order they were submitted, so the output is the same bytes as encoding inline.
final class EncodeWorker: @unchecked Sendable {
    private struct Block {
        var left: [Int16]
        var right: [Int16]?
    }

    private struct State {
        var queue: [Block] = []
        var closed = false
        var failure: TranscodeError?
    }

    // The writer is touched only by the worker thread between `init` and the end of `finish`.
    private let writer: BlockWriter
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let slots: DispatchSemaphore
    private let done = DispatchSemaphore(value: 0)

    /// Whether a worker pays for `call` rendered at `rate`: only with a second core to run it on, and only when
    /// rendering does enough work to overlap with LAME, that is when a leg is resampled or in any codec but G.711
    /// (G.722, G.726 and the library codecs decode far more slowly). G.711 legs at their own 8 kHz render by table
    /// lookup, a few per cent of LAME's time: a second thread could shorten such a call by no more than that, and
    /// handing the work across cores costs about as much CPU time (the 5-minute G.711 call in `scripts/bench`: 3 %
    /// shorter, 3 % more CPU; the G.722 call: 11 % shorter).
    static func pays(for call: Call, rate: Int) -> Bool {
        guard activeProcessorCount() > 1 else { return false }
        return call.legs.contains { leg in
            leg.sampleRate != rate || leg.segments.contains { $0.codec != .pcmu && $0.codec != .pcma }
        }
    }

    init(writer: BlockWriter, depth: Int = 8) {
        self.writer = writer
        slots = DispatchSemaphore(value: depth)
        let thread = Thread(worker: self)
        thread.start()
    }

    /// Queues a block; waits while the queue is full. Throws the worker's failure, if it had one.
    func submit(left: [Int16], right: [Int16]?) throws(TranscodeError) {
        if let failure = state.withLock({ $0.failure }) { throw failure }
        slots.wait()
        state.withLock { $0.queue.append(Block(left: left, right: right)) }
        available.signal()
    }

    /// Waits for every queued block to be encoded, then finishes the file.
    func finish() throws(TranscodeError) {
        close()
        if let failure = state.withLock({ $0.failure }) { throw failure }
        try writer.finish()
    }

    /// Stops the worker after the blocks already queued (also on the error paths of the caller).
    func close() {
        let first = state.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        guard first else { return }
        available.signal()
        done.wait()
    }

    fileprivate func run() {
        while true {
            available.wait()
            let next = state.withLock { state -> Block? in
                state.queue.isEmpty ? nil : state.queue.removeFirst()
            }
            guard let block = next else {
                // Woken with nothing queued: closed.
                done.signal()
                return
            }
            slots.signal()
            if state.withLock({ $0.failure }) != nil { continue }
            do {
                try writer.write(left: block.left, right: block.right)
            } catch {
                state.withLock { $0.failure = error }
            }
        }
    }

    private final class Thread {
        let worker: EncodeWorker
        init(worker: EncodeWorker) { self.worker = worker }
        func start() {
            let worker = self.worker
            DispatchQueue(label: "rtp2mp3.encode").async { worker.run() }
        }
    }
}

#if canImport(Glibc)
import Glibc

private func activeProcessorCount() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#else
private func activeProcessorCount() -> Int { 1 }
#endif
