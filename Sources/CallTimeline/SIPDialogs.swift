import Capture

/// The SIP dialogs of a capture, reduced to what assigns streams to calls and parties (SPEC §3.2): who sent the
/// INVITE (the caller), where each party receives media (SDP `c=`/`m=`), and the payload types they map.
struct SIPDialogs {
    struct Dialog {
        var callID: String
        /// The signalling endpoint that sent the first INVITE.
        var callerSignalling: Endpoint
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
                    Dialog(callID: message.callID, callerSignalling: message.source, firstInvite: message.arrival)
                )
            }
            let index = byCallID[message.callID]!
            // A message sent from where the INVITE came from speaks for the caller; anything else (responses
            // relayed by proxies, the callee's re-INVITEs) speaks for the callee.
            let fromCaller =
                message.source == dialogs[index].callerSignalling
                || (message.source.address == dialogs[index].callerSignalling.address
                    && message.destination.address != dialogs[index].callerSignalling.address)
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
        // Address only, when exactly one party of one dialog uses that address (ports rewritten by NAT).
        var matches: [(Int, Bool)] = []
        for (index, dialog) in dialogs.enumerated() {
            let callerAddresses = Set(dialog.callerMedia.map(\.address))
            let calleeAddresses = Set(dialog.calleeMedia.map(\.address))
            if calleeAddresses.contains(key.destination.address) && !callerAddresses.contains(key.destination.address) {
                matches.append((index, true))
            } else if callerAddresses.contains(key.destination.address)
                && !calleeAddresses.contains(key.destination.address)
            {
                matches.append((index, false))
            }
        }
        return matches.count == 1 ? matches[0] : nil
    }
}
