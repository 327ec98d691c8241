import Capture

/// The SIP dialogs of a capture, reduced to what assigns streams to calls and parties (SPEC §3.2): who sent the
/// INVITE (the caller), where and since when each party receives media (the SDP `c=`/`m=` of offers, answers,
/// re-INVITEs, UPDATEs and PRACKs), when the dialog ended (BYE, or a final failure of the INVITE), and the
/// payload types each party maps.
struct SIPDialogs {
    struct Dialog {
        var callID: String
        /// The signalling endpoint that sent the first INVITE.
        var callerSignalling: Endpoint
        /// The caller's `From` tag (from the first INVITE), when it has one.
        var callerTag: String?
        var firstInvite: Int64
        var callerMedia: Set<Endpoint> = []
        var calleeMedia: Set<Endpoint> = []
        /// When each party first named each of its media endpoints in an SDP body, and each address.
        var announced: [DialogParty: [Endpoint: Int64]] = [.caller: [:], .callee: [:]]
        var announcedAddresses: [DialogParty: [IPAddress: Int64]] = [.caller: [:], .callee: [:]]
        /// Capture time of the BYE, or of the final failure response to an INVITE that was never answered with
        /// a 2xx; nil while the dialog is alive at the end of the capture.
        var end: Int64?
        var ending: DialogEnding?
        /// A 2xx to an INVITE was seen: failures of later re-INVITEs do not end the dialog (RFC 3261 §14.1).
        var established = false
        /// Payload type maps by the media endpoint that declared them, in this dialog only.
        var payloadTypes: [Endpoint: [UInt8: Codec]] = [:]

        func media(of party: DialogParty) -> Set<Endpoint> { party == .caller ? callerMedia : calleeMedia }
    }

    /// One party of one dialog naming a media endpoint, first at `time`: the index `attachment` searches.
    struct Naming {
        var dialog: Int
        var party: DialogParty
        var time: Int64
    }

    private(set) var dialogs: [Dialog] = []
    /// Payload type maps by the media endpoint that declared them, over every dialog (last one wins).
    private(set) var payloadTypes: [Endpoint: [UInt8: Codec]] = [:]
    /// Every mapping in the capture, for streams whose endpoints no SDP names (NAT, relays).
    private(set) var anyPayloadTypes: [UInt8: Codec] = [:]
    /// The dialogs naming each media endpoint, and each media address, in order of first naming.
    private(set) var byEndpoint: [Endpoint: [Naming]] = [:]
    private(set) var byAddress: [IPAddress: [Naming]] = [:]
    /// What the SDP sections naming each media endpoint say about encryption (SPEC §2.4 evidence (a)).
    var security: [Endpoint: AnnouncedSecurity] = [:]

    init(messages: [SignallingMessage]) {
        var byCallID: [String: Int] = [:]
        for message in messages {
            for media in message.media {
                noteSecurity(media)
                payloadTypes[media.endpoint, default: [:]].merge(media.payloadTypes) { _, new in new }
                anyPayloadTypes.merge(media.payloadTypes) { old, _ in old }
            }
            if byCallID[message.callID] == nil {
                // A dialog starts with its first INVITE; other messages before it only lend payload types.
                guard message.method == "INVITE" else { continue }
                byCallID[message.callID] = dialogs.count
                dialogs.append(
                    Dialog(
                        callID: message.callID,
                        callerSignalling: message.source,
                        callerTag: message.fromTag,
                        firstInvite: message.arrival
                    )
                )
            }
            guard let index = byCallID[message.callID] else { continue }
            dialogs[index].record(message)
        }
        buildIndex()
    }

    private mutating func buildIndex() {
        for (index, dialog) in dialogs.enumerated() {
            for (party, endpoints) in dialog.announced {
                for (endpoint, time) in endpoints {
                    byEndpoint[endpoint, default: []].append(Naming(dialog: index, party: party, time: time))
                }
            }
            for (party, addresses) in dialog.announcedAddresses {
                for (address, time) in addresses {
                    byAddress[address, default: []].append(Naming(dialog: index, party: party, time: time))
                }
            }
        }
        // In order of naming (then dialog, then party), so the most recent namings are found by binary search
        // and the order never depends on dictionary iteration.
        func ordered(_ list: [Naming]) -> [Naming] {
            list.sorted {
                ($0.time, $0.dialog, $0.party == .caller ? 0 : 1) < ($1.time, $1.dialog, $1.party == .caller ? 0 : 1)
            }
        }
        byEndpoint = byEndpoint.mapValues(ordered)
        byAddress = byAddress.mapValues(ordered)
    }

    /// Whether some SDP in the capture names `endpoint` as where a party receives media.
    func isAnnounced(_ endpoint: Endpoint) -> Bool { byEndpoint[endpoint] != nil }
}

extension SIPDialogs.Dialog {
    /// Takes one message of the dialog: its SDP (whose media it describes), and whether it ends the dialog.
    mutating func record(_ message: SignallingMessage) {
        // Whose media an SDP body describes: a request's is its sender's, a response's is the other party's.
        // The From tag tells who sent a request (responses copy it), so proxies that forward the INVITE from
        // their own address do not confuse the sides (RFC 3261 §8.2.6.2, §12.1).
        let fromCaller: Bool
        if let tag = message.fromTag, let callerTag {
            fromCaller = (tag == callerTag) == (message.method != nil)
        } else {
            // No tags (RFC 2543 peers): offers in requests are the caller's, answers in responses the callee's.
            fromCaller = message.method != nil
        }
        let party: DialogParty = fromCaller ? .caller : .callee
        for media in message.media where media.endpoint.port != 0 {
            if fromCaller {
                callerMedia.insert(media.endpoint)
            } else {
                calleeMedia.insert(media.endpoint)
            }
            if announced[party]?[media.endpoint] == nil { announced[party]?[media.endpoint] = message.arrival }
            if announcedAddresses[party]?[media.endpoint.address] == nil {
                announcedAddresses[party]?[media.endpoint.address] = message.arrival
            }
            payloadTypes[media.endpoint, default: [:]].merge(media.payloadTypes) { _, new in new }
        }
        recordEnding(message)
    }

    /// A BYE ends the dialog; so does a final failure response to an INVITE before any 2xx (RFC 3261 §13.2.2.3;
    /// a CANCEL ends it through the 487 it provokes). A 2xx after a failure (another fork answered) revives it.
    private mutating func recordEnding(_ message: SignallingMessage) {
        if message.method == "BYE" {
            if end == nil || ending != .bye {
                end = message.arrival
                ending = .bye
            }
            return
        }
        guard let status = message.statusCode, message.cseqMethod == "INVITE" else { return }
        if (200..<300).contains(status) {
            established = true
            if case .failure = ending {
                end = nil
                ending = nil
            }
        } else if status >= 300, !established, end == nil {
            end = message.arrival
            ending = .failure(status: status)
        }
    }
}

/// One party of a SIP dialog: the caller sent the INVITE (SPEC §3.2).
public enum DialogParty: Sendable, Hashable, CustomStringConvertible {
    case caller
    case callee

    public var other: DialogParty { self == .caller ? .callee : .caller }

    public var description: String { self == .caller ? "caller" : "callee" }
}

/// How a dialog ended.
public enum DialogEnding: Sendable, Hashable, CustomStringConvertible {
    case bye
    /// A final failure response (≥ 300) to the INVITE.
    case failure(status: Int)

    public var description: String {
        switch self {
        case .bye: return "BYE"
        case .failure(let status): return "final response \(status)"
        }
    }
}
