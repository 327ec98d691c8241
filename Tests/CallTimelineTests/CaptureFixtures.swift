import CallTimeline
import Capture
import TestSupport

/// Captures as bytes through both passes, as the pipeline reads them: UDP and SIP over TCP in pass 1, the
/// call's datagrams in pass 2.
extension Fixtures {
    static func timeline(capture: [UInt8], options: TimelineOptions = TimelineOptions()) throws -> CallTimeline {
        var reader = DatagramReader(name: "test.pcap")
        var builder = CallTimelineBuilder(options: options)
        try reader.append(capture)
        try reader.finish()
        while let payload = try reader.nextPayload() { builder.add(payload) }
        return builder.build()
    }

    static func render(
        _ timeline: CallTimeline,
        _ call: Call,
        capture: [UInt8]
    ) throws -> (left: [Int16], right: [Int16], call: Call) {
        var reader = DatagramReader(name: "test.pcap")
        try reader.append(capture)
        try reader.finish()
        var renderer = timeline.renderer(for: call)
        var left: [Int16] = []
        var right: [Int16] = []
        while let datagram = try reader.next() {
            renderer.add(datagram)
            while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 {}
        }
        renderer.finish()
        while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 {}
        return (left, right, renderer.renderedCall)
    }

    /// A two-party call with SIP (INVITE, 200 OK, BYE): `caller` sends for `seconds`, `callee` starts 40 ms later
    /// and sends as long, each its own SSRC and pitch (`pitch` for the caller, 80 Hz higher for the callee).
    static func sipCall(
        caller: Endpoint,
        callee: Endpoint,
        codec: SynthCodec = .pcmu,
        seconds: Double,
        start: Int64,
        callID: String,
        ssrcs: (UInt32, UInt32),
        pitch: Double = 140
    ) -> CallSynthesizer {
        var a = SynthLeg(codec: codec, source: caller, destination: callee)
        a.durationSeconds = seconds
        a.ssrc = ssrcs.0
        a.pitchHz = pitch
        var b = SynthLeg(codec: codec, source: callee, destination: caller)
        b.durationSeconds = seconds
        b.startMilliseconds = 40
        b.ssrc = ssrcs.1
        b.pitchHz = pitch + 80
        b.seed = 2
        var synth = CallSynthesizer(legs: [a, b])
        synth.withSIP = true
        synth.sendsBye = true
        synth.callID = callID
        synth.startTime = start
        return synth
    }

    /// The channel holds `reference` at `offset` (within a few samples: rtpdump keeps only milliseconds).
    static func holds(_ channel: [Int16], _ reference: [Int16], at offset: Int, tolerance: Int = 8) -> Bool {
        for probe in [reference.count / 4, reference.count / 2, reference.count * 3 / 4] {
            let window = reference[probe..<(probe + 400)]
            let match = bestLag(of: window, in: channel, expected: offset + probe, range: 40)
            guard abs(match.lag - offset - probe) <= tolerance, match.score > 0.99 else { return false }
        }
        return true
    }
}
