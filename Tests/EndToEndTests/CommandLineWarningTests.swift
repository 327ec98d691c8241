import Capture
import Foundation
import TestSupport
import Testing

/// A skipped stream that carried audio is never silent (SPEC §3.2): the CLI says it on stderr as well as in the
/// report.
@Suite("rtp2mp3: skipped audio is a warning", .serialized, .enabled(if: TestData.shouldRun))
struct CommandLineWarningTests {
    /// A SIP call whose callee sends iLBC (no decoder: no maintained library in Debian): the caller's leg is recorded, exit 0, and stderr
    /// and the report's `warnings` both name the iLBC stream and why it is missing.
    @Test("an undecodable leg: recorded call, warning on stderr and in the report")
    func undecodableLeg() throws {
        let alice = Endpoint(address: IPAddress(ipv4: 192, 0, 2, 1), port: 40000)
        let bob = Endpoint(address: IPAddress(ipv4: 198, 51, 100, 2), port: 50000)
        var caller = SynthLeg(codec: .pcmu, source: alice, destination: bob)
        caller.durationSeconds = 2
        var callee = SynthLeg(codec: .opaque(payloadType: 97, bytesPerPacket: 38), source: bob, destination: alice)
        callee.durationSeconds = 2
        callee.ssrc = 0x2222
        var synth = CallSynthesizer(legs: [caller, callee])
        synth.withSIP = true
        let directory = try Subprocess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("ilbc.pcap").path
        try Data(synth.capture()).write(to: URL(fileURLWithPath: input))
        let output = directory.appendingPathComponent("ilbc.wav").path
        let report = directory.appendingPathComponent("ilbc.json").path
        let result = try Subprocess.run(
            Subprocess.product("rtp2mp3"),
            [input, "-o", output, "--report", report, "-q"]
        )
        let warning =
            "stream 198.51.100.2:50000 → 192.0.2.1:40000 SSRC 0x00002222 not recorded: "
            + "unsupported codec iLBC (payload type 97)"
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "rtp2mp3: warning: \(warning)\n")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report)))
        #expect((json as? [String: Any])?["warnings"] as? [String] == [warning])
    }
}
