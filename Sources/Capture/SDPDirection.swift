/// A media direction attribute (RFC 8866 §6.7).
public enum SDPDirection: String, Sendable, Hashable {
    case sendrecv, sendonly, recvonly, inactive
}
