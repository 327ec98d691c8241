/// Why a stream belongs to a SIP dialog (SPEC §3.2), as `inspect` shows it: which of its addresses an SDP of the
/// dialog names, whether the other end is the other party's media, and when the dialog was alive.
public struct DialogAttachment: Sendable, Hashable, CustomStringConvertible {
    /// How an end of the stream matches a party's announced media.
    public enum Fit: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
        /// The party announced media, but not at this address.
        case differs = 0
        /// The party announced no media in the dialog.
        case unknown = 1
        /// The same address, another port (NAT rewrites ports; some phones send from another port than they
        /// receive on).
        case address = 2
        /// The very address and port.
        case exact = 3

        public static func < (lhs: Fit, rhs: Fit) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .differs: return "differs from"
            case .unknown: return "cannot be compared with"
            case .address: return "has the address (not the port) of"
            case .exact: return "is"
            }
        }
    }

    /// Which end of the stream an SDP of the dialog names.
    public enum End: Sendable, Hashable, CustomStringConvertible {
        case destination
        case source

        public var description: String { self == .destination ? "destination" : "source" }
    }

    public var callID: String
    /// Index into the dialogs of the capture.
    var dialog: Int
    /// The party that sent the stream.
    public var sender: DialogParty
    /// The end of the stream that ties it to the dialog, and how well it matches.
    public var anchor: End
    public var anchorFit: Fit
    /// How the other end matches the other side's media (SPEC §3.2: the stream's peer, where known).
    public var peerFit: Fit
    /// Nanoseconds from the SDP that first named the anchor to the stream's first packet (negative when the
    /// stream started before it, within the margin).
    public var sinceAnnouncement: Int64
    /// How the dialog ended, and nanoseconds from the stream's last packet to that end (negative when the
    /// stream outlived it, within the margin); nil while the dialog is alive at the end of the capture.
    public var ending: DialogEnding?
    public var untilEnd: Int64?
    /// Other dialogs that also named the stream's address and were alive while it flowed.
    public var rivals: Int

    public var description: String {
        let receiver = sender.other
        let anchorParty = anchor == .destination ? receiver : sender
        let peerParty = anchor == .destination ? sender : receiver
        let peerEnd = anchor == .destination ? "source" : "destination"
        var text = "sent by the \(sender): its \(anchor) \(anchorFit) the \(anchorParty)'s SDP media"
        text +=
            peerFit == .unknown
            ? ", the \(peerParty) named no media to compare its \(peerEnd) with"
            : ", its \(peerEnd) \(peerFit) the \(peerParty)'s"
        text += "; SDP \(Self.seconds(sinceAnnouncement, "before", "after")) its first packet"
        if let ending, let untilEnd {
            text += ", \(ending) \(Self.seconds(untilEnd, "after", "before")) its last"
        } else {
            text += ", no end of the dialog in the capture"
        }
        if rivals > 0 { text += "; chosen over \(rivals) other dialog\(rivals == 1 ? "" : "s") naming that address" }
        return text
    }

    /// `1.234 s before`, or `0.120 s after` for a negative time.
    static func seconds(_ nanoseconds: Int64, _ positive: String, _ negative: String) -> String {
        let milliseconds = (nanoseconds / 1_000_000).magnitude
        let fraction = String(milliseconds % 1000)
        let text = "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
        return text + " " + (nanoseconds < 0 ? negative : positive)
    }
}
