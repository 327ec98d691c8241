import CallTimeline
public import Capture

/// The keys known so far, and which of them may key a stream (SPEC §2.4).
///
/// Keys come from the SDP bodies of the capture (`add(sdp:packetNumber:)`: each party's `a=crypto` keys the media
/// that party sends, which with symmetric RTP comes from the address and port its SDP announces), from
/// `--srtp-key` and from key files (`add(_:)`, scoped by source and/or SSRC or to every stream). Equal keys for the
/// same scope are kept once. A stream's candidates are tried in this order: keys for its source and SSRC, for its
/// SSRC, for its source address, for every stream, and last the 32 newest SDP keys whatever their address (a NAT
/// between the capture point and a phone rewrites the address the SDP announced); within each group the newest
/// first. Authentication decides which candidate is right, so a loose candidate costs a trial, never a wrong
/// decryption.
public struct SRTPKeyRing: Sendable {
    public private(set) var entries: [SRTPKeyEntry] = []
    /// `a=crypto` lines that could not be used, where they were seen (for warnings).
    public private(set) var problems: [SRTPKeyProblem] = []
    /// Keys not kept because the ring was full (a hostile or enormous capture).
    public private(set) var droppedKeys = 0

    /// At most this many keys are kept, and this many problems.
    public static let capacity = 16_384
    static let problemCapacity = 256
    /// SDP keys tried on a stream whose address no SDP names.
    static let fallbackCount = 32

    private var seen: Set<Identity> = []
    private var bySource: [Endpoint: [Int]] = [:]
    private var bySourceAddress: [IPAddress: [Int]] = [:]
    private var bySSRC: [UInt32: [Int]] = [:]
    private var unscoped: [Int] = []
    private var fromSDP: [Int] = []
    /// Every `knownFrom`, ascending (keys arrive in capture order, so this is an append but for keys given late).
    private var knownFromOrder: [Int] = []

    private struct Identity: Hashable {
        var material: SRTPKeyMaterial
        var scope: SRTPKeyScope
    }

    public init(_ entries: [SRTPKeyEntry] = []) {
        for entry in entries { add(entry) }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Adds a key unless an equal one for the same scope is already known (the earlier one is kept).
    public mutating func add(_ entry: SRTPKeyEntry) {
        guard seen.insert(Identity(material: entry.material, scope: entry.scope)).inserted else { return }
        guard entries.count < Self.capacity else {
            droppedKeys += 1
            return
        }
        let index = entries.count
        entries.append(entry)
        switch (entry.scope.source, entry.scope.ssrc) {
        case (let source?, _):
            bySource[source, default: []].append(index)
            if case .sdp = entry.origin { bySourceAddress[source.address, default: []].append(index) }
        case (nil, let ssrc?): bySSRC[ssrc, default: []].append(index)
        case (nil, nil): unscoped.append(index)
        }
        if case .sdp = entry.origin { fromSDP.append(index) }
        if let last = knownFromOrder.last, last > entry.knownFrom {
            knownFromOrder.insert(entry.knownFrom, at: knownFromOrder.firstIndex { $0 > entry.knownFrom } ?? 0)
        } else {
            knownFromOrder.append(entry.knownFrom)
        }
    }

    /// Adds the SDES keys of an SDP body seen at capture record `packetNumber`: every `a=crypto` line of every
    /// media section that is not disabled (port 0), scoped to media sent from the section's address and port.
    public mutating func add(sdp: SDPSession, packetNumber: Int) {
        for media in sdp.media where media.port != 0 {
            let sender = media.connectionAddress.map { Endpoint(address: $0, port: media.port) }
            for problem in media.cryptoProblems where problems.count < Self.problemCapacity {
                problems.append(SRTPKeyProblem(packetNumber: packetNumber, media: sender, problem: problem))
            }
            guard let sender else { continue }
            for line in media.crypto {
                add(
                    SRTPKeyEntry(
                        material: SRTPKeyMaterial(crypto: line),
                        scope: SRTPKeyScope(source: sender),
                        origin: .sdp(packetNumber: packetNumber, tag: line.tag),
                        knownFrom: packetNumber
                    )
                )
            }
        }
    }

    /// Adds every key of another ring (a pass-1 ring handed to pass 2 keeps each key's `knownFrom`).
    public mutating func add(contentsOf other: SRTPKeyRing) {
        for entry in other.entries { add(entry) }
    }

    /// The indices of the keys that may key `stream` at capture record `packetNumber`, best first (see the type's
    /// documentation).
    func candidates(for stream: StreamKey, at packetNumber: Int) -> [Int] {
        func known(_ indices: [Int]?) -> [Int] {
            (indices ?? []).filter { entries[$0].knownFrom <= packetNumber }.reversed()
        }
        var groups: [[Int]] = [[], [], [], []]
        for index in known(bySource[stream.source]) {
            guard let ssrc = entries[index].scope.ssrc else {
                groups[1].append(index)
                continue
            }
            if ssrc == stream.ssrc { groups[0].append(index) }
        }
        groups[1] += known(bySSRC[stream.ssrc])
        groups[2] = known(bySourceAddress[stream.source.address]).filter { entries[$0].scope.source != stream.source }
        groups[3] = known(unscoped)
        var result = groups.joined().map { $0 }
        var fallback = 0
        for index in fromSDP.reversed() where fallback < Self.fallbackCount {
            guard entries[index].knownFrom <= packetNumber,
                entries[index].scope.source?.address != stream.source.address
            else { continue }
            result.append(index)
            fallback += 1
        }
        var unique = Set<Int>()
        return result.filter { unique.insert($0).inserted }
    }

    /// The first capture record after `packetNumber` at which another key becomes known, if any (so a stream's
    /// candidate list is recomputed only when it can change).
    func nextKnownFrom(after packetNumber: Int) -> Int? {
        var low = 0
        var high = knownFromOrder.count
        while low < high {
            let middle = (low + high) / 2
            if knownFromOrder[middle] > packetNumber { high = middle } else { low = middle + 1 }
        }
        return low < knownFromOrder.count ? knownFromOrder[low] : nil
    }
}

/// An `a=crypto` line of the capture that cannot be used: where it was and why (never the key).
public struct SRTPKeyProblem: Sendable, Hashable, CustomStringConvertible {
    public var packetNumber: Int
    /// The media address the SDP section announced.
    public var media: Endpoint?
    public var problem: SDPCryptoProblem

    public var description: String {
        "SDP in packet \(packetNumber)" + (media.map { " for \($0)" } ?? "") + ": \(problem)"
    }
}
