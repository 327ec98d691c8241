import CallTimeline
public import Capture

/// One key the unprotector may use: its material, which streams it may key, where it came from, and from which
/// capture record on it is known. A secret: its description never shows the key.
public struct SRTPKeyEntry: Sendable, Hashable, CustomStringConvertible {
    public var material: SRTPKeyMaterial
    public var scope: SRTPKeyScope
    public var origin: SRTPKeyOrigin
    /// The capture record (1-based packet number) that made the key known, 0 for keys given before the capture is
    /// read. Both passes apply a key to packets after this record only, so they decide alike.
    public var knownFrom: Int

    public init(material: SRTPKeyMaterial, scope: SRTPKeyScope, origin: SRTPKeyOrigin, knownFrom: Int = 0) {
        self.material = material
        self.scope = scope
        self.origin = origin
        self.knownFrom = knownFrom
    }

    public var suite: SRTPSuite { material.suite }

    /// `AES_CM_128_HMAC_SHA1_80, 1 key from the SDP (packet 12, a=crypto tag 1) for media from 10.0.0.1:4000`.
    public var description: String {
        "\(material) from \(origin)" + (scope == .any ? "" : " for \(scope)")
    }
}

/// Which streams a key is for (SPEC §2.4): media from one source (ip:port), one SSRC, both, or every stream.
public struct SRTPKeyScope: Sendable, Hashable, CustomStringConvertible {
    /// The sender's address and port.
    public var source: Endpoint?
    public var ssrc: UInt32?

    public init(source: Endpoint? = nil, ssrc: UInt32? = nil) {
        self.source = source
        self.ssrc = ssrc
    }

    /// Every stream.
    public static let any = SRTPKeyScope()

    /// `media from 10.0.0.1:4000 with SSRC 0x12345678`.
    public var description: String {
        var parts: [String] = []
        if let source { parts.append("media from \(source)") }
        if let ssrc { parts.append("SSRC \(SSRCFormat.hex(ssrc))") }
        return parts.isEmpty ? "every stream" : parts.joined(separator: " with ")
    }
}

/// Where a key came from, as the report says it (SPEC §2.4: sdp / option / key file).
public enum SRTPKeyOrigin: Sendable, Hashable, CustomStringConvertible {
    /// An `a=crypto` line of an SDP body in the capture.
    case sdp(packetNumber: Int, tag: Int)
    /// The n-th `--srtp-key` (1-based).
    case option(index: Int)
    /// Entry n (1-based) of a key file (`--srtp-keys FILE`, the Lambda key object).
    case keyFile(name: String, entry: Int)

    /// `sdp`, `option` or `key file`: the report's field.
    public var kind: String {
        switch self {
        case .sdp: "sdp"
        case .option: "option"
        case .keyFile: "key file"
        }
    }

    public var description: String {
        switch self {
        case .sdp(let packetNumber, let tag): "the SDP (packet \(packetNumber), a=crypto tag \(tag))"
        case .option(let index): "--srtp-key #\(index)"
        case .keyFile(let name, let entry): "\(name) entry \(entry)"
        }
    }
}
