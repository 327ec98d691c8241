import Capture

/// The SIP dialogs of a capture, reduced to what assigns streams to calls and parties (SPEC §3.2): who sent the
/// INVITE (the caller), where each party receives media (SDP `c=`/`m=`), and the payload types they map.
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
    }

    private(set) var dialogs: [Dialog] = []
    /// Payload type maps by the media endpoint that declared them.
    private(set) var payloadTypes: [Endpoint: [UInt8: Codec]] = [:]
    /// Every mapping in the capture, for streams whose endpoints no SDP names (NAT, relays).
    private(set) var anyPayloadTypes: [UInt8: Codec] = [:]

    init(messages: [SignallingMessage]) {
        var byCallID: [String: Int] = [:]
        for message in messages {
            for media in message.media {
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
            let index = byCallID[message.callID]!
            // Whose media an SDP body describes: a request's is its sender's, a response's is the other
            // party's. The From tag tells who sent a request (responses copy it), so proxies that forward the
            // INVITE from their own address do not confuse the sides (RFC 3261 §8.2.6.2, §12.1).
            let fromCaller: Bool
            if let tag = message.fromTag, let callerTag = dialogs[index].callerTag {
                fromCaller = (tag == callerTag) == (message.method != nil)
            } else {
                // No tags (RFC 2543 peers): offers in requests are the caller's, answers in responses the callee's.
                fromCaller = message.method != nil
            }
            for media in message.media where media.endpoint.port != 0 {
                if fromCaller {
                    dialogs[index].callerMedia.insert(media.endpoint)
                } else {
                    dialogs[index].calleeMedia.insert(media.endpoint)
                }
            }
        }
    }

    /// The dialog and party that sent a stream, by exact media endpoint: the receiver's advertised address
    /// first (what SDP promises), then the sender's (symmetric RTP sends from where it receives).
    func owner(of key: StreamKey) -> (dialog: Int, fromCaller: Bool)? {
        for (index, dialog) in dialogs.enumerated() {
            if dialog.calleeMedia.contains(key.destination) { return (index, true) }
            if dialog.callerMedia.contains(key.destination) { return (index, false) }
        }
        for (index, dialog) in dialogs.enumerated() {
            if dialog.callerMedia.contains(key.source) { return (index, true) }
            if dialog.calleeMedia.contains(key.source) { return (index, false) }
        }
        // Address only, when exactly one party of one dialog uses that address (ports rewritten by NAT, or a
        // phone that sends from another port than it receives on): the receiver's address first, then the sender's.
        var matches: [(Int, Bool)] = []
        for (index, dialog) in dialogs.enumerated() {
            let callerAddresses = Set(dialog.callerMedia.map(\.address))
            let calleeAddresses = Set(dialog.calleeMedia.map(\.address))
            for (address, isDestination) in [(key.destination.address, true), (key.source.address, false)] {
                let caller = callerAddresses.contains(address)
                let callee = calleeAddresses.contains(address)
                if caller != callee {
                    // Sent to the callee, or sent from the caller: the caller's leg.
                    matches.append((index, isDestination ? callee : caller))
                    break
                }
            }
        }
        return matches.count == 1 ? matches[0] : nil
    }
}
