import AudioCodecs
public import Capture

extension SplitMix64 {
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// One party's audio in a synthesized call, with the network impairments to apply.
public struct SynthLeg: Sendable {
    public var codec: SynthCodec
    public var source: Endpoint
    public var destination: Endpoint
    public var ssrc: UInt32 = 0x1111_1111
    public var firstSequence: UInt16 = 1000
    public var firstTimestamp: UInt32 = 160_000
    public var ptimeMilliseconds: Int = 20
    /// When the leg starts sending, after the call's start, and for how long.
    public var startMilliseconds: Double = 0
    public var durationSeconds: Double = 5
    /// Base frequency of the speech-like test signal (harmonics follow), so legs are told apart.
    public var pitchHz: Double = 140
    /// The leg's audio at the codec's sample rate, instead of the speech-like test signal (recorded or spoken
    /// speech, a conversation from ``CallSynthesizer/conversation(_:_:count:sampleRate:seed:)``); cut to the
    /// leg's duration, or followed by silence when shorter.
    public var audio: [Int16]?
    /// Independent random loss probability, and bursts (packet index from the leg's start, count).
    public var lossProbability: Double = 0
    public var lossBursts: [(first: Int, count: Int)] = []
    public var duplicateProbability: Double = 0
    /// Probability that a packet is swapped with the next one in arrival order.
    public var reorderProbability: Double = 0
    /// Uniform extra network delay in [0, jitter].
    public var jitterMilliseconds: Double = 0
    public var baseDelayMilliseconds: Double = 5
    /// Sender clock error: positive means the sender's sample clock runs fast.
    public var driftPPM: Double = 0
    /// After this many packets the sender switches SSRC (new random sequence and timestamp bases).
    public var ssrcChangeAfterPackets: Int?
    /// RFC 4733 events: digit code, start (ms after the leg's start), duration (ms). Audio packets are not
    /// sent while an event is (RFC 4733 §2.5.1.3 allows either; this is the common case).
    public var dtmf: [(code: UInt8, startMilliseconds: Double, durationMilliseconds: Double)] = []
    public var telephoneEventPayloadType: UInt8 = 101
    public var seed: UInt64 = 1

    public init(codec: SynthCodec, source: Endpoint, destination: Endpoint) {
        self.codec = codec
        self.source = source
        self.destination = destination
    }
}

/// One synthesized packet: an RTP packet (bytes) between two endpoints at a capture time.
public struct SynthPacket: Sendable {
    public var arrival: Int64
    public var source: Endpoint
    public var destination: Endpoint
    /// The whole UDP payload: RTP header and payload, or a SIP message.
    public var payload: [UInt8]
    /// Which leg sent it (index into `CallSynthesizer.legs`), nil for SIP.
    public var leg: Int?
}

/// Builds two-party calls in code, for tests, the demo and benchmarks: a speech-like signal per leg, encoded
/// with the project's own encoders, packetized as RFC 3550 RTP, with loss, reordering, duplicates, jitter, drift,
/// SSRC changes and DTMF as asked; optionally the SIP INVITE / 200 OK that announce it.
public struct CallSynthesizer: Sendable {
    public var legs: [SynthLeg]
    /// Capture time of the call's start, nanoseconds since the Unix epoch (default 2026-11-29T10:00:00Z).
    public var startTime: Int64 = 1_795_946_400 * 1_000_000_000
    /// Emit SIP INVITE (from leg 0's side) and 200 OK with SDP before the media.
    public var withSIP = false
    /// With `withSIP`, also a BYE from the caller 50 ms after the last media and its 200 OK.
    public var sendsBye = false
    public var callID = "synth-call-1@rtp2mp3.test"

    public init(legs: [SynthLeg]) {
        self.legs = legs
    }

    /// The test signal of a leg at its codec's sample rate: harmonics of a gliding pitch under a syllable-like
    /// envelope, about −12 dBFS peak — close enough to speech for codecs and concealment to behave as on voice.
    public static func speechLike(count: Int, sampleRate: Int, pitch: Double, seed: UInt64 = 1) -> [Int16] {
        var random = SplitMix64(seed: seed)
        var out = [Int16]()
        out.reserveCapacity(count)
        let table = sineTable
        let size = Double(table.count)
        // Phases in table units (one cycle = table.count), so the loop is lookups and adds only.
        var phase = 0.0
        var vibrato = 0.0
        var syllable = random.unit() * size
        let harmonics: [Double] = [1.0, 0.6, 0.45, 0.3, 0.2, 0.12]
        let vibratoStep = 0.7 * size / Double(sampleRate)
        let syllableStep = 3.5 * size / Double(sampleRate)
        func lookup(_ x: Double) -> Double { table[Int(x) & (table.count - 1)] }
        for _ in 0..<count {
            vibrato += vibratoStep
            let f0 = pitch * (1 + 0.08 * lookup(vibrato))
            phase += f0 * size / Double(sampleRate)
            if phase >= size * 64 { phase -= size * 64 }
            syllable += syllableStep
            let envelope = 0.55 + 0.45 * lookup(syllable)
            var value = 0.0
            for (k, amplitude) in harmonics.enumerated() {
                value += amplitude * lookup(phase * Double(k + 1))
            }
            out.append(Int16((value * envelope * 3600).rounded()))
        }
        return out
    }

    /// sin(x) without Foundation's libm overlay: range-reduce to [-π, π], then a Taylor series.
    static func sine(_ x: Double) -> Double {
        let twoPi = 6.283185307179586
        let y = x - twoPi * (x / twoPi).rounded()
        let y2 = y * y
        var term = y
        var sum = y
        for k in stride(from: 2, through: 26, by: 2) {
            term *= -y2 / Double(k * (k + 1))
            sum += term
        }
        return sum
    }

    /// One cycle of a sine in 4096 steps.
    static let sineTable: [Double] = (0..<4096).map { sine(6.283185307179586 * Double($0) / 4096) }

    /// The encoded payload bytes of each packet the leg would send if nothing were lost, and the audio it holds
    /// (see ``encodedLeg(_:)`` for where each packet lies).
    public func encodedPackets(leg index: Int) -> (payloads: [[UInt8]], audio: [Int16]) {
        let encoded = encodedLeg(index)
        return (encoded.packets.map(\.payload), encoded.audio)
    }

    /// Every packet of the call (SIP first when asked), sorted by capture time.
    public func packets() -> [SynthPacket] {
        var out: [SynthPacket] = []
        if withSIP { out += sipPackets() }
        for index in legs.indices { out += mediaPackets(leg: index) }
        // Stable: equal arrival keeps generation order.
        return out.enumerated().sorted { ($0.element.arrival, $0.offset) < ($1.element.arrival, $1.offset) }
            .map(\.element)
    }

    private func mediaPackets(leg index: Int) -> [SynthPacket] {
        let leg = legs[index]
        var random = SplitMix64(seed: leg.seed &* 7919 &+ UInt64(index))
        let encoded = encodedLeg(index).packets
        let ticksPerPacket = UInt32(leg.codec.rtpClockRate * leg.ptimeMilliseconds / 1000)
        let packetSeconds = Double(leg.ptimeMilliseconds) / 1000
        var lost = Set<Int>()
        for burst in leg.lossBursts { for k in burst.first..<(burst.first + burst.count) { lost.insert(k) } }

        var ssrc = leg.ssrc
        var sequence = leg.firstSequence
        var timestamp = leg.firstTimestamp
        var out: [SynthPacket] = []
        var eventPackets: [SynthPacket] = []
        for (packet, sent) in encoded.enumerated() {
            let payload = sent.payload
            if let change = leg.ssrcChangeAfterPackets, packet == change {
                ssrc = ssrc &+ 0x0101_0101
                sequence = UInt16(truncatingIfNeeded: random.next())
                timestamp = UInt32(truncatingIfNeeded: random.next())
            }
            defer {
                sequence &+= 1
                // The next packet's place: one packet time on, or further after frames a DTX sender did not send.
                let next = packet + 1 < encoded.count ? encoded[packet + 1].tickOffset : sent.tickOffset + sent.ticks
                timestamp &+= UInt32(truncatingIfNeeded: next - sent.tickOffset)
            }
            // The sender's clock runs (1 + drift) fast: its 20 ms of audio take less real time. A packet that does
            // not start on a packet time (after DTX) is timed by its own offset.
            let ticks = max(1, Int(ticksPerPacket))
            let onPacketTime = sent.tickOffset % ticks == 0
            let slot = sent.tickOffset / ticks
            let senderSeconds =
                onPacketTime
                ? Double(slot) * packetSeconds : Double(sent.tickOffset) / Double(leg.codec.rtpClockRate)
            let sendSeconds = leg.startMilliseconds / 1000 + senderSeconds / (1 + leg.driftPPM * 1e-6)
            let senderMs = onPacketTime ? Double(slot * leg.ptimeMilliseconds) : senderSeconds * 1000
            // RFC 3551 §4.1: the marker bit starts a talkspurt (the first packet, and the first after DTX).
            let startsTalkspurt =
                packet == 0 || encoded[packet - 1].tickOffset + encoded[packet - 1].ticks != sent.tickOffset
            if let event = leg.dtmf.first(where: {
                senderMs >= $0.startMilliseconds && senderMs < $0.startMilliseconds + $0.durationMilliseconds
            }) {
                eventPackets += self.eventPackets(
                    event,
                    leg: index,
                    senderMilliseconds: senderMs,
                    arrival: startTime + Int64(((sendSeconds + leg.baseDelayMilliseconds / 1000) * 1e9).rounded()),
                    sequence: sequence,
                    ssrc: ssrc
                )
                continue
            }
            if lost.contains(packet) || random.unit() < leg.lossProbability { continue }
            let delay = leg.baseDelayMilliseconds / 1000 + random.unit() * leg.jitterMilliseconds / 1000
            let arrival = startTime + Int64(((sendSeconds + delay) * 1e9).rounded())
            let bytes = RTPPacketBytes.make(
                payloadType: leg.codec.payloadType,
                marker: startsTalkspurt,
                sequence: sequence,
                timestamp: timestamp,
                ssrc: ssrc,
                payload: payload
            )
            out.append(
                SynthPacket(
                    arrival: arrival,
                    source: leg.source,
                    destination: leg.destination,
                    payload: bytes,
                    leg: index
                )
            )
            if random.unit() < leg.duplicateProbability {
                out.append(
                    SynthPacket(
                        arrival: arrival + 1_000_000,
                        source: leg.source,
                        destination: leg.destination,
                        payload: bytes,
                        leg: index
                    )
                )
            }
        }
        out += eventPackets
        out.sort { $0.arrival < $1.arrival }
        if leg.reorderProbability > 0 { Self.reorder(&out, probability: leg.reorderProbability, random: &random) }
        return out
    }

    /// The RFC 4733 packets of `event` sent in place of the audio packet at `senderMilliseconds` into the leg:
    /// one, or three copies of the end packet with the same sequence number (RFC 4733 §2.5.1.4).
    private func eventPackets(
        _ event: (code: UInt8, startMilliseconds: Double, durationMilliseconds: Double),
        leg index: Int,
        senderMilliseconds senderMs: Double,
        arrival: Int64,
        sequence: UInt16,
        ssrc: UInt32
    ) -> [SynthPacket] {
        let leg = legs[index]
        let ticksPerPacket = UInt32(leg.codec.rtpClockRate * leg.ptimeMilliseconds / 1000)
        let eventStartPacket = Int(event.startMilliseconds) / leg.ptimeMilliseconds
        let eventTimestamp = leg.firstTimestamp &+ UInt32(eventStartPacket) &* ticksPerPacket
        let elapsed = UInt16(min(65535, Int(senderMs - event.startMilliseconds) * 8 + Int(ticksPerPacket)))
        let isLast = senderMs + Double(leg.ptimeMilliseconds) >= event.startMilliseconds + event.durationMilliseconds
        let body: [UInt8] = [event.code, (isLast ? 0x80 : 0) | 10, UInt8(elapsed >> 8), UInt8(elapsed & 0xFF)]
        return (0..<(isLast ? 3 : 1)).map { repeatIndex in
            SynthPacket(
                arrival: arrival + Int64(repeatIndex) * 1_000_000,
                source: leg.source,
                destination: leg.destination,
                payload: RTPPacketBytes.make(
                    payloadType: leg.telephoneEventPayloadType,
                    marker: senderMs == event.startMilliseconds,
                    sequence: sequence,
                    timestamp: eventTimestamp,
                    ssrc: ssrc,
                    payload: body
                ),
                leg: index
            )
        }
    }

    /// Delays packets past their successor at random: a reordered packet arrives just after the next one (delays
    /// only grow: no packet arrives before it was sent).
    private static func reorder(_ packets: inout [SynthPacket], probability: Double, random: inout SplitMix64) {
        var index = 0
        while index + 1 < packets.count {
            if random.unit() < probability {
                packets[index].arrival = packets[index + 1].arrival + 100_000
                packets.swapAt(index, index + 1)
                index += 2
            } else {
                index += 1
            }
        }
    }

    /// The caller's and the callee's signalling endpoints: port 5060 at leg 0's source and destination.
    private var signalling: (caller: Endpoint, callee: Endpoint) {
        (
            Endpoint(address: legs[0].source.address, port: 5060),
            Endpoint(address: legs[0].destination.address, port: 5060)
        )
    }

    private func sipPackets() -> [SynthPacket] {
        guard legs.count >= 1 else { return [] }
        let caller = legs[0]
        let (callerSignalling, calleeSignalling) = signalling
        let invite = sipMessage(
            "INVITE sip:bob@example.test SIP/2.0",
            cseq: "1 INVITE",
            body: Self.sdp(caller.source, caller.codec, caller.telephoneEventPayloadType)
        )
        var out = [
            SynthPacket(
                arrival: startTime - 200_000_000,
                source: callerSignalling,
                destination: calleeSignalling,
                payload: invite,
                leg: nil
            )
        ]
        if legs.count > 1 {
            let callee = legs[1]
            let ok = sipMessage(
                "SIP/2.0 200 OK",
                cseq: "1 INVITE",
                body: Self.sdp(callee.source, callee.codec, callee.telephoneEventPayloadType)
            )
            out.append(
                SynthPacket(
                    arrival: startTime - 100_000_000,
                    source: calleeSignalling,
                    destination: callerSignalling,
                    payload: ok,
                    leg: nil
                )
            )
        }
        if sendsBye { out += byePackets() }
        return out
    }

    /// The caller's BYE 50 ms after the last media, and the callee's 200 OK 1 ms later.
    private func byePackets() -> [SynthPacket] {
        let (callerSignalling, calleeSignalling) = signalling
        let end = legs.map { $0.startMilliseconds + $0.durationSeconds * 1000 }.max() ?? 0
        let byeTime = startTime + Int64(((end + 50) * 1e6).rounded())
        return [
            SynthPacket(
                arrival: byeTime,
                source: callerSignalling,
                destination: calleeSignalling,
                payload: sipMessage("BYE sip:bob@example.test SIP/2.0", cseq: "2 BYE", body: "", toTag: true),
                leg: nil
            ),
            SynthPacket(
                arrival: byeTime + 1_000_000,
                source: calleeSignalling,
                destination: callerSignalling,
                payload: sipMessage("SIP/2.0 200 OK", cseq: "2 BYE", body: ""),
                leg: nil
            ),
        ]
    }

    /// An SDP body offering `codec` and telephone-event at `media`.
    private static func sdp(_ media: Endpoint, _ codec: SynthCodec, _ eventPT: UInt8) -> String {
        let family = media.address.isIPv6 ? "IP6" : "IP4"
        let lines: [String] =
            [
                "v=0", "o=- 1 1 IN \(family) \(media.address)", "s=-", "c=IN \(family) \(media.address)", "t=0 0",
                "m=audio \(media.port) RTP/AVP \(codec.payloadType) \(eventPT)",
                "a=rtpmap:\(codec.payloadType) \(codec.rtpmap)",
            ] + (codec.fmtp.map { ["a=fmtp:\(codec.payloadType) \($0)"] } ?? [])
            + ["a=rtpmap:\(eventPT) telephone-event/8000", "a=sendrecv", ""]
        return lines.joined(separator: "\r\n")
    }

    /// A SIP message of the call (the caller's From tag; the callee's To tag on responses, or when `toTag`).
    private func sipMessage(_ firstLine: String, cseq: String, body: String, toTag: Bool? = nil) -> [UInt8] {
        let text = [
            firstLine, "Via: SIP/2.0/UDP \(signalling.caller);branch=z9hG4bK-synth",
            "From: <sip:alice@example.test>;tag=a1",
            "To: <sip:bob@example.test>\(toTag ?? firstLine.hasPrefix("SIP") ? ";tag=b2" : "")",
            "Call-ID: \(callID)", "CSeq: \(cseq)",
        ]
        let content = body.isEmpty ? [] : ["Content-Type: application/sdp"]
        return Array(
            (text + content + ["Content-Length: \(body.utf8.count)", "", body]).joined(separator: "\r\n").utf8
        )
    }
}

/// RFC 3550 §5.1 fixed header followed by a payload.
public enum RTPPacketBytes {
    public static func make(
        payloadType: UInt8,
        marker: Bool,
        sequence: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        payload: [UInt8]
    ) -> [UInt8] {
        var bytes: [UInt8] = [0x80, (marker ? 0x80 : 0) | (payloadType & 0x7F)]
        bytes += [UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        bytes += [
            UInt8(timestamp >> 24), UInt8((timestamp >> 16) & 0xFF), UInt8((timestamp >> 8) & 0xFF),
            UInt8(timestamp & 0xFF),
        ]
        bytes += [UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF)]
        return bytes + payload
    }
}
