import AudioCodecs
import CallTimeline
import Capture
import TestSupport

/// Shared helpers: synthesized calls fed straight into the timeline (the capture layer has its own tests).
enum Fixtures {
    static let alice = Endpoint(address: IPAddress(ipv4: 0xC000_0201), port: 40000)
    static let bob = Endpoint(address: IPAddress(ipv4: 0xC633_6402), port: 50000)

    /// Parses the fixed RTP header the synthesizer writes; SIP packets are skipped here.
    static func media(_ packets: [SynthPacket]) -> [MediaPacket] {
        packets.enumerated().compactMap { index, packet in
            let b = packet.payload
            guard packet.leg != nil, b.count >= 12 else { return nil }
            return MediaPacket(
                arrival: packet.arrival,
                packetNumber: index + 1,
                source: packet.source,
                destination: packet.destination,
                ssrc: UInt32(b[8]) << 24 | UInt32(b[9]) << 16 | UInt32(b[10]) << 8 | UInt32(b[11]),
                sequenceNumber: UInt16(b[2]) << 8 | UInt16(b[3]),
                timestamp: UInt32(b[4]) << 24 | UInt32(b[5]) << 16 | UInt32(b[6]) << 8 | UInt32(b[7]),
                payloadType: b[1] & 0x7F,
                marker: b[1] & 0x80 != 0,
                payload: Array(b[12...])
            )
        }
    }

    static func timeline(_ synth: CallSynthesizer, options: TimelineOptions = TimelineOptions()) -> CallTimeline {
        timeline(media(synth.packets()), options: options)
    }

    static func timeline(_ packets: [MediaPacket], options: TimelineOptions = TimelineOptions()) -> CallTimeline {
        var builder = CallTimelineBuilder(options: options)
        for packet in packets { builder.add(packet) }
        return builder.build()
    }

    /// Renders a call to two channel arrays: pass 2 over the packets, draining whatever is ready after each one
    /// (as the pipeline does), then the rest.
    static func render(
        _ timeline: CallTimeline,
        _ call: Call,
        packets: [MediaPacket],
        sampleRate: Int? = nil,
        layout: ChannelLayout = .stereo
    ) -> (left: [Int16], right: [Int16], call: Call) {
        var renderer = timeline.renderer(for: call, sampleRate: sampleRate, layout: layout)
        var left: [Int16] = []
        var right: [Int16] = []
        for packet in packets {
            renderer.add(packet)
            while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 {}
        }
        renderer.finish()
        while renderer.render(maxFrames: 4096, left: &left, right: &right) > 0 {}
        return (left, right, renderer.renderedCall)
    }

    static func render(
        _ timeline: CallTimeline,
        _ call: Call,
        synth: CallSynthesizer,
        sampleRate: Int? = nil,
        layout: ChannelLayout = .stereo
    ) -> (left: [Int16], right: [Int16], call: Call) {
        render(timeline, call, packets: media(synth.packets()), sampleRate: sampleRate, layout: layout)
    }

    /// The reference decode of every payload a leg sent, in order, with the product's decoders.
    static func referenceDecode(_ synth: CallSynthesizer, leg: Int) -> [Int16] {
        let payloads = synth.encodedPackets(leg: leg).payloads
        var out: [Int16] = []
        var g722 = G722Decoder()
        for payload in payloads {
            payload.withUnsafeBytes { bytes in
                switch synth.legs[leg].codec.codec {
                case .pcmu: G711.decodeMuLaw(bytes, appendingTo: &out)
                case .pcma: G711.decodeALaw(bytes, appendingTo: &out)
                case .g722: g722.decode(bytes, appendingTo: &out)
                default: break
                }
            }
        }
        return out
    }

    /// The lag (in samples, within ±`range` of `expected`) at which `window` best matches `signal`, by
    /// normalised cross-correlation.
    static func bestLag(
        of window: ArraySlice<Int16>,
        in signal: [Int16],
        expected: Int,
        range: Int
    ) -> (lag: Int, score: Double) {
        var best = (lag: expected, score: -2.0)
        let w = window.map(Double.init)
        let wNorm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for lag in (expected - range)...(expected + range) where lag >= 0 && lag + w.count <= signal.count {
            var dot = 0.0
            var norm = 0.0
            for i in 0..<w.count {
                let s = Double(signal[lag + i])
                dot += w[i] * s
                norm += s * s
            }
            let score = norm > 0 ? dot / (wNorm * norm.squareRoot()) : 0
            if score > best.score { best = (lag, score) }
        }
        return best
    }
}
