import ArgumentParser
import Capture
import FoundationEssentials
import TestSupport

/// `capture-synth`: writes a synthesized two-party call capture with the project's own encoders and capture
/// writer — for the demo, the benchmarks, and anyone who wants a capture with known content and impairments.
@main
struct CaptureSynth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture-synth",
        abstract: "Write a synthesized two-party RTP call capture (speech-like audio, optional impairments)."
    )

    @Option(name: .shortAndLong, help: "Output capture file.")
    var output: String

    @Option(help: "Call length in seconds.")
    var duration: Double = 20

    @Option(name: .customLong("codec-a"), help: "Caller's codec: pcmu, pcma or g722.")
    var codecA: String = "pcmu"

    @Option(name: .customLong("codec-b"), help: "Callee's codec: pcmu, pcma, g722, or none for a one-way capture.")
    var codecB: String = "g722"

    @Option(help: "Container: pcap, pcapng or rtpdump.")
    var container: String = "pcap"

    @Flag(help: "gzip-compress the capture.")
    var gzip = false

    @Flag(help: "Add the SIP INVITE and 200 OK (with SDP) that set the call up.")
    var sip = false

    @Flag(help: "Use IPv6 addresses.")
    var ipv6 = false

    @Option(help: "Random packet loss, percent.")
    var loss: Double = 0

    @Option(help: "Network jitter, milliseconds (uniform extra delay).")
    var jitter: Double = 0

    @Option(help: "Sender clock drift of the callee, ppm.")
    var drift: Double = 0

    @Option(help: "Packet time, milliseconds.")
    var ptime: Int = 20

    @Option(
        name: .customLong("speech-a"),
        help: "The caller's audio instead of the test signal: raw 16-bit little-endian mono at the codec's rate."
    )
    var speechA: String?

    @Option(name: .customLong("speech-b"), help: "The callee's audio, as --speech-a.")
    var speechB: String?

    @Flag(help: "With --speech-a and --speech-b: the parties take turns, each quiet while the other talks.")
    var turns = false

    func run() throws {
        guard let container = CallSynthesizer.Container(rawValue: container) else {
            throw ValidationError("--container must be pcap, pcapng or rtpdump")
        }
        let alice = Endpoint(address: ipv6 ? IPAddress("2001:db8::a")! : IPAddress("192.0.2.10")!, port: 40_000)
        let bob = Endpoint(address: ipv6 ? IPAddress("2001:db8::b")! : IPAddress("198.51.100.20")!, port: 50_000)
        var a = SynthLeg(codec: try codec(codecA), source: alice, destination: bob)
        a.durationSeconds = duration
        a.ptimeMilliseconds = ptime
        a.lossProbability = loss / 100
        a.jitterMilliseconds = jitter
        var legs = [a]
        if codecB != "none" {
            var b = SynthLeg(codec: try codec(codecB), source: bob, destination: alice)
            b.ssrc = 0x2222_2222
            b.firstSequence = 30_000
            b.startMilliseconds = 150
            b.durationSeconds = max(0, duration - 0.15)
            b.pitchHz = 220
            b.seed = 2
            b.ptimeMilliseconds = ptime
            b.lossProbability = loss / 100
            b.jitterMilliseconds = jitter
            b.driftPPM = drift
            legs.append(b)
        }
        try addSpeech(to: &legs)
        var synth = CallSynthesizer(legs: legs)
        synth.withSIP = sip
        let bytes = synth.capture(container: container, gzip: gzip)
        try Data(bytes).write(to: URL(fileURLWithPath: output))
    }

    /// The legs' audio from the --speech files, as a conversation with --turns.
    private func addSpeech(to legs: inout [SynthLeg]) throws {
        let files = [speechA, speechB]
        guard files.contains(where: { $0 != nil }) else {
            if turns { throw ValidationError("--turns needs --speech-a and --speech-b") }
            return
        }
        var audio: [[Int16]] = []
        for (index, file) in files.enumerated() where index < legs.count {
            guard let file else { throw ValidationError("--speech-a and --speech-b go together") }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            audio.append(
                stride(from: 0, to: bytes.count - 1, by: 2).map {
                    Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)
                }
            )
        }
        if turns {
            guard legs.count == 2, legs[0].codec.sampleRate == legs[1].codec.sampleRate else {
                throw ValidationError("--turns needs two legs of the same sample rate")
            }
            let rate = legs[0].codec.sampleRate
            let (a, b) = CallSynthesizer.conversation(
                audio[0],
                audio[1],
                count: Int(duration * Double(rate)),
                sampleRate: rate
            )
            audio = [a, Array(b.dropFirst(Int(legs[1].startMilliseconds) * rate / 1000))]
        }
        for index in audio.indices { legs[index].audio = audio[index] }
    }

    private func codec(_ name: String) throws -> SynthCodec {
        switch name.lowercased() {
        case "pcmu": return .pcmu
        case "pcma": return .pcma
        case "g722": return .g722
        default: throw ValidationError("unknown codec \(name): expected pcmu, pcma or g722")
        }
    }
}
