import CallTimeline
import Capture
import Foundation
import TestSupport
import Testing
import Transcoder

/// Pass 2 of one call reads only as much of the capture as the call needs (`CaptureReplay`): records before the
/// call's first packet are passed over undecoded, and reading stops once the call is settled after its last
/// packet. That must never change a sample: every call is rendered both ways and compared, on synthetic captures
/// of many calls and on every real capture.
@Suite("Pass 2 reads only what its call needs")
struct ReplayWindowTests {
    struct Rendered: Equatable {
        var left: [Int16] = []
        var right: [Int16] = []
        /// Each leg's gaps, as the report lists them.
        var gaps: [String] = []
    }

    /// Pass 2 of `call`: with the window the renderer gives (`windowed`), or over the whole capture.
    static func render(
        _ call: Call,
        of contents: CaptureContents,
        bytes: [UInt8],
        windowed: Bool
    ) throws -> (rendered: Rendered, datagrams: Int, startOffset: Int) {
        var renderer = contents.timeline.renderer(
            for: call,
            sampleRate: call.naturalSampleRate,
            layout: .stereo,
            decoders: .allCodecs
        )
        var replay = windowed ? CaptureReplay(contents: contents, for: renderer) : CaptureReplay(contents: contents)
        // Two variables, not the fields of one: a captured variable is accessed whole.
        var left: [Int16] = []
        var right: [Int16] = []
        func take(_ renderer: inout CallRenderer) {
            while renderer.render(maxFrames: 1024, left: &left, right: &right) > 0 {}
        }
        let source = MemorySource(bytes: bytes, name: contents.name, chunkSize: 32 * 1024)
        try source.readAsNeeded(from: replay.startOffset) { (chunk) throws(TranscodeError) in
            try replay.append(chunk, to: &renderer) { renderer in take(&renderer) }
            return !replay.isSettled
        }
        try replay.finish(into: &renderer)
        take(&renderer)
        let gaps = renderer.renderedCall.legs.map { "\($0.gaps)" }
        return (Rendered(left: left, right: right, gaps: gaps), replay.datagramsRead, replay.startOffset)
    }

    /// Pass 1, noting a place to start pass 2 at every 16 KiB (every MiB in use), so that small captures use them.
    static func contents(_ bytes: [UInt8], name: String) throws -> CaptureContents {
        var ingest = CaptureIngest(name: name, resumeSpacing: 16 << 10)
        try ingest.append(bytes)
        return try ingest.finish()
    }

    @Test(
        "many sequential calls: each call's pass 2 reads about its own packets, with the same samples",
        arguments: [CallSynthesizer.Container.pcap, .pcapng]
    )
    func sequential(_ container: CallSynthesizer.Container) throws {
        let bytes = CallSynthesizer.capture(CallSynthesizer.sequentialCalls(12), container: container)
        let contents = try Self.contents(bytes, name: "sequential.\(container)")
        #expect(contents.replayMayPassOverEarlierRecords)
        let calls = contents.timeline.summary.calls
        #expect(calls.count == 12)
        var starts: [Int] = []
        for call in calls {
            let whole = try Self.render(call, of: contents, bytes: bytes, windowed: false)
            let windowed = try Self.render(call, of: contents, bytes: bytes, windowed: true)
            #expect(windowed.rendered == whole.rendered, "call \(call.number)")
            #expect(!whole.rendered.left.isEmpty && !whole.rendered.right.isEmpty)
            #expect(whole.datagrams == contents.udpDatagrams)
            // About 200 packets of its own and some of the calls beside it (the next one starts 0.5 s after its end).
            #expect(windowed.datagrams < contents.udpDatagrams / 4, "call \(call.number): \(windowed.datagrams)")
            starts.append(windowed.startOffset)
        }
        // Every call after the first starts reading at one of pass 1's places, past the calls before it.
        #expect(starts.first == 0)
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $0 < $1 }, "\(starts)")
    }

    @Test("captures whose clock goes back are decoded from their start, and still render the same")
    func clockGoingBack() throws {
        // The second call's packets written before the first's: the capture's times go back once.
        let calls = CallSynthesizer.sequentialCalls(2)
        var writer = CaptureWriter(format: .pcap(nanoseconds: false, bigEndian: false))
        for packet in calls[1].packets() + calls[0].packets() {
            writer.addUDP(
                timestamp: packet.arrival,
                source: packet.source,
                destination: packet.destination,
                payload: packet.payload
            )
        }
        let merged = writer.finish()
        let contents = try Self.contents(merged, name: "merged.pcap")
        #expect(!contents.replayMayPassOverEarlierRecords)
        for call in contents.timeline.summary.calls {
            let whole = try Self.render(call, of: contents, bytes: merged, windowed: false)
            let windowed = try Self.render(call, of: contents, bytes: merged, windowed: true)
            #expect(windowed.rendered == whole.rendered, "call \(call.number)")
        }
    }

    @Test(
        "every call of every real capture renders the same with the window",
        .enabled(if: TestData.shouldRun),
        arguments: TestData.captures
    )
    func realCaptures(_ capture: String) throws {
        let bytes = try TestData.bytes("captures/" + capture)
        let contents: CaptureContents
        do { contents = try Self.contents(bytes, name: capture) } catch { return }  // no call: nothing to render
        for call in contents.timeline.summary.calls {
            let whole = try Self.render(call, of: contents, bytes: bytes, windowed: false)
            let windowed = try Self.render(call, of: contents, bytes: bytes, windowed: true)
            #expect(windowed.rendered == whole.rendered, "\(capture) call \(call.number)")
            #expect(windowed.datagrams <= whole.datagrams)
        }
    }
}
